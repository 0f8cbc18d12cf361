"""federal_agencies_usaspending through the real loader and transforms, from a fixture of its own rows
(tests/fixtures/federal_agencies/: ICE, the Secret Service under DHS and under Treasury, FEMA, the Marshals),
and the bundled build: federal names (a leak's "ICE") are placed on one registry agency, whose id is the one
USAspending evidence always gave it.
Scaffolded by `python -m ingest new-source`.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.sources import federal_agencies as source
from ingest.transform.federal_agencies import agency_id
from rules.matching import from_database
from tests.small_build import fixture_records, small_build

SOURCE = "federal_agencies_usaspending"
FIXTURES = Path(__file__).parent / "fixtures" / "federal_agencies"
ROOT = Path(__file__).resolve().parent.parent
ICE = "fed-u-s-immigration-and-customs-enforcement-department-of-homeland-security"


@pytest.fixture(scope="module")
def con():
    con = small_build(SOURCE, FIXTURES)
    yield con
    con.close()


def test_every_fixture_row_lands_in_raw(con):
    landed = con.execute("SELECT count(*) FROM raw.records WHERE source_id = ?", [SOURCE]).fetchone()[0]
    assert landed == len(fixture_records(FIXTURES))


def test_only_the_chosen_law_enforcement_subtiers_join_the_registry(con):
    federal = dict(con.execute("SELECT agency_id, name FROM core.agencies WHERE registry = 'federal'").fetchall())
    assert set(federal) == {
        ICE,
        "fed-u-s-secret-service-department-of-homeland-security",
        "fed-u-s-marshals-service-department-of-justice",
    }  # not FEMA (not law enforcement), not the Secret Service's pre-2003 Treasury row
    assert federal[ICE] == "U.S. Immigration and Customs Enforcement (Department of Homeland Security)"


def test_the_names_and_abbreviations_are_aliases(con):
    matcher, state_names = from_database(con)
    for name, state in [
        ("ICE", None),
        ("ICE", "TX"),  # a leak's row with a state still finds the nationwide agency by its exact name
        ("Immigration and Customs Enforcement", None),
        ("United States Immigration and Customs Enforcement", None),
        ("U.S. Immigration and Customs Enforcement (ICE)", None),
    ]:
        found = matcher.match(name, state, None, state_names.get(state))
        assert (found.status, found.agency_id) == ("matched", ICE), name
    assert matcher.match("U.S. Marshals").agency_id == "fed-u-s-marshals-service-department-of-justice"
    assert matcher.match("Federal Emergency Management Agency").status == "unmatched"


def test_the_ids_are_the_ones_usaspending_evidence_uses():
    assert agency_id("U.S. Immigration and Customs Enforcement", "Department of Homeland Security") == ICE
    assert all(len(code) == 3 and len(sub) == 4 for code, sub in source.SELECTED)


def test_match_agencies_places_ice_on_the_agency_with_the_clearview_claim(built_db, db, tmp_path):
    names = tmp_path / "leak.csv"
    names.write_text("name,state\nICE,\nU.S. Immigration and Customs Enforcement,\nICE,CA\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = subprocess.run(
        [sys.executable, "-m", "ingest", "match-agencies", str(names), "--output", str(out), "--db", str(built_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert [(r["status"], r["agency_id"]) for r in rows] == [("matched", ICE)] * 3
    claims = db.execute("SELECT vendor_id, status FROM views.claims WHERE agency_id = ?", [ICE]).fetchall()
    assert any(vendor == "clearview_ai" for vendor, _ in claims), claims


def test_bundled_federal_rows_keep_one_agency_each(db):
    # The awards' awarding agencies and the EFF border rows naming CBP itself land on the registry's agencies.
    federal = {i for (i,) in db.execute("SELECT agency_id FROM core.agencies WHERE registry = 'federal'").fetchall()}
    assert ICE in federal and "fed-u-s-customs-and-border-protection-department-of-homeland-security" in federal
    evidence = db.execute(
        "SELECT count(*) FROM core.evidence e JOIN core.agencies a USING (agency_id) WHERE a.registry = 'federal'"
    ).fetchone()[0]
    assert evidence > 0
    dupes = db.execute("SELECT count(*) - count(DISTINCT lower(name)) FROM core.agencies WHERE registry = 'federal'")
    assert dupes.fetchone()[0] == 0


def test_hand_labelled_federal_names_meet_the_floors(db):
    from tests.test_evaluation import hand_figures

    _, _, figures = hand_figures(db)
    federal = figures["federal only"]
    print(f"\nfederal names, hand-labelled: precision {federal['precision']:.3f}, recall {federal['recall']:.3f}")
    assert federal["precision"] == 1.0 and federal["recall"] >= 0.90
