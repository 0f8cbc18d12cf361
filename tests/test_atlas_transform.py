"""The Atlas transform: each rule runs from its one implementation (claims.kind_from_summary, redact, str.strip)
over the distinct values, and one Atlas record reaching us from several Atlas sources becomes evidence once, from
the copy retrieved last. Fixture rows are SYNTHETIC and say so."""

from __future__ import annotations

import json

import duckdb

from ingest import db as dbmod
from ingest.transform import atlas
from rules import claims
from rules.matching import from_database
from rules.redact import redact
from tests.test_ingest_live import first_run, narrow_catalog, query, server  # noqa: F401 (fixtures)


def test_every_bundled_atlas_row_has_the_kind_and_summary_the_rules_give(db):
    # Read back from the built file: the kind, the quoted reason and the shown summary of each Atlas evidence row
    # are what the Python rules give for its own raw row and vendor, so no join can pair a row with another's text.
    names = atlas._vendor_names(db)
    rows = db.execute("""
        SELECT e.evidence_id, e.vendor_id, v.name, e.kind, e.kind_reason, e.summary, r.record->>'Summary'
        FROM core.evidence e JOIN raw.records r ON r.record_id = e.raw_record_id
        LEFT JOIN core.vendors v USING (vendor_id)
        WHERE e.source_id LIKE 'atlas%'
          -- a correction from data/corrections.csv, with its source, stands in for the rule's reading
          AND e.evidence_id NOT IN (SELECT evidence_id FROM core.corrections WHERE field = 'kind')""").fetchall()
    assert len(rows) > 300
    for evidence_id, vendor_id, vendor_name, kind, why, shown, summary in rows:
        own = names.get(vendor_id, [vendor_name] if vendor_name else [])
        others = [n for v, ns in names.items() if v != vendor_id for n in ns]
        expected = claims.kind_from_summary(summary, own, others)
        assert (kind, why.split(" [agency: ")[0]) == expected, evidence_id
        assert shown == (redact((summary or "").strip()) or None), evidence_id
    assert {r[3] for r in rows} >= {"used", "procured", "trialled"}


def test_atlas_strip_is_pythons_strip():
    con = duckdb.connect()
    atlas.prepare(con)
    atlas.prepare(con)  # a second transform on the same connection registers it again
    texts = ["  a b  ", "\x1c\u3000x\u2003", "\ufeffy", "", None, "\u200bz\u200b", "\t\n\r"]
    got = [r[0] for r in con.execute("SELECT atlas_strip(t) FROM unnest($t) AS u(t)", {"t": texts}).fetchall()]
    assert got == [None if t is None else t.strip() for t in texts]
    con.close()


def atlas_record(
    aos: str,
    summary: str,
    *,
    newaos: str | None = None,
    agency: str = "Plano Police Department",
    vendor: str = "Vigilant Solutions",
    technology: str = "Face Recognition",
) -> str:
    row = {
        "AOSNUMBER": aos,
        "City": "Plano",
        "County": "Collin County",
        "State": "TX",
        "Agency": agency,
        "Type of LEA": "Police",
        "Summary": summary,
        "Type of Juris": "Municipal",
        "Technology": technology,
        "Vendor": vendor,
        "Link 1": f"http://127.0.0.1/{aos}",
        "Link 1 Source": "SYNTHETIC Gazette",
        "Link 1 Type": "News",
        "Link 1 Date": "7/31/2020",
    }
    if newaos:
        row["NEWAOSNUMBER (ORI9)"] = newaos
    return json.dumps(row)


