"""USAspending award rows (bundled or from the live API) -> core.procurement (every row, with a verdict and its reason) and,
for facial-recognition awards only, evidence that the awarding agency procured the product.

The verdict is rules/classify.py's: a vendor that also sells other things (Motorola's radios)
needs its description to name a facial-recognition product; `uncertain` never becomes evidence.

One award, one row: an award both in the bundled file and in a live response is read from the live record
(the newer one); the bundled row is not loaded again but kept as a link on the evidence ("also in ...").
A live award's detail, when it was fetched, gives the full description and the place of performance.

A grant's sub-awards are procurement rows of their own. The sub-award response names its sub-recipient
but not where it is, so the sub-recipient is looked up, by rule, among the registry agencies of the
state where the grant is performed; a match links the row to that agency, anything else stays unmatched
with the reason. A sub-award is facial recognition only by its own description: the prime recipient's
name says nothing about what the sub-recipient bought. Facial recognition and matched: evidence for the
agency; facial recognition and unmatched: quarantine, with the reason.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from ingest import raw
from ingest.db import insert_frame
from ingest.transform import federal_agencies
from rules.classify import Classifier
from rules.matching import Matcher
from rules.redact import redact

AWARD_FIELDS = """
    r.record_id, r.source_id, r.content_hash, s.mode, s.name AS source_name, TRY_CAST(s.retrieved AS DATE) AS retrieved,
    upper(coalesce(r.record->>'generated_internal_id',
                   nullif(regexp_extract(r.record->>'url', '/award/([^/?#]+)', 1), ''))) AS generated_id,
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
"""

# Two shapes: the bundled flattened rows (awardId, recipient, ...) and the live API's rows ("Award ID", ...);
# award details and sub-awards, also kept in raw, have neither.
SEARCH = f"""search AS (
    SELECT {AWARD_FIELDS}
    FROM raw.records r JOIN meta.sources s USING (source_id)
    WHERE list_contains($sources, r.source_id) AND coalesce(r.record->>'awardId', r.record->>'Award ID') IS NOT NULL
)"""

AWARDS = f"""
WITH {SEARCH},
live AS (
    -- A live award fetched again with changed content is a new raw version: read its latest only.
    SELECT * FROM search WHERE mode = 'live'
    QUALIFY row_number() OVER (PARTITION BY coalesce(generated_id, source_id || content_hash) ORDER BY record_id DESC) = 1
),
details AS (
    SELECT upper(r.record->>'generated_unique_award_id') AS generated_id,
           nullif(trim(r.record->>'description'), '') AS detail_description,
           r.record->'place_of_performance'->>'city_name' AS place_city,
           r.record->'place_of_performance'->>'county_name' AS place_county,
           r.record->'place_of_performance'->>'state_code' AS place_state
    FROM raw.records r JOIN meta.sources s USING (source_id)
    WHERE list_contains($sources, r.source_id) AND r.record->>'generated_unique_award_id' IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY upper(r.record->>'generated_unique_award_id') ORDER BY r.record_id DESC) = 1
),
kept AS (
    SELECT * FROM live
    UNION ALL
    SELECT * FROM search b
    WHERE b.mode <> 'live' AND NOT EXISTS (SELECT 1 FROM live WHERE live.generated_id = b.generated_id)
)
SELECT k.*, d.* EXCLUDE (generated_id) FROM kept k LEFT JOIN details d USING (generated_id)
ORDER BY k.record_id
"""

# Bundled rows of an award that a live record replaced: their provenance, kept as links on its evidence.
SUPERSEDED = f"""
WITH {SEARCH}
SELECT b.generated_id, b.source_id, b.source_name, b.retrieved, b.url, b.record_id FROM search b
WHERE b.mode <> 'live' AND EXISTS (SELECT 1 FROM search l WHERE l.mode = 'live' AND l.generated_id = b.generated_id)
ORDER BY b.record_id
"""

SUBAWARDS = """
SELECT r.record_id, r.source_id, r.content_hash, upper(r.record->>'prime_award_id') AS generated_id,
       r.record->>'subaward_number' AS award_id, r.record->>'recipient_name' AS recipient,
       TRY_CAST(r.record->>'amount' AS DOUBLE) AS amount, TRY_CAST(r.record->>'action_date' AS DATE) AS start_date,
       r.record->>'description' AS description
FROM raw.records r JOIN meta.sources s USING (source_id)
WHERE list_contains($sources, r.source_id) AND r.record->>'prime_award_id' IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY upper(r.record->>'prime_award_id'), coalesce(r.record->>'id', r.content_hash)
                           ORDER BY r.record_id DESC) = 1
