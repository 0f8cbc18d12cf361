"""The tables the build stores for the dashboard (schema served) hold what the views compute, the pages'
queries on them give what the view-based queries gave, and every page query the pages name exists."""

from __future__ import annotations

import pandas as pd

from dashboard import queries

# The dashboard's queries as they were before served.* existed: the reference the new ones must match.
VIEW_FILTERED = """
WITH ev AS (
    SELECT e.*, a.agency_kind FROM views.evidence e JOIN views.agencies a USING (agency_id)
    JOIN views.evidence_dates d USING (evidence_id)
    WHERE (len($states::VARCHAR[]) = 0 OR list_contains($states::VARCHAR[], e.state))
      AND (len($vendors::VARCHAR[]) = 0 OR list_contains($vendors::VARCHAR[], e.vendor))
      AND (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], a.agency_kind))
      -- issue 15: any of the row's dates (its own or its links') in the range, not only its earliest
      AND (($year_from::INTEGER IS NULL AND $year_to::INTEGER IS NULL) OR list_has_any(d.years,
           range(coalesce($year_from::INTEGER, 0), coalesce($year_to::INTEGER, 9999) + 1)))
), filtered AS (
    SELECT ev.*, c.status, l.rank, c.last_documented AS claim_last_documented FROM ev
    JOIN views.claims c ON c.agency_id = ev.agency_id
     AND c.vendor_id IS NOT DISTINCT FROM ev.vendor_id AND c.product_id IS NOT DISTINCT FROM ev.product_id
    JOIN views.status_ladder l ON l.status = c.status
    WHERE (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], c.status))
      AND ($documented_since::DATE IS NULL OR c.last_documented >= $documented_since::DATE)
)"""
VIEW_MAP = (
    VIEW_FILTERED
    + """
SELECT a.agency_id, a.name, a.agency_kind, a.agency_type, a.state, a.city, a.county, a.latitude, a.longitude,
       a.placement, a.location_note, arg_min(f.status, f.rank) AS status,
       string_agg(DISTINCT f.product, '; ' ORDER BY f.product) AS products, count(DISTINCT f.evidence_id) AS evidence_count,
       min(f.event_date) AS first_date, max(f.event_date) AS last_date,
       arg_min(f.claim_last_documented, f.rank * 100000
               - coalesce(date_diff('day', DATE '1900-01-01', f.claim_last_documented), 0)) AS last_documented,
       bool_or(c.contested) AS contested
FROM filtered f JOIN views.agencies a USING (agency_id)
LEFT JOIN views.claims c ON c.agency_id = f.agency_id AND c.contested
GROUP BY ALL ORDER BY evidence_count DESC, a.name"""
)
VIEW_HEADLINE = (
    VIEW_FILTERED
    + """
SELECT count(DISTINCT agency_id) AS agencies, count(DISTINCT evidence_id) AS evidence, count(DISTINCT state) AS states,
       count(DISTINCT product) AS products, count(DISTINCT source_url) AS sources FROM filtered"""
)
VIEW_EXPORT = (
    VIEW_FILTERED
    + """
SELECT agency_id, agency_name, state, vendor, product, status, kind, event_date, date_label, amount, summary, source,
       license, source_name, source_url, raw_record_id, raw_hash, raw_file, raw_file_sha256, raw_file_url, raw_fetched_at
FROM filtered ORDER BY state, agency_name, product, event_date"""
)
VIEW_AGENCY_EVIDENCE = """
SELECT evidence_id, event_date, date_precision, date_label, kind, kind_reason, vendor, product, amount, summary,
       source, license, source_name, source_url, agency_match, match_score,
       raw_record_id, raw_hash, raw_file, raw_file_sha256, raw_file_url, raw_fetched_at
FROM views.evidence WHERE agency_id = $id ORDER BY event_date NULLS LAST, evidence_id"""


def same_rows(db, stored: str, view: str) -> None:
    for a, b in ((stored, view), (view, stored)):
        extra = db.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})").fetchone()[0]
        assert extra == 0, f"{extra} rows of {a} are not in {b}"


