"""Shared fixtures: one database built from the bundled data for the whole test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.build import build
from ingest.db import connect

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """A real DuckDB file built from data/ exactly as `make data` builds it."""
    path = tmp_path_factory.mktemp("db") / "watchdog.duckdb"
    build(path)
    return path


@pytest.fixture(scope="session")
def db(built_db):
    # Same configuration as the dashboard's reader: DuckDB refuses two in one process that differ.
    con = connect(built_db, read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session", autouse=True)
def _point_dashboard_at_test_db(built_db):
    """Pages read WATCHDOG_DB; point it at the session's database, never at data/watchdog.duckdb."""
    old = os.environ.get("WATCHDOG_DB")
    os.environ["WATCHDOG_DB"] = str(built_db)
    yield
    if old is None:
        os.environ.pop("WATCHDOG_DB", None)
    else:
        os.environ["WATCHDOG_DB"] = old
