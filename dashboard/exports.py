"""Downloads of any table: CSV (safe to open in a spreadsheet), JSON and Parquet, each with the
provenance columns the table carries and a header row naming the source and the database."""

from __future__ import annotations

import io

import pandas as pd

# A cell a spreadsheet would run as a formula (=HYPERLINK(...), +cmd, -2+3, @SUM, and the same behind a space,
# a tab or a zero-width character): the one rule every CSV writer uses, shared with the command line.
from rules.csvsafe import FORMULA_START, neutralise  # noqa: F401  (FORMULA_START: for callers checking a file)


def to_csv(frame: pd.DataFrame) -> bytes:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    # CRLF line ends (RFC 4180) make pandas quote any cell holding a bare CR or LF, so no cell can start a row.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def to_json(frame: pd.DataFrame) -> bytes:
    return frame.to_json(orient="records", date_format="iso", indent=1, force_ascii=False).encode("utf-8")


def to_parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


FORMATS = {
    "CSV": (to_csv, "text/csv", "csv"),
    "JSON": (to_json, "application/json", "json"),
    "Parquet": (to_parquet, "application/vnd.apache.parquet", "parquet"),
}


def atom_feed(watch=None, where_state: str | None = None, title: str = "Who's Watching: what's new") -> str:
    """The What's new feed (or a watchlist's) from the database as it is when the button is clicked."""
    from dashboard.data import cursor
    from ingest.changes import atom

    return atom(cursor(), watch=watch, where_state=where_state, title=title)
