"""USAspending award rows -> core.procurement (every row, with a verdict and its reason) and,
for facial-recognition awards only, evidence that the awarding agency procured the product.

A vendor's name is enough only for a vendor that sells nothing but facial recognition. A vendor
with other lines needs a product term in the description. A vendor not in the catalog is never
facial recognition, whatever else it sells (Motorola, Cellebrite, Axon, Palantir ...).
"""
from __future__ import annotations

import duckdb

from ingest.db import insert_frame
from ingest.redact import redact


def run(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE awards AS
        WITH aliases AS (
            SELECT vendor_id, lower(trim(label)) AS label
            FROM (SELECT vendor_id, unnest(list_prepend(name, coalesce(aliases, []))) AS label FROM core.vendors WHERE in_catalog)
        ), rows AS (
            SELECT r.record_id, r.source_id, r.record->>'awardId' AS award_id, r.record->>'recipient' AS recipient,
                   r.record->>'vendor' AS vendor_label, r.record->>'agency' AS agency,
                   r.record->>'subAgency' AS subagency, TRY_CAST(r.record->>'amount' AS DOUBLE) AS amount,
                   TRY_CAST(r.record->>'startDate' AS DATE) AS start_date, TRY_CAST(r.record->>'endDate' AS DATE) AS end_date,
                   r.record->>'awardType' AS award_type, r.record->>'description' AS description, r.record->>'url' AS url
            FROM raw.records r JOIN meta.sources s USING (source_id)
            WHERE s.platform = 'usaspending'
        )
        SELECT rows.*, v.vendor_id, v.name AS vendor_name, v.other_lines,
               coalesce((SELECT list(DISTINCT t ORDER BY t) FROM (SELECT unnest(p.product_terms) AS t FROM core.products p
                 WHERE p.vendor_id = v.vendor_id) WHERE contains(lower(rows.description), t)), []) AS terms_found,
               (SELECT any_value(p.product_id) FROM core.products p WHERE p.vendor_id = v.vendor_id
                  AND (SELECT count(*) FROM core.products q WHERE q.vendor_id = v.vendor_id) = 1) AS only_product
        FROM rows
        LEFT JOIN (SELECT DISTINCT a.label, v.* FROM aliases a JOIN core.vendors v USING (vendor_id)) v
               ON v.label IN (lower(trim(rows.recipient)), lower(trim(rows.vendor_label)))
        QUALIFY row_number() OVER (PARTITION BY rows.record_id ORDER BY v.vendor_id) = 1
        """
    )
    frame = con.execute("SELECT * FROM awards ORDER BY record_id").df()
    if frame.empty:
        return
    verdicts = [verdict(r.vendor_id, r.vendor_name, r.other_lines, r.terms_found, r.vendor_label)
                for r in frame.itertuples()]
    frame["is_face_recognition"] = [v[0] for v in verdicts]
    frame["reason"] = [v[1] for v in verdicts]
    frame["description"] = frame["description"].map(redact)
    frame["procurement_id"] = frame["source_id"] + ":" + frame["award_id"].fillna("") + ":" + frame["record_id"].astype(str)
    procurement = frame.rename(columns={"agency": "awarding_agency", "subagency": "awarding_subagency",
                                        "record_id": "raw_record_id"})
    insert_frame(con, "core.procurement", procurement)

    fr = frame[frame["is_face_recognition"]].copy()
    if fr.empty:
        return
    fr["agency_name"] = fr["subagency"].fillna(fr["agency"]) + " (" + fr["agency"] + ")"
    fr["agency_id"] = "fed-" + fr["agency_name"].str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    agencies = fr.drop_duplicates("agency_id")
    insert_frame(con, "core.agencies", agencies.assign(
        ori=None, name=agencies["agency_name"], agency_type="Federal", city=None, county=None, state=None,
        latitude=None, longitude=None, location_method=None, registry="federal",
        raw_record_id=agencies["record_id"])[[c for c in AGENCY_COLUMNS]])
    evidence = fr.assign(
        evidence_id=fr["procurement_id"], agency_match="federal", match_score=None,
        product_id=fr["only_product"], kind="procured",
        kind_reason=fr["award_type"].fillna("award").str.lower() + " " + fr["award_id"].fillna("") + ": " + fr["reason"],
        event_date=fr["start_date"], date_precision="day", summary=fr["description"],
        source_name="USAspending.gov", source_url=fr["url"], raw_record_id=fr["record_id"])
    insert_frame(con, "core.evidence", evidence)
    con.execute("DROP TABLE awards")


AGENCY_COLUMNS = ("agency_id", "ori", "name", "agency_type", "city", "county", "state", "latitude", "longitude",
                  "location_method", "registry", "raw_record_id")


def verdict(vendor_id, vendor_name, other_lines, terms_found, label) -> tuple[bool, str]:
    if not isinstance(vendor_id, str):
        return False, f"{label or 'the vendor'} is not a facial-recognition vendor in the catalog"
    terms = list(terms_found)
    if isinstance(other_lines, str) and other_lines:
        if terms:
            return True, f"{vendor_name}: description names {', '.join(terms)}"
        return False, f"{vendor_name} also sells {other_lines.replace('|', ', ')}; the description names no face-recognition product"
    return True, f"{vendor_name} sells only facial recognition (catalog)"