ORDER BY r.record_id
"""


def run(con: duckdb.DuckDBPyConnection, matcher: Matcher, state_names: dict[str, str]) -> None:
    sources = {"sources": raw.platform_sources(con, "usaspending")}
    awards = con.execute(AWARDS, sources).df()
    if awards.empty:
        return
    classifier = Classifier.from_db(con)
    awards["description"] = awards["detail_description"].fillna(awards["description"])
    verdicts = [classifier.classify(r.recipient, r.description, r.vendor_label) for r in awards.itertuples()]
    add_verdicts(awards, verdicts, [v.reason for v in verdicts])
    # Ids from content, not from load order, so that the same award keeps its id across builds.
    awards["procurement_id"] = (
        awards["source_id"] + ":" + awards["award_id"].fillna("") + ":" + awards["content_hash"].str[:12]
    )
    awards["place_of_performance"] = [
        place_text(*p) for p in zip(awards["place_city"], awards["place_county"], awards["place_state"])
    ]
    insert_frame(
        con,
        "core.procurement",
        awards.rename(
            columns={"agency": "awarding_agency", "subagency": "awarding_subagency", "record_id": "raw_record_id"}
        ).assign(agency_id=None, agency_match=None),
    )  # a prime award's buyer is the federal agency named in awarding_agency
    insert_federal_evidence(con, awards[awards["is_face_recognition"]].copy())
    subawards = con.execute(SUBAWARDS, sources).df()
    if not subawards.empty:
        insert_subawards(con, classifier, subawards, awards, matcher, state_names)


def add_verdicts(frame: pd.DataFrame, verdicts: list, reasons: list[str]) -> None:
    frame["fr_verdict"] = [v.is_face_recognition for v in verdicts]
    frame["is_face_recognition"] = frame["fr_verdict"] == "yes"
    frame["vendor_id"] = [v.vendor_id for v in verdicts]
    frame["product_id"] = [v.product_id for v in verdicts]
    frame["reason"] = reasons
    frame["description"] = frame["description"].map(redact)


def place_text(city, county, state) -> str | None:
    """'DETROIT', 'WAYNE', 'MI' -> 'Detroit, Wayne County, MI'."""

    def given(value):
        return value if isinstance(value, str) and value.strip() else None

    city, county, state = given(city), given(county), given(state)
    if county and not county.upper().endswith(("COUNTY", "PARISH", "BOROUGH")):
        county += " County"
    parts = [p.title() for p in (city, county) if p] + ([state] if state else [])
    return ", ".join(parts) or None


def with_place(description, place) -> str | None:
    description, place = (None if pd.isna(v) else v for v in (description, place))
    if place is None:
        return description
    return f"{description} (place of performance: {place})" if description else f"Place of performance: {place}"


def insert_federal_evidence(con: duckdb.DuckDBPyConnection, fr: pd.DataFrame) -> None:
    if fr.empty:
        return
    fr["agency_name"] = fr["subagency"].fillna(fr["agency"]) + " (" + fr["agency"] + ")"
    fr["agency_id"] = "fed-" + fr["agency_name"].str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    # An agency the federal registry source already holds (same id) is not added twice.
    known = {i for (i,) in con.execute("SELECT agency_id FROM core.agencies WHERE registry = 'federal'").fetchall()}
    agencies = fr.drop_duplicates("agency_id")
    agencies = agencies[~agencies["agency_id"].isin(known)]
    federal_agencies.add_agencies(con, agencies["agency_id"], agencies["agency_name"], agencies["record_id"])
    summary = [with_place(d, p) for d, p in zip(fr["description"], fr["place_of_performance"])]
    evidence = fr.assign(
        evidence_id=fr["procurement_id"],
        agency_match="federal",
        match_score=None,
        kind="procured",
        kind_reason=fr["award_type"].fillna("award").str.lower()
        + " "
        + fr["award_id"].fillna("")
        + ": "
        + fr["reason"],
        event_date=fr["start_date"],
        date_precision="day",
        summary=summary,
        source_name="USAspending.gov",
        source_url=fr["url"],
        raw_record_id=fr["record_id"],
    )
    insert_frame(con, "core.evidence", evidence)
    insert_frame(con, "core.evidence_links", superseded_links(con, fr))


def superseded_links(con: duckdb.DuckDBPyConnection, fr: pd.DataFrame) -> pd.DataFrame | None:
    replaced = con.execute(SUPERSEDED, {"sources": raw.platform_sources(con, "usaspending")}).df()
    links = replaced.merge(
        fr[["generated_id", "procurement_id"]].rename(columns={"procurement_id": "evidence_id"}), on="generated_id"
    )
    if links.empty:
        return None
    return links.assign(
        link_number=links.groupby("evidence_id").cumcount() + 1,
        source_name=links["source_name"] + " (raw record " + links["record_id"].astype(str) + ")",
        link_type="the same award in " + links["source_id"] + ", replaced by the live record",
        link_date=links["retrieved"],
        snapshot_url=None,
    )


def insert_subawards(
    con: duckdb.DuckDBPyConnection,
    classifier: Classifier,
    subs: pd.DataFrame,
    awards: pd.DataFrame,
    matcher: Matcher,
    state_names: dict[str, str],
) -> None:
    prime = awards[awards["generated_id"].notna()].drop_duplicates("generated_id").set_index("generated_id")
    subs = subs.join(
        prime[["award_id", "agency", "subagency", "url", "place_state"]].rename(columns={"award_id": "prime_award_id"}),
        on="generated_id",
    )
    placements = place_subrecipients(matcher, state_names, subs["recipient"], subs["place_state"])
    subs = subs.assign(**dict(zip(("agency_id", "agency_match", "match_score", "placement"), zip(*placements))))
    verdicts = [classifier.classify(None, d) for d in subs["description"]]
    add_verdicts(subs, verdicts, [f"sub-award: {v.reason}; {why}" for v, why in zip(verdicts, subs["placement"])])
    subs["procurement_id"] = (
        subs["source_id"] + ":sub:" + subs["award_id"].fillna("") + ":" + subs["content_hash"].str[:12]
    )
    subs["award_type"] = "sub-award of " + subs["prime_award_id"].fillna("an award not in the archive")
    subs["url"] = subs["url"].fillna("https://www.usaspending.gov/")
    insert_frame(
        con,
        "core.procurement",
        subs.assign(
            vendor_label=None,
            awarding_agency=subs["agency"],
            awarding_subagency=subs["subagency"],
            end_date=None,
            raw_record_id=subs["record_id"],
            place_of_performance=subs["place_state"],
        ),
    )  # the grant's state: a sub-award names no place

    fr = subs[subs["is_face_recognition"]]
    placed, unplaced = fr[fr["agency_id"].notna()], fr[fr["agency_id"].isna()]
    if not placed.empty:
        insert_frame(
            con,
            "core.evidence",
            placed.assign(
                evidence_id=placed["procurement_id"],
                kind="procured",
                kind_reason=placed["award_type"]
                + ", sub-award "
                + placed["award_id"].fillna("")
                + ": "
                + placed["reason"],
                event_date=placed["start_date"],
                date_precision="day",
                summary=placed["description"],
                source_name="USAspending.gov (sub-award)",
                source_url=placed["url"],
                raw_record_id=placed["record_id"],
            ),
        )
    if not unplaced.empty:
        insert_frame(
            con,
            "core.quarantine",
            unplaced.assign(
                raw_file_id=None,
                row_number=None,
                raw_record_id=unplaced["record_id"],
                raw_text=unplaced["description"],
                reason="facial-recognition sub-award to "
                + unplaced["recipient"].fillna("(no name)")
                + ": "
                + unplaced["reason"],
            ),
        )


def place_subrecipients(
    matcher: Matcher, state_names: dict[str, str], names, states
) -> list[tuple[str | None, str | None, float | None, str]]:
    """(agency_id, method, score, why) per sub-recipient: placed only by the matcher's rules, within the state
    where the grant is performed; never by the grant's city, which the sub-recipient may not share."""
    out = []
    for name, state in zip(names, states):
        state = state if isinstance(state, str) and state.strip() else None
        if state is None:
            out.append((None, None, None, "sub-recipient not placed: no place-of-performance state to look in"))
            continue
        found = matcher.match(name if isinstance(name, str) else "", state, None, state_names.get(state))
        if found.status == "matched":
            agency = matcher.agencies[found.agency_id]
            out.append(
                (
                    found.agency_id,
                    found.method,
                    found.score,
                    f"sub-recipient placed on the registry: {agency.name} ({found.agency_id}), {found.method} in {state}",
                )
            )
        elif found.status == "ambiguous":
            out.append(
                (None, None, None, f"sub-recipient not placed: ambiguous in {state}: {'; '.join(found.candidates)}")
            )
        else:
            others = f" (look-alikes not taken: {'; '.join(found.candidates)})" if found.candidates else ""
            out.append(
                (None, None, None, f"sub-recipient not placed: no registry agency of that name in {state}{others}")
            )
    return out