def test_one_atlas_record_from_several_sources_is_one_evidence_row_from_the_latest():
    con = dbmod.connect(":memory:")
    dbmod.create_schema(con)
    copies = [  # source, mode, retrieved, records
        (
            "atlas_2020",
            "bundled",
            "2020-10-07",
            [
                atlas_record("AOS0137", "SYNTHETIC 2020 copy: Plano used Vigilant Solutions."),
                atlas_record("AOS0200", "SYNTHETIC 2020 only: Plano tested Vigilant Solutions."),
            ],
        ),
        (
            "atlas_current",
            "bundled",
            "2026-08-05",
            [
                atlas_record(
                    "AOS000137", "SYNTHETIC current copy: Plano purchased Vigilant Solutions.", newaos="TX0430600FRT"
                ),
                atlas_record("AOS009146", "SYNTHETIC current copy of 9146.", newaos="TX0430600FRT"),
            ],
        ),
        (
            "atlas",
            "live",
            "2026-11-28T10:00:00+00:00",
            [atlas_record("AOS009146", "SYNTHETIC live copy of 9146: a pilot.", newaos="TX0430600FRT")],
        ),
    ]
    record_id = 0
    for file_id, (source_id, mode, retrieved, records) in enumerate(copies, start=1):
        con.execute(
            "INSERT INTO meta.sources (source_id, name, platform, url, license, attribution, weight, mode) "
            "VALUES (?, 'SYNTHETIC Atlas copy', 'atlas', 'http://127.0.0.1/', 'test', 'test', 'documented', ?)",
            [source_id, mode],
        )
        con.execute(
            "INSERT INTO meta.raw_files VALUES (?, ?, 1, 'x.csv', 'http://127.0.0.1/x', ?, repeat('0', 64), 1, [])",
            [file_id, source_id, retrieved],
        )
        for n, record in enumerate(records, start=1):
            record_id += 1
            con.execute(
                "INSERT INTO raw.records VALUES (?, ?, ?, 1, ?, md5(?), ?)",
                [record_id, source_id, file_id, n, record, record],
            )
    con.execute("INSERT INTO core.states VALUES ('TX', 'Texas')")
    con.execute(
        "INSERT INTO core.agencies VALUES ('TX0430600', 'TX0430600', 'Plano Police Department', 'City', "
        "'Plano', 'COLLIN', 'TX', 33.0, -96.7, 'fbi', 'fbi_cde', 1)"
    )
    con.execute(
        "INSERT INTO core.vendors VALUES ('vigilant_solutions', 'Vigilant Solutions', ['Vigilant'], NULL, "
        "'http://127.0.0.1/v', NULL, true, NULL)"
    )
    atlas.run(con, *from_database(con))
    evidence = con.execute("SELECT evidence_id, source_id, kind, summary FROM core.evidence ORDER BY 1").fetchall()
    assert evidence == [
        ("atlas:AOS009146:vigilant_solutions", "atlas", "trialled", "SYNTHETIC live copy of 9146: a pilot."),
        (
            "atlas_2020:AOS0200:vigilant_solutions",
            "atlas_2020",
            "trialled",
            "SYNTHETIC 2020 only: Plano tested Vigilant Solutions.",
        ),
        (
            "atlas_current:AOS000137:vigilant_solutions",
            "atlas_current",
            "procured",
            "SYNTHETIC current copy: Plano purchased Vigilant Solutions.",
        ),
    ]
    assert con.execute("SELECT count(*) FROM raw.records").fetchone()[0] == 5  # every copy stays in raw
    assert con.execute("SELECT count(*) FROM core.quarantine").fetchone()[0] == 0
    con.close()


def test_the_live_download_replaces_the_bundled_excerpt(first_run):  # noqa: F811
    # The live fixture is the bundled current excerpt, fetched again: each record is evidence once, from `atlas`.
    rows = query(
        first_run["db"],
        """
        SELECT r.record->>'AOSNUMBER' AS aos, e.source_id, count(*) OVER (PARTITION BY r.record->>'AOSNUMBER', e.vendor_id)
        FROM core.evidence e JOIN raw.records r ON r.record_id = e.raw_record_id
        WHERE e.source_id IN ('atlas', 'atlas_current')""",
    )
    # AOS009145 (Harris County) is two rows: the Vendor field's IDEMIA and the Imagis its summary names.
    assert sorted(aos for aos, _, _ in rows) == ["AOS009143", "AOS009144", "AOS009145", "AOS009145", "AOS009146"]
    assert {(source, n) for _, source, n in rows} == {("atlas", 1)}
    assert query(first_run["db"], "SELECT count(*) FROM raw.records WHERE source_id = 'atlas_current'")[0][0] == 6
