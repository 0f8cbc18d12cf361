"""Census Gazetteer places and counties -> core.places (internal points for the map)."""

from __future__ import annotations

import re

import duckdb

from ingest.sources.census_gazetteer import PLACE_SUFFIXES

SUFFIX_PATTERN = r"\s+(" + "|".join(re.escape(s) for s in PLACE_SUFFIXES) + r")$"


def run(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        INSERT INTO core.places
        SELECT record->>'GEOID',
               CASE source_id WHEN 'census_places' THEN 'place' ELSE 'county' END,
               CASE source_id WHEN 'census_places'
                    THEN regexp_replace(trim(record->>'NAME'), $suffix, '') ELSE trim(record->>'NAME') END,
               trim(record->>'NAME'),
               record->>'USPS',
               TRY_CAST(trim(record->>'INTPTLAT') AS DOUBLE),
               TRY_CAST(trim(record->>'INTPTLONG') AS DOUBLE),
               record_id
        FROM raw.records
        WHERE source_id IN ('census_places', 'census_counties')
        """,
        {"suffix": SUFFIX_PATTERN},
    )
