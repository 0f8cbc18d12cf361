"""Socrata (SODA 2.x) open-data portals: one connector, many datasets, each a row in data/sources.csv
with its endpoint, dataset id, field mapping (ours=theirs) and jurisdiction. Adding a city is adding a row.

Rows are searched by catalog vendor names in the dataset's vendor column (`$where`), ordered by the
row id (`$order=:id`) and paged with `$limit`/`$offset`. An app token (SOCRATA_APP_TOKEN) is optional
and travels in the X-App-Token header, never in the URL.
"""

from __future__ import annotations

from ingest import settings
from ingest.http import rebase
from ingest.sources._live import FetchContext, Outcome, json_body, records_at, require_fields
from ingest.sources.usaspending import search_terms

RECORDS_PATH = None  # a SODA response is a bare array of rows
KEY = ":id"
PAGE_SIZE = 1000
MAX_PAGES = 500
# What our transform reads from every dataset; each registry row says which of its columns they are.
MAPPED = ("award_id", "vendor", "department", "amount", "description", "start_date", "end_date")
NEEDED = ("award_id", "vendor", "department")


def required_fields(source, meta) -> tuple[str, ...]:
    mapping = source.field_map
    return tuple(mapping[k] for k in NEEDED if k in mapping)


def check_mapping(source) -> None:
    missing = [k for k in NEEDED if k not in source.field_map]
    if missing:
        raise ValueError(f"data/sources.csv: {source.source_id} maps no column to {', '.join(missing)}")


def soql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def where_clause(vendor_column: str, terms: list[str], updated_after: str | None) -> str:
    # The column name comes from the registry and the terms from our catalog: quoted, never user input.
    if not vendor_column.replace("_", "").isalnum():
        raise ValueError(f"not a Socrata column name: {vendor_column!r}")
    vendors = " OR ".join(f"upper({vendor_column}) like {soql_text('%' + t.upper() + '%')}" for t in terms)
    return f"({vendors})" + (f" AND :updated_at > {soql_text(updated_after)}" if updated_after else "")


def fetch(ctx: FetchContext) -> Outcome:
    check_mapping(ctx.source)
    url = rebase(ctx.source.endpoint, ctx.base_url)
    token = settings.socrata_app_token()
    headers = {"X-App-Token": token} if token else None
    after = ctx.since.isoformat() if ctx.since else ctx.cursor.get("updated_at")
    where = where_clause(ctx.source.field_map["vendor"], search_terms(), after)
    fetched, latest = 0, ctx.cursor.get("updated_at")
    for page in range(MAX_PAGES):
        params = {
            "$select": ":*, *",
            "$where": where,
            "$order": ":id",
            "$limit": PAGE_SIZE,
            "$offset": page * PAGE_SIZE,
        }
        response = ctx.client.get(url, params=params, headers=headers)
        ctx.run.save_response(response, ext="json", params=params)
        label = f"{ctx.source.dataset or url} (offset {page * PAGE_SIZE})"
        rows = records_at(json_body(response), None, label)
        require_fields(rows, required_fields(ctx.source, {}), label)
        fetched += len(rows)
        ctx.advance(len(rows))
        stamps = [r.get(":updated_at") for r in rows if isinstance(r, dict) and r.get(":updated_at")]
        latest = max([latest, *stamps], key=lambda v: v or "") if stamps else latest
        if len(rows) < PAGE_SIZE:
            break
    return Outcome(fetched, {"updated_at": latest} if latest else None)
