"""raw -> core. Each module turns one kind of raw record into core rows, set-based where it can."""

from __future__ import annotations

from importlib import import_module

import duckdb

from ingest.transform import (
    _registry,
    agencies,
    atlas,
    atlas_layout,
    catalog,
    corrections,
    coverage,
    files,
    materialize,
    muckrock,
    places,
    policies,
    records_laws,
    socrata,
    statements,
    usaspending,
)

# Sources added with `python -m ingest new-source`, by module name (the scaffold appends each new one here).
# They run after atlas_layout (which starts them an empty table) and before the Atlas transform, which reads
# their face-recognition rows as evidence; coverage reads their other rows.
ADDED = (
    "eff_campus_police",
    "eff_border_communities",
)

# Live sources come after the Atlas (whose agencies and aliases the matcher uses) and before corrections;
# socrata last of them, as it adds agencies (the others share one matcher). materialize stores what the
# dashboard reads from everything before it, so it stays last.
ORDER = (
    places,
    agencies,
    catalog,
    atlas_layout,
    *(import_module(f"ingest.transform.{name}") for name in ADDED),
    atlas,
    usaspending,
    muckrock,
    files,
    socrata,
    statements,
    policies,
    records_laws,
    corrections,
    coverage,
    materialize,
)


def run_all(con: duckdb.DuckDBPyConnection) -> None:
    _registry.reset()
    for module in ORDER:
        module.run(con)
