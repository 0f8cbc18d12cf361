"""DuckDB files: the schema, and the build-then-swap that keeps readers safe.

DuckDB lets one process write a file and no process read it meanwhile, so a build never
touches the live file: it writes a sibling file and swaps it in with os.replace. A reader
that already has the old file open keeps reading the old inode undisturbed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb

from ingest.paths import SCHEMA_DIR

# sources -> raw -> core -> views -> served: each file reads only the ones before it.
SCHEMAS = ("meta", "raw", "core", "views", "served")


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    # Never let a stray https:// path trigger a (slow, failing) extension download.
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    return duckdb.connect(str(path), read_only=read_only, config=config)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schemas in an empty file, in data-flow order. Every build starts from an empty file, so the
    SQL files hold the schema in its final form: there is nothing to migrate."""
    for name in SCHEMAS:
        con.execute((SCHEMA_DIR / f"{name}.sql").read_text(encoding="utf-8"))


def building_path(live: Path, pid: int) -> Path:
    """The file a build by process `pid` writes before the swap; DuckDB adds `<it>.wal` beside it."""
    return live.with_name(f".{live.name}.{pid}.building")


def process_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, run by someone else
        return False
    return False


def remove_dead_builds(live: Path) -> list[Path]:
    """Delete the `.building`/`.wal` files that builds killed mid-way left beside `live`; return them.

    Only those of processes that no longer exist: a build still running elsewhere keeps its files."""
    live = Path(live)
    pattern = re.compile(r"^\." + re.escape(live.name) + r"\.(\d+)\.building(\.wal)?$")
    removed = []
    for leftover in sorted(live.parent.glob(f".{glob.escape(live.name)}.*.building*")):
        found = pattern.match(leftover.name)
        if not found or int(found.group(1)) == os.getpid() or not process_is_gone(int(found.group(1))):
            continue
        with contextlib.suppress(FileNotFoundError):  # another build may have removed it a moment ago
            leftover.unlink()
            removed.append(leftover)
    return removed


@contextlib.contextmanager
def swapped_build(live: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a fresh file that replaces `live` only if the block succeeds."""
    live = Path(live)
    live.parent.mkdir(parents=True, exist_ok=True)
    building = building_path(live, os.getpid())
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


CORE_TABLES = frozenset(
    {
        "core.quarantine",
        "core.agencies",
        "core.vendors",
        "core.products",
        "core.evidence",
        "core.evidence_links",
        "core.vendor_disagreements",
        "core.procurement",
        "core.policies",
        "core.agency_aliases",
        "core.records_laws",
        "core.research",
        "core.records_requests",
        "core.agency_contacts",
    }
)


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
