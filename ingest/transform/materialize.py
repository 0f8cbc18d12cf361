"""The last step of the build: store what the dashboard's busiest pages read (schema `served`, see
ingest/schema/served.sql), computed from the views once, after every other transform.

Each table is the same rows its view computes, sorted so that DuckDB can skip row groups: evidence by
state and agency (the map's state filter, an agency's profile; by the agency's name, in the claims export's
order), the agency map by evidence count (the map's own order). The claims export and the unfiltered map read
these orders as stored, without sorting again (DuckDB keeps a table's order through SELECT and WHERE;
tests/test_query_speed.py). tests/test_materialize.py checks each table against the view it stores.
"""

from __future__ import annotations

import duckdb

from rules.claims import STATUSES

# A status's rank on the ladder (rules/claims.py STATUSES, bound as $ladder), as ingest/build.py seeds
# views.status_ladder.
LADDER = [s.name for s in STATUSES]

# Whole statements, run in this order (a later one may read an earlier table); those that rank statuses read
# the ladder as the bound parameter $ladder.
CLAIMS = """
    CREATE OR REPLACE TABLE served.claims AS
    SELECT * FROM views.claims
    ORDER BY agency_id, vendor_id, product_id
"""
# The claims export's order (dashboard/queries.py claims_export reads it as stored), then the evidence id.
EVIDENCE = """
    CREATE OR REPLACE TABLE served.evidence AS
    SELECT e.*, a.agency_kind, c.status, list_position($ladder, c.status) AS status_rank,
           d.documented_on, d.years, c.last_documented AS claim_last_documented
    FROM views.evidence e
    JOIN views.evidence_dates d USING (evidence_id)
    JOIN views.agencies a USING (agency_id)
    JOIN served.claims c ON c.agency_id = e.agency_id
     AND c.vendor_id IS NOT DISTINCT FROM e.vendor_id AND c.product_id IS NOT DISTINCT FROM e.product_id
    ORDER BY state, agency_name, product, event_date, evidence_id
"""
# An agency's row on the unfiltered map: its strongest status, products, evidence and dates; contested is true
# when any of its claims is, else NULL (as the map's LEFT JOIN gives it).
AGENCY_MAP = """
    CREATE OR REPLACE TABLE served.agency_map AS
    SELECT a.agency_id, a.name, a.agency_kind, a.agency_type, a.state, a.city, a.county,
           a.latitude, a.longitude, a.placement, a.location_note,
           arg_min(c.status, list_position($ladder, c.status)) AS status,
           string_agg(DISTINCT c.product, '; ' ORDER BY c.product) AS products,
           sum(c.evidence_count)::BIGINT AS evidence_count,
           min(c.first_date) AS first_date, max(c.last_date) AS last_date,
           -- when the claim that sets the status was last documented (the newest, if several share it)
           arg_min(c.last_documented, list_position($ladder, c.status) * 100000
                   - coalesce(date_diff('day', DATE '1900-01-01', c.last_documented), 0)) AS last_documented,
           CASE WHEN bool_or(c.contested) THEN true END AS contested
    FROM served.claims c
    JOIN views.agencies a USING (agency_id)
    GROUP BY a.agency_id, a.name, a.agency_kind, a.agency_type, a.state, a.city, a.county,
             a.latitude, a.longitude, a.placement, a.location_note
    ORDER BY evidence_count DESC, name, agency_id
"""
HEADLINE = """
    CREATE OR REPLACE TABLE served.headline AS
    SELECT count(DISTINCT agency_id) AS agencies, count(DISTINCT evidence_id) AS evidence,
           count(DISTINCT state) AS states, count(DISTINCT product) AS products,
           count(DISTINCT source_url) AS sources
    FROM served.evidence
"""


def run(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS served")
    con.execute(CLAIMS)
    con.execute(EVIDENCE, {"ladder": LADDER})
    con.execute(AGENCY_MAP, {"ladder": LADDER})
    con.execute(HEADLINE)
