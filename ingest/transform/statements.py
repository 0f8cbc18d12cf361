"""Agency statements -> evidence of their own kind ('denied', 'ended', 'used', 'trialled'), beside
the rest: a denial never erases other evidence, it makes the claim contested."""

from __future__ import annotations

import duckdb
import pandas as pd

from ingest import raw
from ingest.db import insert_frame
from ingest.transform import catalog
from rules import dates
from rules.claims import LADDER

# What an agency's own statement can say: any kind of evidence but a bare listing ("unconfirmed" is only a
# claim's status).
KINDS = set(LADDER) - {"listed", "unconfirmed"}


def run(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        """SELECT r.record_id, r.source_id, r.raw_file_id, r.row_number, r.record::VARCHAR,
                  trim(r.record->>'agency_id'), trim(r.record->>'vendor'), lower(trim(r.record->>'kind')),
                  r.record->>'statement', r.record->>'date', trim(r.record->>'source_url')
           FROM raw.records r
           WHERE list_contains(?, r.source_id) ORDER BY r.record_id""",
        [raw.platform_sources(con, "agency_statements")],
    ).fetchall()
    if not rows:
        return
    agencies = {r[0] for r in con.execute("SELECT agency_id FROM core.agencies").fetchall()}
    vendors = catalog.vendor_lookup(con)
    single = dict(
        con.execute(
            "SELECT vendor_id, any_value(product_id) FROM core.products GROUP BY 1 HAVING count(*) = 1"
        ).fetchall()
    )
    evidence, rejected = [], []
    for record_id, source_id, file_id, row_number, raw_text, agency_id, vendor, kind, statement, when, url in rows:
        vendor_id = vendors.get((vendor or "").lower()) if vendor else None
        problem = (
            "agency_id is not in the registry"
            if agency_id not in agencies
            else f"kind must be one of {sorted(KINDS)}"
            if kind not in KINDS
            else "no source URL"
            if not (url or "").startswith("http")
            else "no statement text"
            if not (statement or "").strip()
            else f"vendor {vendor!r} is not in the catalog"
            if vendor and vendor_id is None
            else None
        )
        if problem:
            rejected.append((source_id, file_id, row_number, record_id, f"statement: {problem}", raw_text))
            continue
        day, precision = dates.parse(when)
        evidence.append(
            {
                "evidence_id": f"{source_id}:{record_id}",
                "agency_id": agency_id,
                "agency_match": "ori",
                "match_score": 100.0,
                "vendor_id": vendor_id,
                "product_id": single.get(vendor_id),
                "kind": kind,
                "kind_reason": f"the agency's own statement: {kind}",
                "event_date": day,
                "date_precision": precision,
                "amount": None,
                "summary": statement.strip(),
                "source_id": source_id,
                "source_name": "Agency statement",
                "source_url": url,
                "raw_record_id": record_id,
            }
        )
    insert_frame(con, "core.evidence", pd.DataFrame(evidence))
    insert_frame(
        con,
        "core.quarantine",
        pd.DataFrame(
            rejected, columns=["source_id", "raw_file_id", "row_number", "raw_record_id", "reason", "raw_text"]
        ),
    )
