"""The three claims-engine commands on CSVs in the documented form, and their errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ingest(*args, db=None) -> subprocess.CompletedProcess:
    extra = ["--db", str(db)] if db else []
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args, *extra], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_match_agencies_writes_the_documented_columns(built_db, tmp_path):
    source = tmp_path / "names.csv"
    source.write_text(
        "name,state,city,note\nNYPD,,,kept\nSpringfield Police Department,,,\nMacy's,NY,,\n"
        "Detroit Police Dept.,MI,Detroit,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = ingest("match-agencies", str(source), "--output", str(out), db=built_db)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert list(rows[0]) == [
        "name",
        "state",
        "city",
        "note",
        "status",
        "agency_id",
        "ori",
        "matched_name",
        "score",
        "candidates",
    ]
    assert [r["status"] for r in rows] == ["matched", "ambiguous", "unmatched", "matched"]
    assert rows[0]["ori"] == "NY0303000" and rows[0]["note"] == "kept"
    assert rows[3]["matched_name"] == "Detroit Police Department"
    assert "IL0840200" in rows[1]["candidates"] and rows[1]["agency_id"] == ""
    assert "2 matched, 1 ambiguous, 1 unmatched" in result.stderr


def test_classify_writes_a_verdict_and_a_reason_for_every_line(tmp_path):
    source = tmp_path / "lines.csv"
    source.write_text(
        'vendor,description,amount\n"CLEARVIEW AI, INC.",search licenses,1000\n'
        "NEC Corporation of America,55 inch displays,2000\nIdemia,annual maintenance,3\n",
        encoding="utf-8",
    )
    result = ingest("classify", str(source))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["is_face_recognition"] for r in rows] == ["yes", "no", "uncertain"]
    assert rows[0]["product_id"] == "clearview_ai" and rows[0]["amount"] == "1000"
    assert all(r["reason"] for r in rows)


def test_claims_as_csv_and_json_filtered_by_state(built_db):
    result = ingest("claims", "--state", "mi", db=built_db)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["state"] for r in rows} == {"MI"}
    assert list(rows[0]) == [
        "agency_id",
        "ori",
        "agency_name",
        "state",
        "vendor",
        "product",
        "status",
        "evidence_count",
        "first_date",
        "last_date",
        "last_documented",
        "source_urls",
    ]
    detroit = [r for r in rows if r["agency_id"] == "MI8234900"]
    assert detroit[0]["status"] == "procured" and detroit[0]["source_urls"].startswith("http")
    assert all(r["last_documented"] >= r["last_date"] for r in rows if r["last_date"])  # links can be newer
    as_json = json.loads(ingest("claims", "--format", "json", "--state", "MI", db=built_db).stdout)
    assert len(as_json) == len(rows)


def test_a_missing_column_is_a_clear_error_not_a_traceback(tmp_path, built_db):
    source = tmp_path / "bad.csv"
    source.write_text("agency,state\nX,TX\n", encoding="utf-8")
    result = ingest("match-agencies", str(source), db=built_db)
    assert result.returncode == 1
    assert "missing column(s) name" in result.stderr and "Traceback" not in result.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes("vendor,description\nCaf\xe9 Glass,windows\n".encode("latin-1"))
    result = ingest("classify", str(latin))
    assert result.returncode == 1 and "not UTF-8" in result.stderr


def test_claims_without_a_database_says_how_to_build_it(tmp_path):
    result = ingest("claims", db=tmp_path / "none.duckdb")
    assert result.returncode == 1 and "make data" in result.stderr
