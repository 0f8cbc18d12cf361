"""raw -> core. Each module turns one kind of raw record into core rows, set-based where it can."""
from __future__ import annotations

import duckdb

from ingest.transform import agencies, atlas, catalog, corrections, coverage, places, policies, records_laws, statements, usaspending

ORDER = (places, agencies, catalog, atlas, usaspending, statements, policies, records_laws, corrections, coverage)


def run_all(con: duckdb.DuckDBPyConnection) -> None:
    for module in ORDER:
        module.run(con)


def sources_of(con: duckdb.DuckDBPyConnection, platform: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT source_id FROM meta.sources WHERE platform = ? ORDER BY source_id", [platform]).fetchall()]
