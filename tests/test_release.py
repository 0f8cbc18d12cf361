"""Versioned releases and corrections: identical bytes from identical inputs, and a correction that
changes a claim shows up on the claim and in the changelog."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ingest.build import build
from ingest.db import connect
from ingest.release import fingerprint_of, releases, write

ROOT = Path(__file__).resolve().parent.parent


def copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "feeds", "archive", "uploads"))
    return data


def test_two_releases_from_the_same_inputs_are_identical(built_db, tmp_path):
    again = tmp_path / "again.duckdb"
    build(again)
    one = write(built_db, tmp_path / "a", "2026-11-28")
    two = write(again, tmp_path / "b", "2026-11-28")
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and "claims.parquet" in names and "manifest.json" in names
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    manifest = json.loads((one / "manifest.json").read_text())
    assert manifest["fingerprint"] == fingerprint_of(built_db)
    for entry in manifest["files"]:
        assert entry["rows"] >= 0 and len(entry["sha256"]) == 64


def test_a_correction_changes_the_claim_and_the_changelog(tmp_path):
    data = copy_data(tmp_path)
    db = tmp_path / "db.duckdb"
    build(db, data_dir=data)
    write(db, tmp_path / "releases", "2026-11-27")
    with open(data / "corrections.csv", "a", encoding="utf-8") as fh:
        fh.write(
            'evidence,atlas_2020:AOS0137:dataworks_plus,kind,replace,ended,"Test correction (synthetic): the '
            'department says use ended.",http://127.0.0.1/statement,2026-11-28\n'
            'evidence,atlas_2020:NO_SUCH:x,kind,replace,ended,"Names nothing.",http://127.0.0.1/x,2026-11-28\n'
        )
    build(db, data_dir=data)
    con = connect(db, read_only=True)
    try:
        status = con.execute("SELECT status FROM views.claims WHERE agency_id = 'MI8234900'").fetchone()[0]
        correction = con.execute(
            "SELECT old_value, new_value, source_url FROM views.corrections WHERE source_url LIKE 'http://127.0.0.1/%'"
        ).fetchall()
        rejected = con.execute("SELECT reason FROM core.quarantine WHERE source_id = 'corrections'").fetchall()
    finally:
        con.close()
    assert status == "ended"
    assert correction == [("procured", "ended", "http://127.0.0.1/statement")]
    assert rejected and "names no evidence" in rejected[0][0]
    folder = write(db, tmp_path / "releases", "2026-11-28")
    changelog = (folder / "CHANGELOG.md").read_text()
    assert "Claims compared with release 2026-11-27." in changelog
    assert "- Detroit Police Department (MI), DataWorks Plus (product not named): procured -> ended" in changelog
    assert [r["version"] for r in releases(tmp_path / "releases")] == ["2026-11-28", "2026-11-27"]


def test_an_agency_statement_stands_beside_the_evidence(tmp_path):
    data = copy_data(tmp_path)
    with open(data / "agency_statements.csv", "a", encoding="utf-8") as fh:
        fh.write(
            'MI8234900,DataWorks Plus,denied,"Synthetic test statement: we never used it.",2021-01-05,'
            "http://127.0.0.1/statement,test\n"
            'NOT-AN-AGENCY,,denied,"Synthetic.",2021-01-05,http://127.0.0.1/s,test\n'
        )
    db = tmp_path / "db.duckdb"
    build(db, data_dir=data)
    con = connect(db, read_only=True)
    try:
        claim = con.execute("""SELECT status, contested, evidence_count FROM views.claims
                               WHERE agency_id = 'MI8234900' AND vendor = 'DataWorks Plus'""").fetchone()
        rejected = con.execute("SELECT reason FROM core.quarantine WHERE source_id = 'agency_statements'").fetchall()
    finally:
        con.close()
    assert claim == ("procured", True, 2)  # the denial is kept beside the contract, not in place of it
    assert rejected == [("statement: agency_id is not in the registry",)]


def test_a_release_can_bake_its_public_site_beside_its_parquet(built_db, tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ingest",
            "release",
            "--version",
            "v-site",
            "--out",
            str(tmp_path),
            "--db",
            str(built_db),
            "--site",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    folder = tmp_path / "v-site"
    assert (folder / "manifest.json").exists() and list(folder.glob("*.parquet"))
    assert (folder / "site" / "index.html").exists() and (folder / "site" / "agency" / "FL0130600.html").exists()
    assert "Its public site, beside the Parquet" in done.stdout + done.stderr
