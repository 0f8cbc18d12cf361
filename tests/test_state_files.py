"""Local state files, feeds, builds and releases hold up against damaged files and hostile text.

Tracked requests and watchlists: a damaged file is kept aside (never overwritten) and said so in one
sentence. Watchlist slugs are unique. Atom feeds stay readable XML whatever the records hold. The build
says exactly what it changed, and cleans up after builds that were killed. Release versions are checked.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dashboard import tracker
from ingest import changes, db, release, watchlists

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"
BUILD_TIMEOUT = 300
GOOD = {
    "agency_id": "MI8234900",
    "agency_name": "Detroit Police Department",
    "state": "MI",
    "sent_on": "2026-11-02",
    "status": "sent",
    "note": "",
}


def kept_aside(file: Path) -> list[Path]:
    return sorted(file.parent.glob(f"{file.name}.damaged-*"))


# ------------------------------------------------------------------------------------ tracked requests

# What a damaged file holds, and whether its one good entry survives (it does where only another entry is bad).
DAMAGED_REQUESTS = {
    "not JSON": ("{this is not json", False),
    "not UTF-8": (b"\xff\xfe\x00garbage", False),
    "an object, not a list": (json.dumps({"requests": [GOOD]}), False),
    "a list of numbers": (json.dumps([1, 2, 3]), False),
    "a month 13": (json.dumps([GOOD, {**GOOD, "sent_on": "2026-13-01"}]), True),
    "the year 9999": (json.dumps([GOOD, {**GOOD, "sent_on": "9999-12-31"}]), True),
    "the year 1": (json.dumps([GOOD, {**GOOD, "sent_on": "0001-01-01"}]), True),
    "a number for a date": (json.dumps([GOOD, {**GOOD, "sent_on": 20261102}]), True),
    "an unknown status": (json.dumps([GOOD, {**GOOD, "status": "lost"}]), True),
    "a missing field": (json.dumps([GOOD, {k: v for k, v in GOOD.items() if k != "state"}]), True),
    "an unknown field": (json.dumps([GOOD, {**GOOD, "owner": "x"}]), True),
}


@pytest.mark.parametrize("damage", DAMAGED_REQUESTS, ids=list(DAMAGED_REQUESTS))
def test_a_damaged_requests_file_is_kept_aside_with_a_sentence(tmp_path, damage):
    file = tmp_path / "requests.json"
    content, keeps_good = DAMAGED_REQUESTS[damage]
    original = content.encode("utf-8") if isinstance(content, str) else content
    file.write_bytes(original)

    loaded = tracker.load_checked(file)

    assert loaded.problem and "kept aside" in loaded.problem and "Traceback" not in loaded.problem
    (aside,) = kept_aside(file)
    assert aside.read_bytes() == original, "the damaged file must be kept as it was"
    assert loaded.problem.count(aside.name) == 1
    salvaged = [tracker.Request(**GOOD)] if keeps_good else []
    assert loaded.items == salvaged
    # What is left in place is readable, and reading it again finds nothing wrong.
    again = tracker.load_checked(file)
    assert again.problem is None and again.items == salvaged
    assert tracker.kept_aside(file) == [aside]


def test_tracking_a_request_over_a_damaged_file_keeps_the_old_file(tmp_path):
    file = tmp_path / "requests.json"
    file.write_text('[{"agency_id": ', encoding="utf-8")
    tracker.add(tracker.Request("PR0000000", "Policía de Puerto Rico", "PR", "2026-11-30"), file)
    assert [r.state for r in tracker.load(file)] == ["PR"]
    (aside,) = kept_aside(file)
    assert aside.read_text(encoding="utf-8") == '[{"agency_id": '


def test_a_damaged_file_that_cannot_be_set_aside_is_never_written_over(tmp_path, monkeypatch):
    from ingest import statefile

    def refuse(*args):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(statefile.os, "rename", refuse)
    requests, watches = tmp_path / "requests.json", tmp_path / "watchlists.json"
    requests.write_text("not json", encoding="utf-8")
    watches.write_text("{}", encoding="utf-8")
    assert "could not be set aside (read-only folder)" in tracker.load_checked(requests).problem
    with pytest.raises(ValueError, match="it was left as it is"):
        tracker.add(tracker.Request(**GOOD), requests)
    with pytest.raises(ValueError, match="it was left as it is"):
        watchlists.add(watchlists.Watch("Detroit", "city", "Detroit"), watches)
    with pytest.raises(ValueError, match="it was left as it is"):
        watchlists.remove("Detroit", watches)
    assert requests.read_text(encoding="utf-8") == "not json" and watches.read_text(encoding="utf-8") == "{}"


def test_a_bad_request_is_refused_with_a_sentence_before_anything_is_written(tmp_path):
    file = tmp_path / "requests.json"
    with pytest.raises(ValueError, match="outside 1960-2099"):
        tracker.add(tracker.Request("x", "X", "MI", "9999-12-31"), file)
    with pytest.raises(ValueError, match="status must be one of"):
        tracker.update(0, "lost", file)
    with pytest.raises(ValueError, match="no longer in the list"):
        tracker.update(3, "closed", file)
    assert not file.exists()


# ----------------------------------------------------------------------------------------- watchlists


def test_names_with_one_slug_are_refused_with_a_sentence(tmp_path):
    file = tmp_path / "watchlists.json"
    watchlists.add(watchlists.Watch("My City", "city", "Detroit"), file)
    with pytest.raises(ValueError, match="too close to the watchlist 'My City'.*watch-my-city.xml"):
        watchlists.add(watchlists.Watch("my city!", "city", "Flint"), file)
    watchlists.add(watchlists.Watch("My City", "city", "Flint"), file)  # the same name replaces it
    assert [(w.name, w.value) for w in watchlists.load(file)] == [("My City", "Flint")]


def test_non_latin_names_get_their_own_stable_slugs(tmp_path):
    file = tmp_path / "watchlists.json"
    for name in ("Москва", "Київ", "東京", "القاهرة"):
        watchlists.add(watchlists.Watch(name, "city", name), file)
    slugs = [w.slug for w in watchlists.load(file)]
    assert len(set(slugs)) == 4 and all(s.startswith("w-") and len(s) == 12 for s in slugs), slugs
    assert watchlists.Watch("Москва", "city", "x").slug == slugs[0], "a slug must not change between runs"


def test_a_watchlist_name_has_a_length_limit(tmp_path):
    file = tmp_path / "watchlists.json"
    watchlists.add(watchlists.Watch("x" * watchlists.NAME_LIMIT, "city", "Detroit"), file)
    with pytest.raises(ValueError, match="at most 80 characters; this one has 81"):
        watchlists.add(watchlists.Watch("y" * 81, "city", "Detroit"), file)
    with pytest.raises(ValueError, match="control characters"):
        watchlists.add(watchlists.Watch("a\nb", "city", "Detroit"), file)


def test_a_watchlists_file_with_shared_slugs_or_long_names_is_kept_aside(tmp_path):
    file = tmp_path / "watchlists.json"
    entries = [
        {"name": "My City", "kind": "city", "value": "Detroit"},
        {"name": "my city!", "kind": "city", "value": "Flint"},
        {"name": "z" * 300, "kind": "city", "value": "Flint"},
        {"name": "Vendors", "kind": "planet", "value": "Mars"},
    ]
    file.write_text(json.dumps(entries), encoding="utf-8")
    loaded = watchlists.load_checked(file)
    assert [w.name for w in loaded.items] == ["My City"]
    assert "share the feed name 'my-city'" in loaded.problem and "at most 80" in loaded.problem
    assert "follows one of" in loaded.problem
    (aside,) = kept_aside(file)
    assert json.loads(aside.read_text(encoding="utf-8")) == entries


# ----------------------------------------------------------------------------------------- Atom feeds

HOSTILE = "".join(chr(c) for c in range(0x20)) + "\ufffe\uffff<script>alert('x')</script> & <b>bold</b>"


@pytest.fixture()
def hostile_changes(tmp_path):
    path = tmp_path / "feed.duckdb"
    con = db.connect(path)
    db.create_schema(con)
    at = dt.datetime(2026, 12, 1, 12, 0)
    rows = [
        (
            at,
            "added",
            "e1\x00",
            "A1",
            "Police\x07 <i>Dept</i>",
            "MI",
            "V",
            "P\x1b",
            "procured",
            HOSTILE,
            "javascript:alert(document.cookie)",
        ),
        (at, "added", "e2", "A2", "Sheriff", "TX", "V", "P", "used", "plain", " JaVaScRiPt:alert(1)"),
        (at, "added", "e3", "A3", "Marshal", None, "V", "P", "used", "ok", "https://example.org/a?b=1&c=<2>"),
        (at, "removed", "e4", "A4", "Data\ufffeURL", "CA", "V", "P", "used", "x", "data:text/html,<script>"),
    ]
    con.executemany("INSERT INTO meta.changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    yield con
    con.close()


def test_a_feed_of_hostile_records_is_well_formed_and_inert(hostile_changes):
    text = changes.atom(hostile_changes, title="Who's Watching: \x0bMy <City>")
    feed = ET.fromstring(text.encode("utf-8"))  # the stdlib parser refuses anything XML 1.0 forbids
    assert feed.find(f"{ATOM}title").text == "Who's Watching: My <City>"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    hrefs = [link.get("href") for e in entries for link in e.findall(f"{ATOM}link")]
    assert hrefs == ["https://example.org/a?b=1&c=<2>"], hrefs
    texts = {e.find(f"{ATOM}id").text: e for e in entries}
    first = next(e for i, e in texts.items() if ":e1:" in i)
    body = first.find(f"{ATOM}content")
    # Text, never markup: the tags come back as the characters the record held, with no child elements.
    assert body.get("type") == "text" and len(body) == 0
    assert body.text == "\t\n\r<script>alert('x')</script> & <b>bold</b>"
    assert first.find(f"{ATOM}title").text == "added: Police <i>Dept</i> (MI), P, procured"
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert all(e.find(f"{ATOM}updated").text.startswith("2026-12-01T12:00:00") for e in entries)
    assert not any(ord(c) < 0x20 and c not in "\t\n\r" for c in text)


# -------------------------------------------------------------------------------------------- builds


def start_build(database: Path, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", "build", "--db", str(database)],
        cwd=ROOT,
        env={**os.environ, "WATCHDOG_ARCHIVE": str(database.parent / "archive"), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def finish(proc: subprocess.Popen) -> str:
    try:
        out, _ = proc.communicate(timeout=BUILD_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return " ".join(out.decode("utf-8", "replace").split())  # rich wraps long lines


def test_a_build_with_a_damaged_watchlists_file_says_what_it_changed(tmp_path):
    watches = tmp_path / "watchlists.json"
    watches.write_text('[{"name": "My City", "kind": ', encoding="utf-8")
    live = tmp_path / "watchdog.duckdb"
    proc = start_build(live, WATCHDOG_WATCHLISTS=str(watches))
    output = finish(proc)
    assert proc.returncode == 0, output
    assert "The live database was not changed" not in output
    assert f"Built {live} and swapped it in." in output
    assert f"Feeds written: 1 in {tmp_path / 'feeds'}." in output
    assert "Watchlist feeds: The watchlists file" in output and "kept aside" in output
    assert "Traceback" not in output and "Error" not in output
    assert live.exists() and (tmp_path / "feeds" / "whats-new.xml").exists()
    (aside,) = kept_aside(watches)
    assert aside.read_text(encoding="utf-8") == '[{"name": "My City", "kind": '


def test_publishing_feeds_never_raises_and_reports_what_it_wrote(built_db, tmp_path, monkeypatch):
    from ingest.build import publish_feeds

    live = tmp_path / "watchdog.duckdb"
    shutil.copyfile(built_db, live)
    watches = tmp_path / "watchlists.json"
    watches.write_text(
        json.dumps(
            [
                {"name": "Detroit", "kind": "city", "value": "Detroit"},
                {"name": "d" * 400, "kind": "city", "value": "Detroit"},
                {"name": "Москва", "kind": "city", "value": "Moscow"},
            ]
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("WATCHDOG_WATCHLISTS", str(watches))
    published = publish_feeds(live)
    names = sorted(p.name for p in published.written)
    assert names == sorted(["whats-new.xml", "watch-detroit.xml", f"watch-{watchlists.slug_of('Москва')}.xml"])
    assert published.sentence().startswith(f"Feeds written: 3 in {tmp_path / 'feeds'}. Watchlist feeds: ")
    assert "at most 80 characters" in published.sentence()

    shutil.rmtree(tmp_path / "feeds")
    (tmp_path / "feeds").write_text("a file where the folder belongs")
    published = publish_feeds(live)
    assert published.written == []
    assert published.sentence().startswith("Feeds were not written: ")
    assert published.sentence().endswith("The database was updated.")


def test_the_next_build_removes_what_a_killed_build_left(tmp_path, built_db):
    live = tmp_path / "watchdog.duckdb"
    shutil.copyfile(built_db, live)
    # A build still running (this test's own process stands for it) keeps its files.
    running = db.building_path(live, os.getpid())
    running.write_bytes(b"in progress")

    proc = start_build(live)
    building = db.building_path(live, proc.pid)
    wal = Path(f"{building}.wal")
    try:
        deadline = time.monotonic() + BUILD_TIMEOUT
        while sum(p.stat().st_size for p in (building, wal) if p.exists()) < 1_000_000 and proc.poll() is None:
            assert time.monotonic() < deadline, "the build never got under way"
            time.sleep(0.05)
        assert proc.poll() is None, "the build finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    left = sorted(p.name for p in (building, wal) if p.exists())
    assert building.name in left

    rerun = start_build(live)
    output = finish(rerun)
    assert rerun.returncode == 0, output
    assert f"Removed {len(left)} file(s) left behind by builds that were killed: {', '.join(left)}." in output
    assert not building.exists() and not wal.exists()
    assert running.read_bytes() == b"in progress"
    assert sorted(p.name for p in tmp_path.glob(".*.building*")) == [running.name]


def test_leftovers_of_dead_processes_are_told_apart_from_other_files(tmp_path):
    live = tmp_path / "watchdog.duckdb"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine = [db.building_path(live, dead.pid), Path(f"{db.building_path(live, dead.pid)}.wal")]
    others = [
        tmp_path / ".watchdog.duckdb.abc.building",
        tmp_path / ".other.duckdb.1.building",
        db.building_path(live, os.getpid()),
    ]
    for path in mine + others:
        path.write_text("x")
    assert db.remove_dead_builds(live) == sorted(mine)
    assert all(p.exists() for p in others)


# ------------------------------------------------------------------------------------------- releases


@pytest.mark.parametrize(
    "version",
    [
        "../../x",
        "../escaped",
        "ABSOLUTE",
        ".",
        "..",
        "",
        "2026-12-06\n- injected line",
        "a/b",
        "x" * 65,
        "-rf",
        " v1",
        "v1\n",
    ],
)
def test_release_refuses_a_version_that_is_not_a_plain_name(tmp_path, built_db, version):
    out = tmp_path / "nest" / "releases"
    version = str(tmp_path / "absolute") if version == "ABSOLUTE" else version
    proc = subprocess.run(
        [sys.executable, "-m", "ingest", "release", f"--version={version}", "--db", str(built_db), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    message = " ".join(proc.stderr.split())
    assert "Nothing was written." in message and "cannot be a release version" in message, message
    assert "Traceback" not in message and "ValueError" not in message
    assert list(tmp_path.rglob("*")) == [], "nothing may be written, inside the releases folder or out of it"


def test_release_accepts_a_plain_version_through_the_cli(tmp_path, built_db):
    out = tmp_path / "releases"
    proc = subprocess.run(
        [sys.executable, "-m", "ingest", "release", "--version", "v1.2_rc-3", "--db", str(built_db), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in out.iterdir()] == ["v1.2_rc-3"]


def test_a_name_with_line_breaks_stays_on_its_changelog_line():
    text = release.changelog_markdown(
        "v1",
        None,
        {"added": [("Evil\n# Injected\r\n- line", "MI", "P\x00", None, "used")], "removed": [], "changed": []},
    )
    assert "- Evil # Injected - line (MI), P: used" in text
    assert "\n# Injected" not in text and "\x00" not in text
