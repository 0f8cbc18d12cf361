"""One rule, one implementation: the statuses are listed once (rules/claims.py STATUSES) and every other part
reads that list; the agency matcher is built once per build, over one set (rules/matching.py from_database),
and the command line and the dashboard match against that same set."""

from __future__ import annotations

import ast
import csv
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import charts, queries, ui
from ingest import transform
from ingest.build import build_database
from rules import claims
from rules.matching import from_database

ROOT = Path(__file__).resolve().parent.parent
NAMES = {s.name for s in claims.STATUSES}
# Tests that check what a build or a page produced against the contract (a subset of statuses expected in the
# bundled data, the ladder's order as a reader sees it): they state expectations, they define no status.
CONTRACT_CHECKS = {
    "tests/test_atlas_transform.py",
    "tests/test_build.py",
    "tests/test_claims_ladder.py",
    "tests/test_evaluation.py",
    "tests/test_ingest_live.py",
}


def status_lists(path: Path) -> list[int]:
    """Lines where a literal list, tuple, set or dict (by its keys) names three or more statuses."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)) and items:
            named = {i.value for i in items if isinstance(i, ast.Constant) and i.value in NAMES}
            if len(named) >= 3:
                found.append(node.lineno)
    return found


def python_files() -> list[Path]:
    return [
        p
        for folder in ("rules", "ingest", "dashboard", "tests", "bench")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if p.relative_to(ROOT).as_posix() not in CONTRACT_CHECKS | {"rules/claims.py"}
    ]


def test_the_scan_finds_a_status_list(tmp_path):
    copy = tmp_path / "copy.py"
    copy.write_text('COLOURS = {"procured": "red", "used": "orange", "ended": "violet"}\nOK = ("used", "ended")\n')
    assert status_lists(copy) == [1]


def test_no_status_list_outside_the_one_table():
    copies = {p.relative_to(ROOT).as_posix(): lines for p in python_files() if (lines := status_lists(p))}
    assert not copies, f"statuses listed outside rules/claims.py STATUSES: {copies}"


def test_the_ladder_table_is_seeded_from_the_one_list(db):
    rows = db.execute("SELECT status, rank, definition FROM views.status_ladder ORDER BY rank").fetchall()
    assert rows == [(s.name, rank, s.definition) for rank, s in enumerate(claims.STATUSES, start=1)]


def test_badges_and_map_markers_take_their_colours_from_the_one_list():
    assert list(charts.STATUS_COLOURS) == [s.name for s in claims.STATUSES]
    assert charts.STATUS_COLOURS["ended"] == claims.BY_NAME["ended"].map_colour
    assert ui.status_badge("ended") == f":{claims.BY_NAME['ended'].badge_colour}[**ended**]"
    assert ui.status_badge("no such status").startswith(":gray[")


def test_the_vendor_table_counts_every_claim_once(db):
    """procured, used, trialled and other add up to the vendor's claims: planned and listed claims are "other"."""
    summary = queries.vendor_summary().set_index("vendor")
    claims_per_vendor = dict(db.execute("SELECT vendor, count(*) FROM served.claims GROUP BY vendor").fetchall())
    added = summary.drop(columns=["agencies", "spend_on_record"]).sum(axis=1)  # the counts by status
    assert added.to_dict() == claims_per_vendor
    assert db.execute("SELECT count(*) FROM served.claims WHERE status IN ('planned', 'listed')").fetchone()[0] > 0


def test_the_build_makes_one_matcher_and_hands_it_to_every_step_that_places_names(tmp_path, monkeypatch):
    built, handed = [], {}

    def counted(con):
        built.append(from_database(con))
        return built[-1]

    monkeypatch.setattr(transform, "from_database", counted)
    for module in transform.PLACE_NAMES:

        def recording(con, matcher, state_names, module=module, run=module.run):
            handed[module.__name__] = (matcher, state_names)
            return run(con, matcher, state_names)

        monkeypatch.setattr(module, "run", recording)
    build_database(tmp_path / "one.duckdb")
    assert len(built) == 1
    assert set(handed) == {m.__name__ for m in transform.PLACE_NAMES}
    assert all(pair[0] is built[0][0] and pair[1] is built[0][1] for pair in handed.values())


def test_a_registry_name_is_matched_by_the_command_line_as_the_build_matches_it(built_db, tmp_path):
    """The build places names on the registry's own names ("State Police" in Delaware); the command line and the
    workbench once matched against the pages' display names ("State Police (Delaware)") and missed them."""
    names = tmp_path / "names.csv"
    names.write_text("name,state\nState Police,DE\nDelaware State Police,DE\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [sys.executable, "-m", "ingest", "match-agencies", str(names), "--db", str(built_db), "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(open(out, newline="", encoding="utf-8")))
    assert [(r["status"], r["agency_id"]) for r in rows] == [("matched", "DEDSP0000"), ("matched", "DEDSP0000")]


@pytest.mark.parametrize("name", ["State Police", "Delaware State Police"])
def test_the_workbench_matches_as_the_build_does(db, name):
    matcher, state_names = from_database(db)
    found = matcher.match(name, "DE", None, state_names["DE"])
    assert (found.status, found.agency_id) == ("matched", "DEDSP0000")
