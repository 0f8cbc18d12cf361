"""What's new: each build records what it added and removed against the file it replaced, and
publishes an Atom feed."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

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


def test_a_build_records_additions_and_removals_and_keeps_history(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "feeds", "archive", "uploads"))
    live = tmp_path / "db" / "watchdog.duckdb"
    build(live, data_dir=data)
    atlas = data / "atlas_of_surveillance/atlas_of_surveillance_2020-10-07_face_recognition.csv"
    text = atlas.read_text(encoding="utf-8")
    start = text.index('"AOS0137"')  # drop the Detroit row: the next build must report it removed
    end = text.index('\n"AOS', start)
    atlas.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    build(live, data_dir=data)
    con = connect(live, read_only=True)
    try:
        builds = con.execute("SELECT count(DISTINCT built_at) FROM meta.changes").fetchone()[0]
        removed = con.execute("SELECT evidence_id FROM meta.changes WHERE change = 'removed'").fetchall()
        feed = valid_atom(atom(con))
        michigan = valid_atom(atom(con, where_state="MI"))
    finally:
        con.close()
    assert builds == 2
    assert removed == [("atlas_2020:AOS0137:dataworks_plus",)]
    assert any(
        "removed: Detroit Police Department" in e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")
    )
    assert all("(MI)" in e.find(f"{ATOM}title").text for e in michigan.findall(f"{ATOM}entry"))
    written = (live.parent / "feeds" / "whats-new.xml").read_text(encoding="utf-8")
    assert valid_atom(written).findall(f"{ATOM}entry")


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
