"""DuckDB files: numbered migrations, and the build-then-swap that keeps readers safe.

DuckDB lets one process write a file and no process read it meanwhile, so a build never
touches the live file: it writes a sibling file and swaps it in with os.replace. A reader
that already has the old file open keeps reading the old inode undisturbed.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

import duckdb

from ingest.paths import MIGRATIONS_DIR


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    # Never let a stray https:// path trigger a (slow, failing) extension download.
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    return duckdb.connect(str(path), read_only=read_only, config=config)


def migrations() -> list[Path]:
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations this file has not seen yet, in order; return their names."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()}
    applied = []
    for path in migrations():
        if path.name in done:
            continue
        con.execute(path.read_text())
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [path.name])
        applied.append(path.name)
    return applied


@contextlib.contextmanager
def swapped_build(live: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a fresh file that replaces `live` only if the block succeeds."""
    live = Path(live)
    live.parent.mkdir(parents=True, exist_ok=True)
    building = live.with_name(f".{live.name}.{os.getpid()}.building")
    for leftover in (building, Path(f"{building}.wal")):
        leftover.unlink(missing_ok=True)
    con = connect(building)
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(building, live)
    except BaseException:
        con.close()
        raise
    finally:
        for leftover in (building, Path(f"{building}.wal")):
            leftover.unlink(missing_ok=True)


CORE_TABLES = frozenset({"core.quarantine", "core.agencies", "core.vendors", "core.products", "core.evidence",
                         "core.evidence_links", "core.procurement", "core.policies", "core.agency_aliases",
                         "core.records_laws", "core.research", "core.records_requests"})


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame) -> int:
    """Append a DataFrame to a core table in one statement, matching columns by name."""
    if table not in CORE_TABLES:
        raise ValueError(f"not a core table: {table}")
    if frame is None or len(frame) == 0:
        return 0
    # The relation API names the table without formatting SQL; columns are taken in the table's order.
    columns = con.table(table).columns
    con.from_df(frame[columns]).insert_into(table)
    return len(frame)
