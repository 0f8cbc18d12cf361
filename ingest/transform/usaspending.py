"""USAspending award rows (bundled or from the live API) -> core.procurement (every row, with a verdict and its reason) and,
for facial-recognition awards only, evidence that the awarding agency procured the product.

The verdict is ingest/classify.py's: a vendor that also sells other things (Motorola's radios)
needs its description to name a facial-recognition product; `uncertain` never becomes evidence.
"""
from __future__ import annotations

import duckdb

from ingest.classify import Classifier
from ingest.db import insert_frame
from ingest.redact import redact


def run(con: duckdb.DuckDBPyConnection) -> None:
    frame = con.execute(
        """
        SELECT r.record_id, r.source_id, r.content_hash,
               coalesce(r.record->>'awardId', r.record->>'Award ID') AS award_id,
               coalesce(r.record->>'recipient', r.record->>'Recipient Name') AS recipient,
               coalesce(r.record->>'vendor', r.record->>'Recipient Name') AS vendor_label,
               coalesce(r.record->>'agency', r.record->>'Awarding Agency') AS agency,
               coalesce(r.record->>'subAgency', r.record->>'Awarding Sub Agency') AS subagency,
               TRY_CAST(coalesce(r.record->>'amount', r.record->>'Award Amount') AS DOUBLE) AS amount,
               TRY_CAST(coalesce(r.record->>'startDate', r.record->>'Start Date') AS DATE) AS start_date,
               TRY_CAST(coalesce(r.record->>'endDate', r.record->>'End Date') AS DATE) AS end_date,
               coalesce(r.record->>'awardType', r.record->>'Contract Award Type', r.record->>'Award Type') AS award_type,
               coalesce(r.record->>'description', r.record->>'Description') AS description,
               coalesce(r.record->>'url', 'https://www.usaspending.gov/award/' || (r.record->>'generated_internal_id')) AS url
        FROM raw.records r JOIN meta.sources s USING (source_id)
        WHERE s.platform = 'usaspending'
        -- Two shapes: the bundled flattened rows (awardId, recipient, ...) and the live API's rows
        -- ("Award ID", "Recipient Name", ...). A live award fetched again with changed content is kept
        -- in raw as a new version; only its latest version is read here.
        QUALIFY row_number() OVER (PARTITION BY r.source_id, coalesce(r.record->>'generated_internal_id', r.content_hash)
                                   ORDER BY r.record_id DESC) = 1
        ORDER BY r.record_id
        """
    ).df()
    if frame.empty:
        return
    classifier = Classifier.from_db(con)
    verdicts = [classifier.classify(r.recipient, r.description, r.vendor_label) for r in frame.itertuples()]
    frame["fr_verdict"] = [v.is_face_recognition for v in verdicts]
    frame["is_face_recognition"] = frame["fr_verdict"] == "yes"
    frame["vendor_id"] = [v.vendor_id for v in verdicts]
    frame["product_id"] = [v.product_id for v in verdicts]
    frame["reason"] = [v.reason for v in verdicts]
    frame["description"] = frame["description"].map(redact)
    # Ids from content, not from load order, so that the same award keeps its id across builds.
    frame["procurement_id"] = frame["source_id"] + ":" + frame["award_id"].fillna("") + ":" + frame["content_hash"].str[:12]
    insert_frame(con, "core.procurement", frame.rename(columns={
        "agency": "awarding_agency", "subagency": "awarding_subagency", "record_id": "raw_record_id"}))

    fr = frame[frame["is_face_recognition"]].copy()
    if fr.empty:
        return
    fr["agency_name"] = fr["subagency"].fillna(fr["agency"]) + " (" + fr["agency"] + ")"
    fr["agency_id"] = "fed-" + fr["agency_name"].str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    agencies = fr.drop_duplicates("agency_id")
    insert_frame(con, "core.agencies", agencies.assign(
        ori=None, name=agencies["agency_name"], agency_type="Federal", city=None, county=None, state=None,
        latitude=None, longitude=None, location_method=None, registry="federal",
        raw_record_id=agencies["record_id"]))
    evidence = fr.assign(
        evidence_id=fr["procurement_id"], agency_match="federal", match_score=None, kind="procured",
        kind_reason=fr["award_type"].fillna("award").str.lower() + " " + fr["award_id"].fillna("") + ": " + fr["reason"],
        event_date=fr["start_date"], date_precision="day", summary=fr["description"],
        source_name="USAspending.gov", source_url=fr["url"], raw_record_id=fr["record_id"])
    insert_frame(con, "core.evidence", evidence)
