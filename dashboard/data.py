"""Read-only access to the database for the pages.

A build swaps a new file in with os.replace. The cached connection is keyed on the file's
identity (inode and mtime), so the first query after a swap opens the new file while any
query still running on the old connection finishes on the old, unchanged file.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

from ingest.paths import db_path  # noqa: E402


class DatabaseMissing(RuntimeError):
    pass


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, stamp: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    # duckdb.connect(path) would hand back the database already open for that path (the old inode) while
    # any connection to it lives; a fresh in-memory instance that ATTACHes the file opens the file as it is now.
    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False})
    con.execute("ATTACH ? AS live (READ_ONLY)", [path])
    con.execute("USE live")
    return con


def connection() -> duckdb.DuckDBPyConnection:
    path = db_path()
    if not path.exists():
        raise DatabaseMissing(f"No database at {path}. Run `make data` (or `python -m ingest build`).")
    return _connection(str(path), _stamp(path))


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the current file (a cursor starts in the in-memory database, not the attached file)."""
    cur = connection().cursor()
    cur.execute("USE live")
    return cur


def query(sql: str, params: dict | list | None = None) -> pd.DataFrame:
    """Run one parameterised query on its own cursor (cursors are per-thread safe)."""
    cur = cursor()
    try:
        return cur.execute(sql, params or {}).df()
    finally:
        cur.close()


def database_label() -> str:
    path = db_path()
    return f"{path.name} · built {pd.Timestamp(os.path.getmtime(path), unit='s'):%Y-%m-%d %H:%M} UTC"


@st.cache_resource(max_entries=2, show_spinner="Loading the agency registry ...")
def _matcher(path: str, stamp: tuple[int, int]):
    from ingest.matching import from_database

    cursor = _connection(path, stamp).cursor()
    try:
        cursor.execute("USE live")
        return from_database(cursor)
    finally:
        cursor.close()


def matcher():
    """The claims engine's agency matcher over this database, built once per database file."""
    path = db_path()
    return _matcher(str(path), _stamp(path))
