"""The Atlas transform runs in SQL: its reading of a summary must be Python's (ingest/claims.py, the rule's
reference), and one Atlas record reaching us from several Atlas sources must become evidence once, from
the copy retrieved last. Fixture rows are SYNTHETIC and say so."""
from __future__ import annotations

import json
import random

import duckdb
import pytest

from ingest import claims
from ingest import db as dbmod
from ingest.transform import atlas
from tests.test_ingest_live import first_run, narrow_catalog, query, server  # noqa: F401 (fixtures)

CASES = [
    "The Plano Police Department purchased facial recognition technology from Vigilant Solutions in 2019 for $44,485.",
    "It also subscribed to Clearview AI. But then ceased using the software.",
    "It also subscribed to Clearview AI, but then ceased using the software. NEC was piloted.",
    "Motorola Solutions (Vigilant) was piloted in 2020. Motorola stopped using it.",
    "Avigilon (Motorola Solutions) signed a contract. The county never used Avigilon.",
    "Mr. Smith said the police used NEC. They signed a contract with Idemia.",
    "They signed Clearview's contract in 2019.",
    'They signed the "new" agreement. He said: "They trialled it." Then they bought it.',
    "  Leading\tand   trailing \n spaces.   Next sentence: it was piloted.  ",
    "The department denied using Clearview AI but a trial of NEC happened.",
    "The sheriff previously had a license and used Clearview AI before 2020.",
    "ClearviewAI purchased nothing. clearview-ai was tested! Was Clearview used? Yes.",
    "U.S. Marshals entered into an agreement with Amazon Web Services. AWS did not use it.",
    "no capital after this. lower case sentences never split. The end was tested.",
    "Clearview AI, Inc. paid for it. Clearview AI, Inc.'s trial ended.",
    "Rank One Computing (ROC) tested ROC.ai software; ROC Corporation was awarded an agreement.",
    "Smartcheckr, later Clearview, no longer has access.",
    "   ",
    "",
    None,
]
VENDORS = [None, "clearview_ai", "nec", "vigilant_solutions", "motorola_solutions", "avigilon", "idemia", "amazon",
           "rank_one"]
PIECES = ["purchased", "signed a contract", "signed an annual contract", "contract with", "contracted with",
          "free trial", "piloted", "a pilot program", "tested", "testing", "denied using", "denies ever using",
          "never used", "did not use", "stopped using", "ceased its use", "no longer uses", "previously", "used",
          "entered into an agreement", "awarded the agreement", "paid", "acquired", "the police", "facial recognition",
          "in 2019", "Mr.", "U.S.", "Inc.", "(Vigilant)", "Motorola Solutions (Vigilant)", "Avigilon (Motorola Solutions)",
          "it", "the software", "a license", '"', "'s", "A", "3"]
JOINS = [". ", "! ", "? ", ", ", " ", " ", " ", ".  ", ".\n", " \t", "; ", "."]


def sql_kinds(pairs: list[tuple[str | None, str | None]], names: dict[str, list[str]]) -> dict:
    con = duckdb.connect()
    atlas.prepare(con)
    con.execute("CREATE TABLE atlas_kind_input (record_id BIGINT, summary VARCHAR, vendor_id VARCHAR)")
    con.executemany("INSERT INTO atlas_kind_input VALUES (?, ?, ?)", [(i, s, v) for i, (s, v) in enumerate(pairs)])
    atlas.kind_sql(con, names)
    out = {r: (k, w) for r, k, w in con.execute("SELECT record_id, kind, why FROM atlas_kinds").fetchall()}
    con.close()
    return out


def python_kind(summary: str | None, vendor_id: str | None, names: dict[str, list[str]]) -> tuple[str, str]:
    others = [n for v, ns in names.items() if v != vendor_id for n in ns]
    return claims.kind_from_summary(summary, names.get(vendor_id, []), others)


@pytest.fixture(scope="module")
def names(db) -> dict[str, list[str]]:
    return atlas._vendor_names(db)


