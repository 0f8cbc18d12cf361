"""The map's and the claims export's queries at a million rows (issue 17): their text comes through Arrow as the
same frame DuckDB's .df() gives, the unfiltered map and the export read the served tables in their stored order
instead of sorting them again, and the filtered map groups by the agency alone."""

from __future__ import annotations

import json
import tracemalloc

import duckdb
import pandas as pd
import pytest

from dashboard import data, queries

# Every column type DuckDB gives a page, with and without NULLs, no rows, text that is all NULL, a name twice,
# and the types Arrow would not hand back unchanged (these are read by .df() itself).
TYPES = """SELECT * FROM (VALUES
    ('a', 1::BIGINT, 1::INTEGER, 1.5::DOUBLE, DATE '2020-01-02', true, TIMESTAMP '2020-01-01 10:00', 3::SMALLINT,
     7::TINYINT, 1.5::FLOAT, NULL::VARCHAR, 'SYNTHETIC é'),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'b')
) t(s, bi, i, d, dt, b, ts, sm, ti, fl, all_null, s2)"""
RESULTS = [
    TYPES,
    TYPES + " LIMIT 1",
    TYPES + " LIMIT 0",
    TYPES + " OFFSET 1",
    "SELECT 'x' AS s WHERE false",
    "SELECT NULL AS n",
    "SELECT 1 AS a, 'x' AS a, 'y' AS b",
    "SELECT ['x', 'y'] AS texts, 1.25::DECIMAL(10, 2) AS amount, 5::HUGEINT AS total, "
    "'8b3577bb-c01c-4fc0-8945-dad5c7a81692'::UUID AS u, 'x'::ENUM('x', 'y') AS e, '{\"a\": 1}'::JSON AS j, "
    "TIMESTAMPTZ '2020-01-01 10:00+00' AS tz, 'ab'::BLOB AS raw, 'text' AS s",
    "SELECT i, 'SYNTHETIC ' || i AS s, CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS maybe FROM range(5000) r(i)",
    # Past data.SPLIT_FROM_ROWS, the text columns are taken apart from the rest: every type again, NULLs too.
    f"SELECT t.* FROM ({TYPES}) t, range({data.SPLIT_FROM_ROWS}) r",
]


def bulk(con, sql: str) -> pd.DataFrame:
    con.execute(sql)
    return data.bulk_frame(con)


@pytest.mark.parametrize("sql", RESULTS)
def test_a_bulk_result_is_the_frame_duckdbs_own_df_gives(sql):
    con = duckdb.connect()
    pd.testing.assert_frame_equal(bulk(con, sql), con.execute(sql).df())


def test_the_served_evidence_read_in_bulk_is_what_df_gives(db):
    """The real columns (text, dates, amounts, scores, ids, NULLs), past data.SPLIT_FROM_ROWS rows."""
    sql = f"SELECT e.* EXCLUDE (years) FROM served.evidence e, range({data.SPLIT_FROM_ROWS // 300 + 1}) r"
    expected = db.execute(sql).df()
    assert len(expected) >= data.SPLIT_FROM_ROWS
    pd.testing.assert_frame_equal(data.query(sql, bulk=True), expected)


def test_a_bulk_results_text_is_never_made_into_python_strings():
    """.df() makes a Python string of every text value (then pandas copies each into Arrow): that was most of the
    claims export's time at 1M rows. Python's own allocations show it, whatever else the machine is doing."""
    con = duckdb.connect()
    sql = "SELECT i, 'SYNTHETIC text ' || i AS s FROM range(200000) r(i)"

    def python_peak(read) -> int:
        tracemalloc.start()
        try:
            read()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    by_df = python_peak(lambda: con.execute(sql).df())
    by_arrow = python_peak(lambda: bulk(con, sql))
    assert by_arrow * 3 < by_df, (by_arrow, by_df)


def sent_sql(monkeypatch, run) -> tuple[str, dict]:
    """The statement and parameters a query function sends (it still runs)."""
    sent = []
    real = queries.query

    def recording(sql, params=None, **kwargs):
        sent.append((sql, params or {}))
        return real(sql, params, **kwargs)

    monkeypatch.setattr(queries, "query", recording)
    run()
    assert len(sent) == 1
    return sent[0]


def plan(db, sql: str, params: dict) -> list[dict]:
    """The physical plan's operators, each with its details (EXPLAIN's JSON form), depth first."""
    operators, stack = [], json.loads(db.execute("EXPLAIN (FORMAT json) " + sql, params).fetchall()[0][1])
    while stack:
        operator = stack.pop()
        operators.append(operator)
        stack.extend(operator.get("children", []))
    return operators


def test_the_export_and_the_unfiltered_map_come_in_the_stored_order_without_a_sort(db, monkeypatch):
    state = db.execute("SELECT state FROM served.evidence GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    for run in (
        lambda: queries.claims_export(queries.Filters(states=[state])),
        lambda: queries.claims_export(queries.Filters(statuses=["used", "trialled"])),
        lambda: queries.map_agencies(queries.Filters()),
    ):
        sql, params = sent_sql(monkeypatch, run)
        assert "ORDER_BY" not in [operator["name"] for operator in plan(db, sql, params)]
    # The order the pages and the CSV promise: the export by state, agency name, product and date (then evidence
    # id), the map by evidence count (then name and id); served.evidence and served.agency_map are stored so.
    for filters in (queries.Filters(), queries.Filters(states=[state]), queries.Filters(vendors=["Clearview AI"])):
        export = queries.claims_export(filters)
        assert len(export) > 0
        expected = db.execute(
            queries.FILTERED_CLAIMS + "SELECT raw_record_id, raw_hash FROM filtered "
            "ORDER BY state, agency_name, product, event_date, evidence_id",
            filters.params(),
        ).df()
        pd.testing.assert_frame_equal(export[["raw_record_id", "raw_hash"]], expected)
    shown = queries.map_agencies(queries.Filters())
    expected = db.execute("SELECT agency_id FROM served.agency_map ORDER BY evidence_count DESC, name, agency_id").df()
    pd.testing.assert_frame_equal(shown[["agency_id"]], expected)


def test_served_evidence_holds_each_evidence_row_once(db):
    """The filtered map and headline count evidence with count(*), which is count(DISTINCT evidence_id) only so."""
    rows, ids = db.execute("SELECT count(*), count(DISTINCT evidence_id) FROM served.evidence").fetchone()
    assert rows == ids > 350


def test_the_filtered_map_groups_by_the_agency_alone(db, monkeypatch):
    """Grouped by all eleven agency columns, DuckDB joined each DISTINCT aggregate back on all of them (IS NOT
    DISTINCT FROM, eleven times): 720 ms for one status over 1M SYNTHETIC rows, 170 ms now."""
    sql, params = sent_sql(monkeypatch, lambda: queries.map_agencies(queries.Filters(statuses=["used"])))
    operators = plan(db, sql, params)
    assert any(operator["name"] == "HASH_GROUP_BY" for operator in operators)
    assert "IS NOT DISTINCT FROM" not in json.dumps(operators)
