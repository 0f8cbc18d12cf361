"""raw -> core. Each module turns one kind of raw record into core rows, set-based where it can."""

from __future__ import annotations

from importlib import import_module

import duckdb

from ingest.transform import (
    agencies,
    agency_contacts,
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
from rules.matching import from_database

# Sources added with `python -m ingest new-source`, by module name (the scaffold appends each new one here).
# They run after atlas_layout (which starts them an empty table) and before the Atlas transform, which reads
# their face-recognition rows as evidence; coverage reads their other rows.
ADDED = (
    "eff_campus_police",
    "eff_border_communities",
    "federal_agencies",
)

# Every step in build order. The steps in PLACE_NAMES place agency names on the registry: they share one
# matcher (rules/matching.py from_database), built once just before the first of them, over the agencies and
# aliases loaded by then (the FBI registry, the added registries such as the federal one, the curated aliases).
# The agencies the Atlas and the live sources add later are not match targets within the build; socrata comes
# last of the live sources, as it adds agencies. materialize stores what the dashboard reads from everything
# before it, so it stays last.
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
    agency_contacts,
    corrections,
    coverage,
    materialize,
)
PLACE_NAMES = (atlas, usaspending, muckrock, files, socrata, agency_contacts, coverage)


def run_all(con: duckdb.DuckDBPyConnection) -> None:
    placing = None
    for module in ORDER:
        if module in PLACE_NAMES:
            placing = placing or from_database(con)
            module.run(con, *placing)
        else:
            module.run(con)