def test_served_tables_hold_what_the_views_compute(db):
    assert db.execute("SELECT count(*) FROM served.evidence").fetchone()[0] > 350
    same_rows(db, "served.claims", "views.claims")
    columns = ", ".join(
        c
        for (c,) in db.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'views' AND table_name = 'evidence' "
            "ORDER BY column_index"
        ).fetchall()
    )
    same_rows(db, f"(SELECT {columns} FROM served.evidence)", "views.evidence")
    same_rows(
        db,
        "served.agency_map",
        "("
        + VIEW_MAP.replace("$states::VARCHAR[]", "[]::VARCHAR[]")
        .replace("$vendors::VARCHAR[]", "[]::VARCHAR[]")
        .replace("$kinds::VARCHAR[]", "[]::VARCHAR[]")
        .replace("$statuses::VARCHAR[]", "[]::VARCHAR[]")
        .replace("$year_from::INTEGER", "NULL::INTEGER")
        .replace("$year_to::INTEGER", "NULL::INTEGER")
        .replace("$documented_since::DATE", "NULL::DATE")
        + ")",
    )
    # Each stored status carries its ladder rank as the build seeds it, and each evidence row its claim's status.
    assert (
        db.execute("""SELECT count(*) FROM served.evidence e LEFT JOIN views.status_ladder l USING (status)
                         WHERE l.rank IS DISTINCT FROM e.status_rank""").fetchone()[0]
        == 0
    )
    served = db.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'served' AND database_name = current_database() "
        "ORDER BY table_name"
    ).fetchall()
    assert [t for (t,) in served] == ["agency_map", "claims", "evidence", "headline"]


def filter_sets(db) -> list[dict]:
    states = [
        s
        for (s,) in db.execute("SELECT state FROM views.evidence GROUP BY 1 ORDER BY count(*) DESC LIMIT 2").fetchall()
    ]
    vendors = [
        v
        for (v,) in db.execute("SELECT vendor FROM views.evidence GROUP BY 1 ORDER BY count(*) DESC LIMIT 2").fetchall()
    ]
    return [
        {},
        {"states": states[:1]},
        {"states": states, "vendors": vendors[:1], "year_from": 2018},
        {"statuses": ["used", "trialled"]},
        {"kinds": ["Municipal", "County"]},
        {"year_to": 2019},
        {"year_from": 2019, "year_to": 2020},
        {"documented_since": __import__("datetime").date(2021, 12, 6)},
        {"statuses": ["denied"]},
        {"vendors": ["(vendor not named)"]},
        {"states": ["ZZ"]},
    ]


def by(frame: pd.DataFrame, *keys: str) -> pd.DataFrame:
    return frame.sort_values(list(keys), kind="stable").reset_index(drop=True)


def test_the_pages_queries_give_what_the_view_queries_gave(db):
    for f in filter_sets(db):
        filters = queries.Filters(**f)
        params = filters.params()
        old_map, new_map = db.execute(VIEW_MAP, params).df(), queries.map_agencies(filters)
        pd.testing.assert_frame_equal(by(new_map, "agency_id"), by(old_map, "agency_id"))
        assert new_map["evidence_count"].is_monotonic_decreasing
        assert queries.headline(filters) == db.execute(VIEW_HEADLINE, params).df().iloc[0].to_dict()
        keys = ("agency_id", "product", "event_date", "source_url", "raw_record_id")
        pd.testing.assert_frame_equal(
            by(queries.claims_export(filters), *keys), by(db.execute(VIEW_EXPORT, params).df(), *keys)
        )
    ids = [
        i
        for (i,) in db.execute(
            "SELECT agency_id FROM views.evidence GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 3"
        ).fetchall()
    ]
    for agency_id in ids + ["no-such-agency"]:
        pd.testing.assert_frame_equal(
            queries.agency_evidence(agency_id), db.execute(VIEW_AGENCY_EVIDENCE, {"id": agency_id}).df()
        )


def test_every_page_query_exists_and_reads_rows_from_the_bundled_build(db):
    """Every query a page function sends, by name: a renamed or removed one fails here rather than being
    skipped, and each gives rows on the bundled data (the pages read them as DuckDB's own .df() gives them)."""
    agency_id = db.execute(
        "SELECT agency_id FROM views.evidence GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()[0]
    state = db.execute("SELECT state FROM core.agencies WHERE agency_id = ?", [agency_id]).fetchone()[0]
    calls = [
        ("filter_options",),
        ("status_ladder",),
        ("map_agencies", queries.Filters()),
        ("map_agencies", queries.Filters(states=[state])),
        ("headline", queries.Filters(states=[state])),
        ("policies",),
        ("agency", agency_id),
        ("agency_claims", agency_id),
        ("agency_evidence", agency_id),
        ("agency_policies", agency_id),
        ("sources",),
        ("quarantine",),
        ("jurisdiction_evidence", "state", state, state),
        ("jurisdictions", state),
        ("record_for_agencies", [agency_id]),
        ("vendor_summary",),
        ("vendor_agencies_by_year",),
        ("spend_by_year",),
        ("changes",),
        ("claims_export", queries.Filters(states=[state])),
        ("coverage_counts",),
        ("agency_flags", agency_id),
    ]
    missing = sorted({name for name, *_ in calls if not callable(getattr(queries, name, None))})
    assert not missing, f"page queries renamed or removed: {missing}"
    empty = [name for name, *args in calls if len(getattr(queries, name)(*args)) == 0]
    assert not empty, f"page queries with nothing to show on the bundled data: {empty}"
