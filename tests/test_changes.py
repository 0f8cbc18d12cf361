"""What's new: each build records what it added and removed against what the history holds, keeps the
history append-only beside the archive's run log (so deleting the database loses none of it), and publishes
an Atom feed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from ingest import changes
from ingest.build import build
from ingest.changes import atom
from ingest.db import connect

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"


def valid_atom(text: str) -> ET.Element:
    """RFC 4287's required elements: feed id, title, updated, author; each entry id, title, updated."""
    feed = ET.fromstring(text)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert (entry.find(f"{ATOM}{name}").text or "").strip(), name
    return feed


DETROIT_ROW = "atlas_2020:AOS0137:dataworks_plus"


def run_build(database: Path, data: Path, state: Path) -> None:
    """A build in a real process, as `make data` runs one, reading `data` and keeping its history in `state`."""
    env = {**os.environ, "WATCHDOG_ARCHIVE": str(state), "WATCHDOG_DB": str(database)}
    code = "import sys; from pathlib import Path; from ingest.build import build; build(Path(sys.argv[1]), Path(sys.argv[2]))"
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
    """Drop the Detroit row from the 2020 Atlas export: the next build must report it removed."""
    atlas = data / "atlas_of_surveillance/atlas_of_surveillance_2020-10-07_face_recognition.csv"
    text = atlas.read_text(encoding="utf-8")
    start = text.index('"AOS0137"')
    end = text.index('\n"AOS', start)
    atlas.write_text(text[:start] + text[end + 1 :], encoding="utf-8")


def test_builds_record_additions_and_removals_and_deleting_the_database_loses_none(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "feeds", "archive", "uploads"))
    state, live = tmp_path / "state", tmp_path / "db" / "watchdog.duckdb"
    run_build(live, data, state)
    first = history_of(live)
    assert first and {change for _, change, _ in first} == {"added"}
    drop_detroit(data)
    run_build(live, data, state)
    con = connect(live, read_only=True)
    try:
        builds = con.execute("SELECT count(DISTINCT built_at) FROM meta.changes").fetchone()[0]
        removed = con.execute("SELECT evidence_id FROM meta.changes WHERE change = 'removed'").fetchall()
        feed = valid_atom(atom(con))
        michigan = valid_atom(atom(con, where_state="MI"))
    finally:
        con.close()
    assert builds == 2
    assert removed == [(DETROIT_ROW,)]
    assert any(
        "removed: Detroit Police Department" in e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")
    )
    assert all("(MI)" in e.find(f"{ATOM}title").text for e in michigan.findall(f"{ATOM}entry"))
    written = (live.parent / "feeds" / "whats-new.xml").read_text(encoding="utf-8")
    assert valid_atom(written).findall(f"{ATOM}entry")
    second = history_of(live)
    assert [row for row in second if row not in first] == [(second[-1][0], "removed", DETROIT_ROW)]

    # The history is kept beside the archive's run log, not only in the database: a build from nothing
    # (the same inputs, so nothing new) has all of it back, with nothing twice.
    live.unlink()
    run_build(live, data, state)
    third = history_of(live)
    assert third == second
    assert len(set(third)) == len(third)
    assert len(changes.read_history(state / "changes.jsonl")) == len(second)


def test_a_history_line_cut_short_by_a_crash_is_skipped_and_spoils_nothing(tmp_path):
    path = tmp_path / "changes.jsonl"
    row = (dt.datetime(2026, 1, 2, 3, 4, 5), "added", "e1", "a1", "Agency", "MI", "V", "P", "used", "text", None)
    changes.append_history(path, [row])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"built_at": "2026-01-0')  # the process died here
    changes.append_history(path, [(row[0], "removed", *row[2:])])
    assert changes.read_history(path) == [row, (row[0], "removed", *row[2:])]


def test_watchlists_get_their_own_feeds(tmp_path, monkeypatch):
    from ingest import watchlists

    monkeypatch.setenv("WATCHDOG_WATCHLISTS", str(tmp_path / "watchlists.json"))
    watchlists.add(watchlists.Watch("Detroit", "city", "Detroit"))
    watchlists.add(watchlists.Watch("Clearview buyers", "vendor", "clearview ai"))
    assert [w.name for w in watchlists.load()] == ["Detroit", "Clearview buyers"]
    live = tmp_path / "watchdog.duckdb"
    build(live)  # the first build: everything is new
    detroit = valid_atom((tmp_path / "feeds" / "watch-detroit.xml").read_text(encoding="utf-8"))
    titles = [e.find(f"{ATOM}title").text for e in detroit.findall(f"{ATOM}entry")]
    assert titles and all("(MI)" in t for t in titles) and any("Detroit Police Department" in t for t in titles)
    clearview = valid_atom((tmp_path / "feeds" / "watch-clearview-buyers.xml").read_text(encoding="utf-8"))
    assert all("Clearview AI" in e.find(f"{ATOM}title").text for e in clearview.findall(f"{ATOM}entry"))
    assert len(clearview.findall(f"{ATOM}entry")) >= 20
    watchlists.remove("Detroit")
    assert [w.name for w in watchlists.load()] == ["Clearview buyers"]


def test_a_watchlist_must_name_what_it_follows(tmp_path):
    import pytest

    from ingest import watchlists

    with pytest.raises(ValueError, match="follows one of"):
        watchlists.add(watchlists.Watch("x", "planet", "Mars"), tmp_path / "w.json")
    with pytest.raises(ValueError, match="needs a name"):
        watchlists.add(watchlists.Watch("", "city", "Detroit"), tmp_path / "w.json")