def fuzzed(rng: random.Random, names: dict[str, list[str]], count: int) -> list[str]:
    vendor_names = [n for ns in names.values() for n in ns]
    out = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(2, 14)):
            word = rng.choice(vendor_names) if rng.random() < 0.3 else rng.choice(PIECES)
            word = rng.choice((str.lower, str.upper, str.title, str))(word) if rng.random() < 0.2 else word
            words.append(word)
            words.append(rng.choice(JOINS))
        out.append("".join(words))
    return out


def test_sql_reads_summaries_as_the_python_rule_does(names):
    rng = random.Random(7)
    summaries = CASES + fuzzed(rng, names, 1500)
    pairs = [(s, v) for s in summaries for v in (VENDORS if s in CASES else [None, *rng.sample(sorted(names), 3)])]
    assert all(s is None or s.isascii() for s, _ in pairs)   # the SQL path takes ASCII text only
    got = sql_kinds(pairs, names)
    wrong = [(s, v, got[i], python_kind(s, v, names)) for i, (s, v) in enumerate(pairs)
             if got[i] != python_kind(s, v, names)]
    assert not wrong, wrong[:5]
    kinds = {k for k, _ in got.values()}
    assert kinds == {"used", "procured", "trialled", "ended", "denied"}   # the fixtures reach every kind


def test_a_vendor_hidden_inside_another_vendors_name_is_still_found():
    assert atlas.overlapping("motorola solutions (vigilant)", "motorola")
    assert atlas.overlapping("nec", "nec corporation") and atlas.overlapping("a b", "b c")
    assert not atlas.overlapping("safran identity & security", "safr")    # "safr" ends mid-word there
    assert not atlas.overlapping("clearview", "view")
    names = {"vigilant_solutions": ["Motorola Solutions (Vigilant)"], "motorola_solutions": ["Motorola"]}
    pairs = [("Motorola Solutions (Vigilant) was piloted.", "motorola_solutions")]
    assert sql_kinds(pairs, names)[0] == python_kind(*pairs[0], names) == (
        "trialled", "summary says 'piloted': \u201cMotorola Solutions (Vigilant) was piloted.\u201d")


def atlas_record(aos: str, summary: str, *, newaos: str | None = None, agency: str = "Plano Police Department",
                 vendor: str = "Vigilant Solutions", technology: str = "Face Recognition") -> str:
    row = {"AOSNUMBER": aos, "City": "Plano", "County": "Collin County", "State": "TX", "Agency": agency,
           "Type of LEA": "Police", "Summary": summary, "Type of Juris": "Municipal", "Technology": technology,
           "Vendor": vendor, "Link 1": f"http://127.0.0.1/{aos}", "Link 1 Source": "SYNTHETIC Gazette",
           "Link 1 Type": "News", "Link 1 Date": "7/31/2020"}
    if newaos:
        row["NEWAOSNUMBER (ORI9)"] = newaos
    return json.dumps(row)


