"""FBI CDE agency list -> core.agencies, placed by its own coordinates or, failing that, by the
Census internal point of its city (for city police named after a Census place) or its county."""

from __future__ import annotations

import duckdb

from ingest import raw
from rules.matching import clean_registry_name

CITY_AGENCY = (
    r"^(.+?)\s+(Police Department|Police Dept\.?|Department of Public Safety|Public Safety Department|Police)$"
)


def registry_name(name: str | None) -> str | None:
    return None if name is None else clean_registry_name(name)


def run(con: duckdb.DuckDBPyConnection) -> None:
    # The FBI list codes Nebraska as NB; every other file uses the USPS code NE (the CASEs below).
    # The registry's repeated suffixes ("... Police Department Police Department") are cleaned by the matcher's rule.
    try:
        con.remove_function("registry_name")
    except duckdb.InvalidInputException:  # not registered on this connection yet
        pass
    con.create_function(
        "registry_name",
        registry_name,
        [duckdb.sqltype("VARCHAR")],
        duckdb.sqltype("VARCHAR"),
        null_handling="special",
        side_effects=False,
    )
    # Every source of the registry's platform (data/sources.csv is the one place a dataset is added): a registry
    # named otherwise (the benchmarks' SYNTHETIC one) was loaded raw and never became agencies.
    registry = raw.platform_sources(con, "fbi_cde")
    con.execute(
        """
        INSERT INTO core.states
        SELECT DISTINCT CASE trim(record->>'state_abbr') WHEN 'NB' THEN 'NE' ELSE trim(record->>'state_abbr') END,
               trim(record->>'state_name')
        FROM raw.records
        WHERE list_contains($sources, source_id) AND coalesce(record->>'state_abbr', '') <> ''
          AND coalesce(record->>'state_name', '') <> ''
        """,
        {"sources": registry},
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE fbi AS
        SELECT record_id,
               trim(record->>'ori') AS ori,
               registry_name(record->>'agency_name') AS name,
               record->>'agency_type_name' AS agency_type,
               CASE trim(record->>'state_abbr') WHEN 'NB' THEN 'NE' ELSE trim(record->>'state_abbr') END AS state,
               trim(split_part(record->>'county_name', ';', 1)) AS county_raw,
               TRY_CAST(record->>'latitude' AS DOUBLE) AS latitude,
               TRY_CAST(record->>'longitude' AS DOUBLE) AS longitude
        FROM raw.records
        WHERE list_contains($sources, source_id) AND coalesce(trim(record->>'ori'), '') <> ''
        QUALIFY row_number() OVER (PARTITION BY trim(record->>'ori') ORDER BY record_id) = 1
        """,
        {"sources": registry},
    )
    con.execute(
        """
        INSERT INTO core.agencies
        WITH city AS (
            SELECT f.ori, p.name AS city, p.latitude, p.longitude
            FROM fbi f JOIN core.places p
              ON p.kind = 'place' AND p.state = f.state
             AND lower(p.name) = lower(regexp_extract(f.name, $city_agency, 1))
            WHERE f.agency_type = 'City'
            QUALIFY row_number() OVER (PARTITION BY f.ori ORDER BY p.full_name LIKE '% CDP', p.geoid) = 1
        ), county AS (
            SELECT f.ori, c.name AS county, c.latitude, c.longitude
            FROM fbi f JOIN core.places c
              ON c.kind = 'county' AND c.state = f.state
             AND upper(regexp_replace(c.name, '\\s+(County|Parish|Borough|Census Area|Municipality|city and borough|city)$', ''))
                 = upper(regexp_replace(f.county_raw, '\\s+(COUNTY|PARISH|BOROUGH)$', ''))
            QUALIFY row_number() OVER (PARTITION BY f.ori ORDER BY c.geoid) = 1
        )
        SELECT f.ori, f.ori, f.name, f.agency_type, city.city,
               coalesce(county.county, NULLIF(f.county_raw, '')), f.state,
               coalesce(f.latitude, city.latitude, county.latitude),
               coalesce(f.longitude, city.longitude, county.longitude),
               CASE WHEN f.latitude IS NOT NULL THEN 'fbi'
                    WHEN city.latitude IS NOT NULL THEN 'census_place'
                    WHEN county.latitude IS NOT NULL THEN 'census_county' END,
               'fbi_cde', f.record_id
        FROM fbi f LEFT JOIN city USING (ori) LEFT JOIN county USING (ori)
        ORDER BY f.record_id   -- the same file builds the same table, row for row
        """,
        {"city_agency": CITY_AGENCY},
    )
    con.execute("DROP TABLE fbi")
    aliases = raw.platform_sources(con, "agency_aliases")
    con.execute(
        """
        INSERT INTO core.agency_aliases
        SELECT trim(r.record->>'agency_id'), trim(r.record->>'alias'), r.source_id, r.record->>'source_url', r.record_id
        FROM raw.records r
        WHERE list_contains($sources, r.source_id)
          AND trim(r.record->>'agency_id') IN (SELECT agency_id FROM core.agencies)
        """,
        {"sources": aliases},
    )
    con.execute(
        """
        INSERT INTO core.quarantine
        SELECT r.source_id, r.raw_file_id, r.row_number, r.record_id,
               'alias names agency ' || coalesce(r.record->>'agency_id', '(blank)') || ', which is not in the registry',
               r.record::VARCHAR
        FROM raw.records r
        WHERE list_contains($sources, r.source_id)
          AND coalesce(trim(r.record->>'agency_id'), '') NOT IN (SELECT agency_id FROM core.agencies)
        """,
        {"sources": aliases},
    )
