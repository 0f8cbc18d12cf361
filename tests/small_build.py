"""A small real build for a source's own tests: the registry, places and catalog from data/, and one source
read from its test fixture instead of its bundled files, through the real loader and every transform."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import duckdb

from ingest import build, db, paths, registry, transform

# What the transforms need to place and name things: the FBI registry, Census places, the catalog, aliases.
REFERENCE = ("fbi_cde_agencies", "census_places", "census_counties", "catalog", "agency_aliases")


def fixture_records(folder: Path) -> list[dict]:
    return [
        row
        for path in sorted(folder.glob("*.csv"))
        for row in csv.DictReader(open(path, newline="", encoding="utf-8-sig"))
    ]


def small_build(source_id: str, fixtures: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory database built from the reference sources and `source_id` read from `fixtures` (every
    CSV file there, in name order); the caller closes it."""
    catalog = registry.load()
    reference = [s for s in catalog if s.source_id in REFERENCE]
    source = next(s for s in catalog if s.source_id == source_id)
    source = dataclasses.replace(source, files=tuple(p.name for p in sorted(fixtures.glob("*.csv"))))
    con = db.connect(":memory:")
    db.create_schema(con)
    build.register_sources(con, [*reference, source])
    for s in reference:
        build.load_source(con, s, paths.DATA_DIR)
    build.load_source(con, source, fixtures)
    transform.run_all(con)
    return con
