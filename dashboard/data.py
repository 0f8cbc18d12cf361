"""Read-only access to the database for the pages.

A build swaps a new file in with os.replace. The cached connection is keyed on the file's
identity (inode and mtime), so the first query after a swap opens the new file while any
query still running on the old connection finishes on the old, unchanged file.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

from ingest import settings  # noqa: E402
from ingest.paths import db_path  # noqa: E402


class DatabaseMissing(RuntimeError):
    pass


class DatabaseDamaged(DatabaseMissing):
    """The file at the database path cannot be read: the pages show this sentence as they do a missing file."""


class DatabaseBusy(DatabaseMissing):
    """Another program holds the file open for writing (DuckDB then refuses every reader)."""


REBUILD = "then rebuild it with `make data` (or `python -m ingest build`)"


def damaged(path: Path, error: BaseException) -> DatabaseMissing:
    """What is wrong with the file at `path` and how to rebuild it, as one sentence a reader can act on.
    The build reads the previous file to record what changed, so it too needs the damaged file out of the way."""
    if "Could not set lock" in str(error):
        return DatabaseBusy(
            f"The database file at {path} is open for writing in another program (a DuckDB shell "
            "or a script): close it there and reload this page."
        )
    if path.is_dir():
        return DatabaseDamaged(
            f"The database path {path} is a folder, not a database file. Move that folder "
            "elsewhere, then build the database with `make data` (or `python -m ingest build`)."
        )
    if isinstance(error, duckdb.CatalogException):
        return DatabaseDamaged(
            f"The database file at {path} does not hold the tables this dashboard reads (it is "
            f"from another version or another program). Move it elsewhere, {REBUILD}."
        )
    return DatabaseDamaged(
        f"The database file at {path} cannot be read (it is damaged or not a DuckDB file). "
        f"Move it elsewhere or delete it, {REBUILD}."
    )


def unreadable(error: duckdb.Error, path: Path) -> bool:
    """True for DuckDB's answers about the database file itself (short, garbled, a checksum that does not match,
    tables missing), as opposed to a query's own mistake or a full spill folder (an IOException naming another file)."""
    if isinstance(error, (duckdb.SerializationException, duckdb.CatalogException)):
        return True
    message = str(error)
    return "corrupt database file" in message.lower() or (
        isinstance(error, duckdb.IOException) and str(path) in message
    )


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


def file_stamp() -> tuple[int, int]:
    """The current database file's identity: a cache keyed on it reads a rebuilt file afresh."""
    return _stamp(db_path())


def _limits() -> dict:
    """What one page process may take: DuckDB's default is 80% of the machine's memory and every core,
    and it keeps what it read. WATCHDOG_DB_MEMORY and WATCHDOG_DB_THREADS change the defaults; a query
    that needs more memory spills to a temporary folder instead of failing."""
    return {
        "memory_limit": settings.db_memory_limit(),
        "threads": settings.db_threads(),
        "temp_directory": str(settings.db_temp_dir()),
    }


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, stamp: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    # duckdb.connect(path) would hand back the database already open for that path (the old inode) while
    # any connection to it lives; a fresh in-memory instance that ATTACHes the file opens the file as it is now.
    con = duckdb.connect(
        ":memory:", config={"autoinstall_known_extensions": False, "autoload_known_extensions": False, **_limits()}
    )
    con.execute("ATTACH ? AS live (READ_ONLY)", [path])
    con.execute("USE live")
    return con


