"""The What's new history outlives the database: it is kept append-only in changes.jsonl beside the archive's
runs.jsonl, and every build loads it back, so deleting the database file is always safe."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ingest import changes
from ingest.db import connect

ROOT = Path(__file__).resolve().parent.parent
DETROIT_ROW = "atlas_2020:AOS0137:dataworks_plus"


def build(database: Path, data: Path, state: Path) -> None:
    """`python -m ingest build` in a real process, reading `data` and keeping its state in `state`."""
    env = {**os.environ, "WATCHDOG_ARCHIVE": str(state), "WATCHDOG_DB": str(database)}
    code = (
        "import sys; from pathlib import Path; from ingest.build import build; "
        "build(Path(sys.argv[1]), data_dir=Path(sys.argv[2]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(database), str(data)], cwd=ROOT, env=env, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()


def history_of(database: Path) -> list[tuple]:
    con = connect(database, read_only=True)
    try:
        return con.execute("SELECT built_at, change, evidence_id FROM meta.changes ORDER BY ALL").fetchall()
    finally:
        con.close()


def drop_detroit(data: Path) -> None:
    atlas = data / "atlas_of_surveillance/atlas_of_surveillance_2020-10-07_face_recognition.csv"
    text = atlas.read_text(encoding="utf-8")
    start = text.index('"AOS0137"')
    end = text.index('\n"AOS', start)
    atlas.write_text(text[:start] + text[end + 1 :], encoding="utf-8")


def test_deleting_the_database_loses_no_history(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "feeds", "archive", "uploads"))
    state, database = tmp_path / "state", tmp_path / "db" / "watchdog.duckdb"

    build(database, data, state)
    first = history_of(database)
    assert first and {change for _, change, _ in first} == {"added"}
    drop_detroit(data)
    build(database, data, state)
    second = history_of(database)
    assert [row for row in second if row not in first] == [(second[-1][0], "removed", DETROIT_ROW)]

    database.unlink()
    build(database, data, state)  # from nothing: the same inputs, so nothing new, and all the history back
    third = history_of(database)
    assert third == second
    assert len(set(third)) == len(third)
    assert len(changes.read_history(state / "changes.jsonl")) == len(second)


def test_a_line_cut_short_by_a_crash_is_skipped_and_spoils_nothing(tmp_path):
    import datetime as dt

    path = tmp_path / "changes.jsonl"
    row = (dt.datetime(2026, 1, 2, 3, 4, 5), "added", "e1", "a1", "Agency", "MI", "V", "P", "use", "text", None)
    changes.append_history(path, [row])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"built_at": "2026-01-0')  # the process died here
    changes.append_history(path, [(row[0], "removed", *row[2:])])
    assert [r[1] for r in changes.read_history(path)] == ["added", "removed"]
    assert changes.read_history(path)[0] == row
