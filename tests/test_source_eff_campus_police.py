"""eff_campus_police_2021 through the real loader and transforms, from a fixture of its own rows
(tests/fixtures/eff_campus_police/), beside the real registry and catalog.
Scaffolded by `python -m ingest new-source`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sources import eff_campus_police as source
from tests.small_build import fixture_records, small_build

SOURCE = "eff_campus_police_2021"
FIXTURES = Path(__file__).parent / "fixtures" / "eff_campus_police"


@pytest.fixture(scope="module")
def con():
    con = small_build(SOURCE, FIXTURES)
    yield con
    con.close()


def records(con, sql: str) -> set[int]:
    return {r for (r,) in con.execute(sql, [SOURCE]).fetchall()}


def test_every_fixture_row_lands_in_raw(con):
    landed = con.execute("SELECT count(*) FROM raw.records WHERE source_id = ?", [SOURCE]).fetchone()[0]
    assert landed == len(fixture_records(FIXTURES))


def test_face_recognition_rows_become_evidence_and_the_others_coverage(con):
    technology = source.ATLAS_COLUMNS["Technology"]
    sql = "SELECT record_id, list_contains(?, record->>?) FROM raw.records WHERE source_id = ?"
    kinds = dict(con.execute(sql, [list(source.FACE_RECOGNITION), technology, SOURCE]).fetchall())
    assert any(kinds.values()), "the fixture needs a face-recognition row: it is what becomes evidence"
    evidence = records(con, "SELECT raw_record_id FROM core.evidence WHERE source_id = ?")
    quarantined = records(con, "SELECT raw_record_id FROM core.quarantine WHERE source_id = ?")
    assert evidence | quarantined == {r for r, fr in kinds.items() if fr}
    research = records(con, "SELECT raw_record_id FROM core.research WHERE source_id = ?")
    assert research <= {r for r, fr in kinds.items() if not fr}
