"""Shared fixtures: one database built from the bundled data for the whole test session, built on first use.

Every test gets its own empty archive folder (WATCHDOG_ARCHIVE: live responses, runs.jsonl and the What's new
history, changes.jsonl), so no test reads another's history and none writes into the real one."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.build import build
from ingest.db import connect

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """A real DuckDB file built from data/ exactly as `make data` builds it (its history in its own folder)."""
    path = tmp_path_factory.mktemp("db") / "watchdog.duckdb"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WATCHDOG_ARCHIVE", str(path.parent / "state"))
        build(path)
    return path


@pytest.fixture(scope="session")
def db(built_db):
    # Same configuration as the dashboard's reader: DuckDB refuses two in one process that differ.
    con = connect(built_db, read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def live_first_run(tmp_path_factory) -> dict:
    """One run of every live source against a loopback server (tests/test_ingest_live.py), made once per
    session for every module that reads it (as `first_run`), not once per module."""
    from tests.test_ingest_live import first_live_run

    return first_live_run(tmp_path_factory.mktemp("live"))


@pytest.fixture(scope="session", autouse=True)
def _session_state_folder(tmp_path_factory):
    """Module and session fixtures that build keep their history here, never in the real state folder."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WATCHDOG_ARCHIVE", str(tmp_path_factory.mktemp("session-state")))
        yield


@pytest.fixture(autouse=True)
def _own_state_folder(tmp_path_factory, monkeypatch):
    """A fresh state folder per test: a test's builds append their history there and read no one else's."""
    monkeypatch.setenv("WATCHDOG_ARCHIVE", str(tmp_path_factory.mktemp("state")))


# Modules that build what they need themselves or need no database at all: their tests do not wait for the
# session's build (the whole suite builds it once all the same; a run of these modules alone never does).
NO_DATABASE = frozenset(
    {
        "test_changes",
        "test_claims",
        "test_claims_ladder",
        "test_docs",
        "test_fault_matrix",
        "test_history",
        "test_ingest_connectors",
        "test_ingest_http",
        "test_ingest_live",
        "test_loaders",
        "test_matching",
        "test_scaffold",
        "test_source_eff_border_communities",
        "test_source_eff_campus_police",
        "test_source_federal_agencies",
    }
)


@pytest.fixture(scope="module", autouse=True)
def _point_dashboard_at_test_db(request):
    """Pages read WATCHDOG_DB; point it at the session's database, never at the real one. Module-scoped and
    autouse, so it is set before any module fixture opens a page."""
    if request.module.__name__.rpartition(".")[2] in NO_DATABASE:
        yield
        return
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WATCHDOG_DB", str(request.getfixturevalue("built_db")))
        yield