def test_one_atlas_record_from_several_sources_is_one_evidence_row_from_the_latest():
    con = dbmod.connect(":memory:")
    dbmod.migrate(con)
    copies = [   # source, mode, retrieved, records
        ("atlas_2020", "bundled", "2020-10-07", [
            atlas_record("AOS0137", "SYNTHETIC 2020 copy: Plano used Vigilant Solutions."),
            atlas_record("AOS0200", "SYNTHETIC 2020 only: Plano tested Vigilant Solutions.")]),
        ("atlas_current", "bundled", "2026-08-05", [
            atlas_record("AOS000137", "SYNTHETIC current copy: Plano purchased Vigilant Solutions.", newaos="TX0430600FRT"),
            atlas_record("AOS009146", "SYNTHETIC current copy of 9146.", newaos="TX0430600FRT")]),
        ("atlas", "live", "2026-11-28T10:00:00+00:00", [
            atlas_record("AOS009146", "SYNTHETIC live copy of 9146: a pilot.", newaos="TX0430600FRT")]),
    ]
    record_id = 0
    for file_id, (source_id, mode, retrieved, records) in enumerate(copies, start=1):
        con.execute("INSERT INTO meta.sources (source_id, name, platform, url, license, attribution, weight, mode) "
                    "VALUES (?, 'SYNTHETIC Atlas copy', 'atlas', 'http://127.0.0.1/', 'test', 'test', 'documented', ?)",
                    [source_id, mode])
        con.execute("INSERT INTO meta.raw_files VALUES (?, ?, 1, 'x.csv', 'http://127.0.0.1/x', ?, repeat('0', 64), 1, [])",
                    [file_id, source_id, retrieved])
        for n, record in enumerate(records, start=1):
            record_id += 1
            con.execute("INSERT INTO raw.json_records VALUES (?, ?, ?, 1, ?, md5(?), ?)",
                        [record_id, source_id, file_id, n, record, record])
    con.execute("INSERT INTO core.states VALUES ('TX', 'Texas')")
    con.execute("INSERT INTO core.agencies VALUES ('TX0430600', 'TX0430600', 'Plano Police Department', 'City', "
                "'Plano', 'COLLIN', 'TX', 33.0, -96.7, 'fbi', 'fbi_cde', 1)")
    con.execute("INSERT INTO core.vendors VALUES ('vigilant_solutions', 'Vigilant Solutions', ['Vigilant'], NULL, "
                "'http://127.0.0.1/v', NULL, true, NULL)")
    atlas.run(con)
    evidence = con.execute("SELECT evidence_id, source_id, kind, summary FROM core.evidence ORDER BY 1").fetchall()
    assert evidence == [
        ("atlas:AOS009146:vigilant_solutions", "atlas", "trialled", "SYNTHETIC live copy of 9146: a pilot."),
        ("atlas_2020:AOS0200:vigilant_solutions", "atlas_2020", "trialled",
         "SYNTHETIC 2020 only: Plano tested Vigilant Solutions."),
        ("atlas_current:AOS000137:vigilant_solutions", "atlas_current", "procured",
         "SYNTHETIC current copy: Plano purchased Vigilant Solutions."),
    ]
    assert con.execute("SELECT count(*) FROM raw.records").fetchone()[0] == 5   # every copy stays in raw
    assert con.execute("SELECT count(*) FROM core.quarantine").fetchone()[0] == 0
    con.close()


def test_the_live_download_replaces_the_bundled_excerpt(first_run):  # noqa: F811
    # The live fixture is the bundled current excerpt, fetched again: each record is evidence once, from `atlas`.
    rows = query(first_run["db"], """
        SELECT r.record->>'AOSNUMBER' AS aos, e.source_id, count(*) OVER (PARTITION BY r.record->>'AOSNUMBER', e.vendor_id)
        FROM core.evidence e JOIN raw.records r ON r.record_id = e.raw_record_id
        WHERE e.source_id IN ('atlas', 'atlas_current')""")
    assert sorted(aos for aos, _, _ in rows) == ["AOS009143", "AOS009144", "AOS009145", "AOS009146"]
    assert {(source, n) for _, source, n in rows} == {("atlas", 1)}
    assert query(first_run["db"], "SELECT count(*) FROM raw.records WHERE source_id = 'atlas_current'")[0][0] == 6


def test_register_makes_only_the_transforms_own_tables():
    # The one identifier `register` writes into SQL comes from a fixed list: anything else is refused.
    con = duckdb.connect()
    atlas.register(con, "atlas_quoted", {"match": (["x"], atlas.pa.string())})
    assert con.execute("SELECT match FROM atlas_quoted").fetchall() == [("x",)]
    with pytest.raises(ValueError, match="not one of"):
        atlas.register(con, "x; DROP TABLE atlas_quoted", {"match": (["x"], atlas.pa.string())})
    assert con.execute("SELECT count(*) FROM atlas_quoted").fetchone()[0] == 1
    con.close()
