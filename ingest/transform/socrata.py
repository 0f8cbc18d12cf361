"""City open-data contract rows (Socrata) -> core.procurement, through the same classifier as federal
awards; a facial-recognition verdict (`yes` only) becomes evidence that the city department procured it.

Each dataset names its own columns (data/sources.csv `fields`); the buyer is the department of the
dataset's jurisdiction, placed on the registry by rule when it names a police or sheriff's agency, and
otherwise kept as its own agency at the city's Census point: never guessed onto a look-alike.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from ingest.db import insert_frame
from ingest.registry import Source
from ingest.sources.socrata import MAPPED
from rules.classify import Classifier
from rules.matching import Matcher
from rules.redact import redact


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")


def live_sources(con) -> list[Source]:
    rows = con.execute(
        """SELECT s.source_id, s.name, s.platform, s.url, s.homepage, s.license, s.attribution, s.weight,
                  l.endpoint, l.dataset, l.fields, l.jurisdiction
           FROM meta.sources s JOIN meta.live_sources l USING (source_id)
           WHERE s.platform = 'socrata' ORDER BY source_id"""
    ).fetchall()
    return [
        Source(
            source_id=r[0],
            name=r[1],
            platform=r[2],
            files=(),
            url=r[3],
            homepage=r[4] or "",
            license=r[5],
            attribution=r[6],
            retrieved="live",
            weight=r[7],
            notes="",
            mode="live",
            endpoint=r[8],
            dataset=r[9] or "",
            fields=r[10] or "",
            jurisdiction=r[11] or "",
        )
        for r in rows
    ]


def rows_of(con, source: Source) -> pd.DataFrame:
    mapping = source.field_map
    # Column names are bound as parameters (->> takes a key value), never pasted into the SQL text.
    params = {"source": source.source_id, **{k: mapping.get(k, "") for k in MAPPED}}
    return con.execute(
        """
        SELECT r.record_id, r.source_id, r.content_hash, r.record->>$award_id AS award_id,
               r.record->>$vendor AS recipient, r.record->>$department AS department,
               TRY_CAST(r.record->>$amount AS DOUBLE) AS amount, r.record->>$description AS description,
               TRY_CAST(TRY_CAST(r.record->>$start_date AS TIMESTAMP) AS DATE) AS start_date,
               TRY_CAST(TRY_CAST(r.record->>$end_date AS TIMESTAMP) AS DATE) AS end_date
        FROM raw.records r WHERE r.source_id = $source
        -- A row fetched again after an upstream edit is a new raw version; read only its latest.
        QUALIFY row_number() OVER (PARTITION BY coalesce(r.record->>':id', r.content_hash) ORDER BY r.record_id DESC) = 1
        ORDER BY r.record_id
        """,
        params,
    ).df()


def run(con: duckdb.DuckDBPyConnection, matcher: Matcher, state_names: dict[str, str]) -> None:
    sources = live_sources(con)
    if not sources:
        return
    classifier = Classifier.from_db(con)
    for source in sources:
        frame = rows_of(con, source)
        if frame.empty:
            continue
        city, _, state = (p.strip() for p in source.jurisdiction.partition(","))
        frame = frame.astype(object).where(frame.notna(), None)
        verdicts = [classifier.classify(r.recipient, r.description) for r in frame.itertuples()]
        frame["fr_verdict"] = [v.is_face_recognition for v in verdicts]
        frame["is_face_recognition"] = frame["fr_verdict"] == "yes"
        frame["vendor_id"] = [v.vendor_id for v in verdicts]
        frame["product_id"] = [v.product_id for v in verdicts]
        frame["reason"] = [v.reason for v in verdicts]
        frame["description"] = frame["description"].map(redact)
        frame["procurement_id"] = (
            frame["source_id"] + ":" + frame["award_id"].fillna("") + ":" + frame["content_hash"].str[:12]
        )
        frame["url"] = [
            f"{source.endpoint}?{source.field_map['award_id']}={a}" if a else source.endpoint for a in frame["award_id"]
        ]
        insert_frame(
            con,
            "core.procurement",
            frame.assign(
                vendor_label=frame["recipient"],
                awarding_agency=source.jurisdiction,
                awarding_subagency=frame["department"],
                award_type="city contract",
                raw_record_id=frame["record_id"],
                agency_id=None,
                agency_match=None,
                place_of_performance=source.jurisdiction,
            ),
        )
        fr = frame[frame["is_face_recognition"]].copy()
        if not fr.empty:
            insert_evidence(con, source, fr, matcher, state_names, city, state)


def insert_evidence(con, source: Source, fr: pd.DataFrame, matcher, state_names, city: str, state: str) -> None:
    found = matcher.match_many([(d or "", state, city, state_names.get(state)) for d in fr["department"]])
    fr["agency_id"] = [
        m.agency_id if m.status == "matched" else f"city-{slug(source.jurisdiction)}-{slug(d)}"
        for m, d in zip(found, fr["department"])
    ]
    fr["agency_match"] = [m.method if m.status == "matched" else "unplaced" for m in found]
    fr["match_score"] = [m.score if m.status == "matched" else None for m in found]
    known = {r[0] for r in con.execute("SELECT agency_id FROM core.agencies").fetchall()}
    new = fr[~fr["agency_id"].isin(known)].drop_duplicates("agency_id")
    if not new.empty:
        place = con.execute(
            "SELECT latitude, longitude FROM core.places WHERE kind = 'place' AND state = ? "
            "AND lower(name) = lower(?) ORDER BY geoid LIMIT 1",
            [state, city],
        ).fetchall()
        place = place[0] if place else None
        insert_frame(
            con,
            "core.agencies",
            new.assign(
                ori=None,
                name=new["department"].fillna("(department not named)") + " (" + city + ")",
                agency_type="City",
                city=city,
                county=None,
                state=state,
                latitude=place[0] if place else None,
                longitude=place[1] if place else None,
                location_method="census_place" if place else None,
                registry="open_data",
                raw_record_id=new["record_id"],
            ),
        )
    insert_frame(
        con,
        "core.evidence",
        fr.assign(
            evidence_id=fr["procurement_id"],
            kind="procured",
            kind_reason="city contract " + fr["award_id"].fillna("") + ": " + fr["reason"],
            event_date=fr["start_date"],
            date_precision="day",
            summary=fr["description"],
            source_name=source.name,
            source_url=fr["url"],
            raw_record_id=fr["record_id"],
        ),
    )