def connection() -> duckdb.DuckDBPyConnection:
    path = db_path()
    if not path.exists():
        raise DatabaseMissing(f"No database at {path}. Run `make data` (or `python -m ingest build`).")
    if path.is_dir():
        raise damaged(path, IsADirectoryError(str(path)))
    try:
        return _connection(str(path), _stamp(path))  # a failed ATTACH is not cached: a rebuilt file is read afresh
    except duckdb.Error as exc:
        raise damaged(path, exc) from exc


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the current file (a cursor starts in the in-memory database, not the attached file)."""
    cur = connection().cursor()
    cur.execute("USE live")
    return cur


def query(sql: str, params: dict | list | None = None, *, bulk: bool = False) -> pd.DataFrame:
    """Run one parameterised query on its own cursor (cursors are per-thread safe), as DuckDB's own .df().

    bulk: the result may be thousands of rows of text (the map, an export, the busiest agency's evidence), read
    through Arrow (bulk_frame): the same frame, several times faster for text, about as fast for a small result."""
    cur = cursor()
    try:
        cur.execute(sql, params or {})
        return bulk_frame(cur) if bulk else cur.df()
    except duckdb.Error as exc:
        # A file that opens can still be damaged further in (a block whose checksum fails, a table missing).
        if unreadable(exc, db_path()):
            raise damaged(db_path(), exc) from exc
        raise
    finally:
        cur.close()


# Types whose values DuckDB hands to Arrow and reads back unchanged, so that .df() of the Arrow columns is .df()
# of the query's own (a UUID or an ENUM would come back as text).
EXACT_IN_ARROW = frozenset(
    ("BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE", "DATE", "TIMESTAMP", "VARCHAR")
)
# Below this many rows, DuckDB's own .df() of the whole Arrow result is quicker than taking it apart (a few ms).
SPLIT_FROM_ROWS = 1000


def bulk_frame(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The frame cur.df() gives of the statement `cur` has just run, with its text columns taken from Arrow.

    .df() makes a Python string of every text value and pandas then copies each into its own Arrow string
    column (the claims export of one state at 1M SYNTHETIC rows: about 4 times the query itself); read
    through Arrow, pandas gets the same strings without either step. Every other column, and text that is all
    NULL (which .df() leaves as object), is .df() of its Arrow column, so DuckDB's own type rules decide it; a
    result with any other type, or with a column name twice, is cur.df() itself."""
    names, types = [d[0] for d in cur.description], [str(d[1]) for d in cur.description]
    if len(set(names)) < len(names) or not set(types) <= EXACT_IN_ARROW:
        return cur.df()
    with warnings.catch_warnings():
        # A statement's result read as Arrow, on purpose: DuckDB warns that this copies the rows once more, which
        # costs less than binding the statement a second time as a relation (con.sql) to read it.
        warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)
        table = cur.to_arrow_table().rename_columns([f"c{i}" for i in range(len(names))])
    if table.num_rows < SPLIT_FROM_ROWS:
        frame = cur.from_arrow(table).df()
    else:
        text = [i for i, t in enumerate(types) if t == "VARCHAR" and table.column(i).null_count < table.num_rows]
        rest = [i for i in range(len(names)) if i not in text]
        columns = dict(zip(text, (s for _, s in table.select(text).to_pandas().items())))
        if rest:
            columns.update(zip(rest, (s for _, s in cur.from_arrow(table.select(rest)).df().items())))
        frame = pd.concat([columns[i] for i in range(len(names))], axis=1)
    frame.columns = names
    return frame


def database_label() -> str:
    path = db_path()
    return f"{path.name} · built {pd.Timestamp(os.path.getmtime(path), unit='s'):%Y-%m-%d %H:%M} UTC"


@st.cache_resource(max_entries=2, show_spinner="Loading the agency registry ...")
def _matcher(path: str, stamp: tuple[int, int]):
    from rules.matching import from_database

    cursor = _connection(path, stamp).cursor()
    try:
        cursor.execute("USE live")
        return from_database(cursor)
    finally:
        cursor.close()


def matcher():
    """The claims engine's agency matcher over this database, built once per database file."""
    connection()  # a missing or damaged file is told in a sentence here, not by the matcher's first query
    path = db_path()
    try:
        return _matcher(str(path), _stamp(path))
    except duckdb.Error as exc:
        if unreadable(exc, path):
            raise damaged(path, exc) from exc
        raise
