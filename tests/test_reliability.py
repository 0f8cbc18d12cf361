"""Crashes and concurrency with real processes and real files.

- A `python -m ingest build` killed with SIGKILL in the middle leaves the live database exactly as it
  was, and the next build succeeds with the same row counts as a clean build (no duplicates).
- The dashboard's reader (dashboard/data.py `query()`) keeps answering, with zero errors, while five real
  rebuilds swap the database underneath it.

No sleeps stand in for conditions: every wait polls a condition against a deadline, and every process
started here is killed and reaped whatever happens.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from ingest import archive
from ingest.db import connect

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT = 120  # seconds; a build of data/ takes a few seconds on 2 cores
# Tables whose row counts a build must reproduce exactly. meta.changes is left out on purpose: it is
# the build-to-build history, so a rebuild over an existing file rightly has more rows than a first build.
COUNTED = (
    "raw.records",
    "meta.raw_files",
    "meta.ingest_runs",
    "meta.sources",
    "core.agencies",
    "core.vendors",
    "core.products",
    "core.evidence",
    "core.evidence_links",
    "core.procurement",
    "core.policies",
    "core.quarantine",
    "core.places",
    "core.states",
    "core.agency_aliases",
    "core.records_laws",
    "core.research",
    "views.claims",
)


def wait_for(condition, timeout: float, what: str, interval: float = 0.02):
    """Poll `condition` until it returns something truthy; fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(path: Path) -> dict[str, int]:
    con = connect(path, read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
    finally:
        con.close()


def start_build(db: Path, **env) -> subprocess.Popen:
    # `python -m ingest build` exactly as `make data` runs it; its pid names the .building file.
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", "build", "--db", str(db)],
        cwd=ROOT,
        env={**os.environ, **env},
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
    return out.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def clean_counts(built_db) -> dict[str, int]:
    """Row counts of a clean build of data/ (the session's database, built by ingest.build.build)."""
    found = counts(built_db)
    assert found["core.evidence"] > 0 and found["raw.records"] > 0
    return found


def test_sigkill_in_the_middle_of_a_build_leaves_the_live_file_and_the_rerun_is_clean(tmp_path, built_db, clean_counts):
    live = tmp_path / "watchdog.duckdb"
    shutil.copyfile(built_db, live)
    before_inode, before_sha = live.stat().st_ino, sha256(live)

    proc = start_build(live)
    try:
        building = live.with_name(f".{live.name}.{proc.pid}.building")
        wal = Path(f"{building}.wal")

        def well_under_way():
            # Past opening the file: data is being written (to the file or its WAL), so the kill lands
            # in the middle of loading, not before the build began.
            size = sum(p.stat().st_size for p in (building, wal) if p.exists())
            return size > 1_000_000 or proc.poll() is not None

        wait_for(well_under_way, BUILD_TIMEOUT, f"{building.name} to be written")
        assert proc.poll() is None, "the build finished before it could be killed: " + finish(proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=BUILD_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert building.exists(), "a build killed mid-way leaves its .building file; it must not be the live one"

    # The live file is the same file, byte for byte, and opens read-only as the dashboard opens it.
    assert live.stat().st_ino == before_inode
    assert sha256(live) == before_sha
    assert counts(live) == clean_counts

    # The rerun (another pid, so another .building name) is not disturbed by the dead build's leftovers.
    rerun = start_build(live)
    output = finish(rerun)
    assert rerun.returncode == 0, output
    assert live.stat().st_ino != before_inode, "the rerun must swap in a new file"
    assert counts(live) == clean_counts, "the rerun after a crash must equal a clean build: no duplicates"
    # Only the killed build's own leftovers may remain; the rerun left none of its own behind.
    leftovers = sorted(p.name for p in tmp_path.glob(f".{live.name}.*.building*"))
    assert all(f".{proc.pid}." in name for name in leftovers), leftovers


def test_dashboard_reader_sees_no_error_while_five_rebuilds_swap_the_file(tmp_path, built_db, monkeypatch):
    from dashboard import data, queries
    from dashboard.lookup import lookup

    live = tmp_path / "watchdog.duckdb"
    shutil.copyfile(built_db, live)
    monkeypatch.setenv("WATCHDOG_DB", str(live))  # dashboard.data reads it at every query
    # The reader keeps to one core, so that on a 2-core machine the rebuilds are not starved of the other.
    monkeypatch.setenv("WATCHDOG_DB_THREADS", "1")
    detroit = "MI8234900"

    errors: list[str] = []
    rounds: list[tuple] = []  # (inode, mtime) of the live file at the start of each completed round
    stop = threading.Event()

    def reader():
        # What a page does on every rerun, in a loop: stat the file, reuse or reopen the cached
        # read-only connection, run the real dashboard queries.
        while not stop.is_set():
            try:
                stamp = data._stamp(live)  # the dashboard's own cache key; inodes alone get reused
                assert len(queries.map_agencies(queries.Filters())) > 0
                assert len(queries.map_agencies(queries.Filters(states=["MI"], year_from=2015))) > 0
                assert len(lookup("Detroit", data.query).agencies) > 0
                assert queries.agency(detroit) is not None
                assert len(queries.agency_evidence(detroit)) > 0
                assert len(queries.claims_export(queries.Filters(states=["TX"]))) > 0
                rounds.append(stamp)
            except Exception as exc:  # any failure at all is what this test is about
                errors.append(f"{type(exc).__name__}: {exc}")
            # A visitor's pace, not a wait for a condition: a few page reruns a second, leaving the
            # builds some CPU on a 2-core machine.
            stop.wait(0.2)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        wait_for(lambda: rounds, 60, "the reader's first round of queries")
        for n in range(5):
            proc = start_build(live)
            output = finish(proc)
            assert proc.returncode == 0, f"rebuild {n + 1}: {output}"
            swapped_in = data._stamp(live)
            # Reads must have happened on both sides of every swap, not only before the first.
            wait_for(
                lambda swapped_in=swapped_in: swapped_in in rounds or errors,
                60,
                f"a round of queries after rebuild {n + 1}",
            )
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert errors == [], f"{len(errors)} failed reads of {len(rounds) + len(errors)}: {errors[:5]}"
    assert len(set(rounds)) == 6, "rounds should have started on the first file and after each of five rebuilds"


def test_dashboard_reader_reads_the_new_file_after_a_swap(tmp_path, built_db, monkeypatch):
    from dashboard import data

    live = tmp_path / "watchdog.duckdb"
    shutil.copyfile(built_db, live)
    monkeypatch.setenv("WATCHDOG_DB", str(live))
    stamp = "SELECT max(started_at) AS t FROM meta.ingest_runs"
    first = data.query(stamp)["t"].iloc[0]

    # A swap as db.swapped_build does it: a sibling file, finished and closed, then os.replace. Its content
    # differs from the live file's in one value, so which file a query read is plain to see.
    building = live.with_name(f".{live.name}.test.building")
    shutil.copyfile(built_db, building)
    con = connect(building)
    try:
        con.execute("UPDATE meta.ingest_runs SET started_at = started_at + INTERVAL 1 DAY")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(building, live)

    assert data.query(stamp)["t"].iloc[0] == first + pd.Timedelta(days=1)


def test_sigkill_in_the_middle_of_a_live_ingest_leaves_the_live_file_and_the_rerun_is_clean(
    tmp_path, built_db, clean_counts
):
    """`python -m ingest run all` against one loopback server playing every live source (tests/test_ingest_live.py),
    killed while the server holds MuckRock's agency lookup: three sources already archived, one half-fetched."""
    import json

    from pytest_httpserver import HTTPServer
    from werkzeug import Response

    from tests.test_ingest_live import play_every_source
    from tests.test_usaspending_awards import serve_usaspending

    held, release = threading.Event(), threading.Event()

    def hold_the_first_lookup(request):
        if not held.is_set():
            held.set()
            release.wait(BUILD_TIMEOUT)
        return Response(
            json.dumps({"id": 68, "name": "Federal Aviation Administration", "jurisdiction": 10}),
            content_type="application/json",
        )

    def ingest_run(folder: Path, **popen) -> subprocess.Popen:
        env = {
            **os.environ,
            "WATCHDOG_DB": str(folder / "watchdog.duckdb"),
            "WATCHDOG_ARCHIVE": str(folder / "archive"),
            "WATCHDOG_HTTP_INTERVAL": "0",
        }
        return subprocess.Popen(
            [sys.executable, "-m", "ingest", "run", "all", "--base-url", server.url_for("/").rstrip("/")],
            cwd=ROOT,
            env=env,
            stderr=subprocess.STDOUT,
            **popen,
        )

    def data_counts(path: Path) -> dict[str, int]:
        # Run history grows with every run (the killed one included) and quarantine holds a bad row once per
        # archived response holding it: compare what the data is, and each quarantined row once.
        found = {
            t: n for t, n in counts(path).items() if t not in ("meta.ingest_runs", "meta.raw_files", "core.quarantine")
        }
        con = connect(path, read_only=True)
        try:
            found["distinct quarantine"] = con.execute(
                "SELECT count(*) FROM (SELECT DISTINCT source_id, reason, raw_text FROM core.quarantine)"
            ).fetchone()[0]
        finally:
            con.close()
        return found

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)  # threaded: a held request blocks no other
    server.start()
    try:
        server.expect_request("/api_v2/agencies/68/").respond_with_handler(hold_the_first_lookup)
        play_every_source(server)
        serve_usaspending(server)  # award details, after play_every_source's own search answers
        killed_dir, clean_dir = tmp_path / "killed", tmp_path / "clean"
        killed_dir.mkdir()
        clean_dir.mkdir()
        live = killed_dir / "watchdog.duckdb"
        shutil.copyfile(built_db, live)
        before_inode, before_sha = live.stat().st_ino, sha256(live)

        with open(tmp_path / "killed.log", "wb") as log:  # a file, not a pipe nobody reads
            proc = ingest_run(killed_dir, stdout=log)
        try:
            wait_for(lambda: held.is_set() or proc.poll() is not None, BUILD_TIMEOUT, "the MuckRock agency lookup")
            assert proc.poll() is None, (
                "the run ended before it could be killed: " + (tmp_path / "killed.log").read_text()
            )
        finally:
            proc.kill()  # SIGKILL: mid-run, while the server holds the request
            proc.wait(timeout=BUILD_TIMEOUT)
        release.set()
        assert proc.returncode == -signal.SIGKILL
        archived = killed_dir / "archive"
        assert [p.name for p in (archived / "atlas").iterdir() if p.is_dir()], "sources before MuckRock were archived"
        assert list((archived / "muckrock").glob(".partial-*")), "the kill landed in the middle of MuckRock"

        # The live file is the same file, byte for byte, and opens read-only as the dashboard opens it.
        assert live.stat().st_ino == before_inode and sha256(live) == before_sha
        assert counts(live) == clean_counts

        # The rerun and a clean run into a folder of its own share nothing: they run side by side.
        rerun = ingest_run(killed_dir, stdout=subprocess.PIPE)
        clean = ingest_run(clean_dir, stdout=subprocess.PIPE)
        try:
            for run in (rerun, clean):
                output = finish(run)
                assert run.returncode == 0, output
        finally:
            for run in (rerun, clean):
                if run.poll() is None:
                    run.kill()
                    run.wait()
    finally:
        release.set()
        server.clear()
        server.stop()
    assert live.stat().st_ino != before_inode, "the rerun must swap in a new file"
    assert data_counts(live) == data_counts(clean_dir / "watchdog.duckdb"), "no duplicates after a killed run"
    # The killed run could not discard its partial folder: the rerun removed it, and said so in the run log.
    assert not list((archived / "muckrock").glob(".partial-*"))
    assert any(
        "removed 1 partial run(s) left by a fetch that was killed" in note
        for run in archive.read_runs(archived)
        if run["source_id"] == "muckrock"
        for note in run["notes"]
    )
    assert data_counts(live)["raw.records"] > clean_counts["raw.records"], "the live records are in"
