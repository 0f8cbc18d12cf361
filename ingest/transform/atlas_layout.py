"""Datasets of the Atlas's own research programme published in other column layouts, read as Atlas rows.

EFF and the Reynolds School publish special datasets (campus police, border communities) with the Atlas's
fields under other column names. A platform module that sets ATLAS_COLUMNS (Atlas column -> its own
column) and FACE_RECOGNITION (how it writes that technology) has its raw records restated here with the
Atlas's column names, in the temp table atlas_layout_records. The Atlas transform then reads their
face-recognition rows as evidence, and the coverage transform their other rows as research, each by its
one set of rules: nothing here decides anything about a row, it only renames.
"""

from __future__ import annotations

import duckdb

from ingest import raw
from ingest.sources.atlas import FACE_RECOGNITION

TABLE = "atlas_layout_records"
# The Atlas columns the transforms read; a column a dataset does not map reads as NULL (no snapshot link).
ATLAS_COLUMNS = (
    "AOSNUMBER",
    "Agency",
    "City",
    "County",
    "State",
    "Type of LEA",
    "Type of Juris",
    "Technology",
    "Vendor",
    "Summary",
    *(f"Link {n}{f}" for n in (1, 2, 3) for f in ("", " Source", " Type", " Date", " Snapshot")),
)


def run(con: duckdb.DuckDBPyConnection) -> None:
    """Start each build's transforms with an empty table (the modules in ORDER after this one fill it)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE " + TABLE + " (record_id BIGINT, source_id VARCHAR, "
        "raw_file_id BIGINT, row_number BIGINT, record JSON)"
    )


def ensure(con: duckdb.DuckDBPyConnection) -> str:
    """The table's name, created empty if no build step has (a transform run on its own, as tests do)."""
    con.execute(
        "CREATE TEMP TABLE IF NOT EXISTS " + TABLE + " (record_id BIGINT, source_id VARCHAR, "
        "raw_file_id BIGINT, row_number BIGINT, record JSON)"
    )
    return TABLE


def stage(
    con: duckdb.DuckDBPyConnection, platform: str, columns: dict[str, str], face_recognition: tuple[str, ...]
) -> int:
    """Every raw record of the platform's sources into atlas_layout_records, under the Atlas's column names.

    `columns` maps an Atlas column to the dataset's own; `face_recognition` lists the dataset's spellings of
    the technology (exact values), which read as the Atlas's own. Returns the number of records staged."""
    unknown = sorted(set(columns) - set(ATLAS_COLUMNS))
    if unknown:
        raise ValueError(f"{platform}: ATLAS_COLUMNS names column(s) the Atlas does not have: {', '.join(unknown)}")
    ensure(con)
    pairs = [(atlas, columns.get(atlas)) for atlas in ATLAS_COLUMNS]
    # json_object(key, value, ...): keys and source column names are bound, never pasted into the SQL.
    fields = ", ".join(
        "?, CASE WHEN list_contains(?, record->>?) THEN ? ELSE record->>? END"
        if atlas == "Technology"
        else ("?, record->>?" if own else "?, NULL::VARCHAR")
        for atlas, own in pairs
    )
    params: list = []
    for atlas, own in pairs:
        if atlas == "Technology":
            params += [atlas, list(face_recognition), own, FACE_RECOGNITION, own]
        else:
            params += [atlas, own] if own else [atlas]
    params.append(raw.platform_sources(con, platform))
    return con.execute(
        "INSERT INTO " + TABLE + " SELECT record_id, source_id, raw_file_id, row_number, json_object(" + fields + ") "
        "FROM raw.records WHERE list_contains(?, source_id) ORDER BY record_id",
        params,
    ).fetchone()[0]
