"""The bundled build: counts, provenance of every evidence row, and the traps it must not fall into."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from ingest import db as dbmod
from ingest import registry
from ingest.build import build

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def count(db, sql, params=None) -> int:
    return db.execute(sql, params or []).fetchone()[0]


def csv_records(path: Path, **filters) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if all(r.get(k) == v for k, v in filters.items())]


def test_every_bundled_file_is_loaded_raw_with_its_hash(db):
    files = db.execute("SELECT path, sha256, bytes FROM meta.raw_files").fetchall()
    registered = [f for row in csv.DictReader(open(DATA / "sources.csv")) for f in row["files"].split(";") if f]
    assert sorted(p for p, _, _ in files) == sorted(f"data/{f}" for f in registered)
    from ingest.raw import sha256_file

    for path, sha, size in files:
        assert sha256_file(ROOT / path) == sha
        assert (ROOT / path).stat().st_size == size


def test_raw_counts_match_the_files(db):
    atlas = csv_records(DATA / "atlas_of_surveillance/atlas_of_surveillance_2020-10-07_face_recognition.csv")
    assert len(atlas) == 369
    # AOS5547 appears twice as an identical row: kept once in raw, the repeat noted in quarantine.
    assert count(db, "SELECT count(*) FROM raw.records WHERE source_id = 'atlas_2020'") == 368
    assert (
        count(db, "SELECT count(*) FROM core.quarantine WHERE source_id = 'atlas_2020' AND reason LIKE 'identical%'")
        == 1
    )
    fbi = csv_records(DATA / "fbi_cde/fbi_cde_agencies_2018.csv")
    assert count(db, "SELECT count(*) FROM raw.records WHERE source_id = 'fbi_cde_agencies'") == len(fbi)
    awards = csv_records(DATA / "usaspending/surveillance_vendor_awards_dhs_doj_rows.csv")
    assert count(db, "SELECT count(*) FROM core.procurement") == len(awards) == 447


def test_every_face_recognition_row_becomes_evidence_or_quarantine(db):
    # 368 distinct 2020 rows (two name two vendors each) + 4 current-format FR rows.
    distinct_rows = count(
        db,
        """SELECT count(DISTINCT raw_record_id) FROM core.evidence
                                 WHERE source_id IN ('atlas_2020', 'atlas_current')""",
    )
    rejected = count(
        db,
        """SELECT count(*) FROM core.quarantine
                            WHERE source_id LIKE 'atlas%' AND reason NOT LIKE 'identical%'""",
    )
    assert distinct_rows + rejected == 368 + 4
    # The two non-FR rows of the excerpt (an ALPR row whose summary mentions face recognition,
    # a body-camera row) never become evidence.
    assert (
        count(
            db,
            """SELECT count(*) FROM core.evidence e JOIN raw.records r ON r.record_id = e.raw_record_id
                        WHERE r.record->>'AOSNUMBER' IN ('AOS009135', 'AOS009142')""",
        )
        == 0
    )


def test_every_evidence_row_has_a_source_url_and_a_raw_record(db):
    assert count(db, "SELECT count(*) FROM core.evidence") > 350
    assert (
        count(
            db,
            """SELECT count(*) FROM core.evidence e LEFT JOIN raw.records r ON r.record_id = e.raw_record_id
                        WHERE r.record_id IS NULL OR coalesce(e.source_url, '') NOT LIKE 'http%'""",
        )
        == 0
    )
    # ... and the raw record's file carries a URL, a fetch date and a sha256.
    assert (
        count(
            db,
            """SELECT count(*) FROM views.evidence
                        WHERE raw_file_url IS NULL OR raw_fetched_at IS NULL OR length(raw_file_sha256) <> 64""",
        )
        == 0
    )


def test_source_names_are_shown_stripped(db):
    # The Atlas has "Government document " with a trailing space: a citation would read "Government document , 2018".
    for table in ("core.evidence", "core.evidence_links"):
        padded = db.execute(f"SELECT count(*) FROM {table} WHERE source_name <> trim(source_name)").fetchone()[0]
        assert padded == 0, table
    assert db.execute("SELECT count(*) FROM core.evidence_links WHERE source_name = 'Government document'").fetchone()[
        0
    ]


def test_non_face_recognition_awards_yield_no_evidence(db):
    vendors = dict(
        db.execute("""SELECT vendor_label, bool_or(is_face_recognition) FROM core.procurement
                                 GROUP BY 1""").fetchall()
    )
    assert vendors.pop("Clearview AI") is True
    assert vendors and not any(vendors.values()), vendors  # Motorola, Cellebrite, Axon, Palantir, ...
    assert (
        count(
            db,
            """SELECT count(*) FROM core.evidence e JOIN core.procurement p ON p.procurement_id = e.evidence_id
                        WHERE p.vendor_label <> 'Clearview AI'""",
        )
        == 0
    )
    assert count(db, "SELECT count(*) FROM core.evidence WHERE source_id = 'usaspending_dhs_doj'") == 5
    assert count(db, """SELECT count(*) FROM core.procurement WHERE NOT is_face_recognition AND reason = ''""") == 0


def test_personal_data_in_award_descriptions_is_redacted(db):
    texts = [
        r[0] for r in db.execute("SELECT description FROM core.procurement WHERE description IS NOT NULL").fetchall()
    ]
    joined = "\n".join(texts)
    assert "@ICE.DHS.GOV" not in joined.upper()
    assert "(202) 732-7603" not in joined
    assert "[email redacted]" in joined


def test_atlas_rows_are_placed_by_rule_or_kept_unplaced(db):
    placed = dict(db.execute("SELECT agency_match, count(*) FROM core.evidence GROUP BY 1").fetchall())
    assert placed.get("exact_name", 0) > 200
    assert placed.get("unplaced", 0) > 0
    # Detroit Police Department is placed on its FBI ORI; the Texas City ISD keeps its Atlas surrogate.
    assert (
        db.execute("""SELECT agency_id FROM core.evidence e JOIN raw.records r ON r.record_id = e.raw_record_id
                         WHERE r.record->>'AOSNUMBER' = 'AOS0137'""").fetchone()[0]
        == "MI8234900"
    )
    row = db.execute(
        "SELECT agency_id, registry, location_method FROM core.agencies WHERE agency_id = 'aos-xx0000083'"
    ).fetchone()
    assert row == ("aos-xx0000083", "atlas", "census_place")
    # Plano PD from the current export is placed by its ORI.
    assert count(db, "SELECT count(*) FROM core.evidence WHERE agency_id = 'TX0430600' AND agency_match = 'ori'") == 1


def test_nebraska_is_read_as_ne(db):
    assert count(db, "SELECT count(*) FROM core.agencies WHERE state = 'NB'") == 0
    assert count(db, "SELECT count(*) FROM core.agencies WHERE state = 'NE' AND registry = 'fbi_cde'") > 100


def test_registry_agencies_without_coordinates_are_placed_by_census_points(db):
    methods = dict(
        db.execute(
            "SELECT location_method, count(*) FROM core.agencies WHERE registry = 'fbi_cde' GROUP BY 1"
        ).fetchall()
    )
    assert methods["fbi"] == 18146
    assert methods.get("census_county", 0) + methods.get("census_place", 0) > 300


def test_policy_caveats_are_carried_not_hidden(db):
    rows = {r[0]: r[1:] for r in db.execute("SELECT jurisdiction, stance, caveat FROM core.policies").fetchall()}
    assert rows["Baltimore, Maryland"][0].startswith("Bill introduced")
    assert "introduced" in rows["Baltimore, Maryland"][1]
    assert "AB 1215" in rows["California"][0] and rows["California"][1]
    assert rows["Portland, Maine"][1] and "unverified" in rows["Portland, Maine"][1]
    assert rows["Vermont"][1]
    assert rows["Boston, Massachusetts"] == ("Ban", None)


def test_claims_ladder_and_kinds(db):
    statuses = dict(db.execute("SELECT status, count(*) FROM views.claims GROUP BY 1").fetchall())
    assert set(statuses) <= {"procured", "used", "trialled", "planned", "listed", "ended", "denied", "unconfirmed"}
    assert statuses["procured"] >= 20 and statuses["used"] > 100
    # "completed a free 90-day trial ... then paid $10,000": the purchase is the stronger fact.
    assert (
        db.execute("""SELECT c.status FROM views.claims c WHERE c.agency_name = 'Volusia County Sheriff''s Office'
                         AND c.vendor = 'Clearview AI'""").fetchone()[0]
        == "procured"
    )
    # The Raleigh summary's "ceased using" is about Clearview, not the DataWorks row it sits in.
    raleigh = db.execute("""SELECT kind FROM views.evidence WHERE agency_name = 'Raleigh Police Department'
                            AND vendor = 'DataWorks Plus'""").fetchone()[0]
    assert raleigh == "used"


FINGERPRINTS = {
    "raw": "SELECT list((source_id, content_hash) ORDER BY source_id, content_hash) FROM raw.records",
    "agencies": "SELECT list((agency_id, name, latitude, longitude) ORDER BY agency_id) FROM core.agencies",
    "evidence": """SELECT list((evidence_id, agency_id, vendor_id, product_id, kind, event_date, source_url)
                   ORDER BY evidence_id) FROM core.evidence""",
    "claims": """SELECT list((agency_id, vendor_id, product_id, status)
                 ORDER BY agency_id, vendor_id NULLS FIRST, product_id NULLS FIRST) FROM views.claims""",
    "quarantine": "SELECT list((source_id, reason) ORDER BY source_id, reason) FROM core.quarantine",
}


def test_rebuild_from_the_same_inputs_gives_the_same_database(built_db, tmp_path):
    again = tmp_path / "again.duckdb"
    build(again)
    a = dbmod.connect(built_db, read_only=True)
    b = duckdb.connect(str(again), read_only=True)
    try:
        for name, sql in FINGERPRINTS.items():
            assert a.execute(sql).fetchone() == b.execute(sql).fetchone(), name
    finally:
        a.close()
        b.close()


def test_failed_build_leaves_the_live_file_in_place(tmp_path, monkeypatch):
    live = tmp_path / "live.duckdb"
    build(live)
    before = live.stat().st_ino, live.read_bytes()[:4096]

    from ingest import transform

    def explode(con):
        raise RuntimeError("simulated failure in the middle of a build")

    monkeypatch.setattr(transform.policies, "run", explode)
    with pytest.raises(RuntimeError, match="simulated"):
        build(live)
    assert (live.stat().st_ino, live.read_bytes()[:4096]) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".building")]
    con = dbmod.connect(live, read_only=True)
    assert con.execute("SELECT count(*) FROM core.evidence").fetchone()[0] > 0
    con.close()


def test_schema_drift_stops_the_build_with_the_field_named(tmp_path, monkeypatch):
    data = tmp_path / "data"
    import shutil

    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    path = data / "usaspending/surveillance_vendor_awards_dhs_doj_rows.csv"
    path.write_text(path.read_text().replace(",awardId,", ",award_id,", 1))
    with pytest.raises(Exception, match="awardId"):
        build(tmp_path / "x.duckdb", data_dir=data)
    assert not (tmp_path / "x.duckdb").exists()


def test_a_registry_source_of_another_name_becomes_agencies(tmp_path, db, monkeypatch):
    """The registry is every source of the fbi_cde platform, whatever its id (data/sources.csv is the one place a
    dataset is added). It was read by the id 'fbi_cde_agencies' alone: the benchmarks' SYNTHETIC registry, named
    otherwise, was loaded raw and never became agencies, so no SYNTHETIC figure ever matched or placed one."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    sources = data / "sources.csv"
    assert sources.read_text().count("\nfbi_cde_agencies,") == 1
    sources.write_text(sources.read_text().replace("\nfbi_cde_agencies,", "\nanother_registry,"))
    real_load = registry.load
    monkeypatch.setattr(registry, "load", lambda path=None: real_load(sources))  # as bench/synthetic.py does
    build(tmp_path / "x.duckdb", data_dir=data)

    registry_agencies = (
        "SELECT count(*), count(latitude), count(DISTINCT state) FROM core.agencies WHERE registry = 'fbi_cde'"
    )
    con = duckdb.connect(str(tmp_path / "x.duckdb"), read_only=True)
    try:
        renamed = con.execute(registry_agencies).fetchone()
    finally:
        con.close()
    assert renamed == db.execute(registry_agencies).fetchone() and renamed[0] > 18_000  # the bundled build's
