"""Every SQL statement the pages run, each with bound parameters. Pages call these functions;
they never write SQL of their own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from dashboard.data import query


@dataclass
class Filters:
    states: list[str] = field(default_factory=list)
    vendors: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # agency kinds: Municipal, County, State, ...
    year_from: int | None = None
    year_to: int | None = None
    documented_since: dt.date | None = None  # hide claims whose newest evidence is older (rules/documented.py)

    def params(self) -> dict:
        return {
            "states": self.states,
            "vendors": self.vendors,
            "statuses": self.statuses,
            "kinds": self.kinds,
            "year_from": self.year_from,
            "year_to": self.year_to,
            "documented_since": self.documented_since,
        }


# Shared by the map, its table and its headline counts, so that all three always agree. `filtered` is
# views.evidence with the agency's kind and the claim's status and ladder rank, read from served.evidence
# (the build stores it: ingest/transform/materialize.py) rather than joined again at every call.
FILTERED_CLAIMS = """
WITH ev AS (
    SELECT e.* EXCLUDE (status_rank), e.status_rank AS rank FROM served.evidence e
    WHERE (len($states::VARCHAR[]) = 0 OR list_contains($states::VARCHAR[], e.state))
      AND (len($vendors::VARCHAR[]) = 0 OR list_contains($vendors::VARCHAR[], e.vendor))
      AND (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], e.agency_kind))
      -- A claim is kept when any of its evidence is dated in the range: the row's own date or any of its links'
      -- (views.evidence_dates), not only the earliest link that dates the row.
      -- (A lambda over the row's few years: a list of every year up to 9999 to compare with took 17 s at 1M rows.)
      AND (($year_from::INTEGER IS NULL AND $year_to::INTEGER IS NULL) OR list_bool_or(list_transform(e.years,
           lambda y: y BETWEEN coalesce($year_from::INTEGER, 0) AND coalesce($year_to::INTEGER, 9999))))
      AND ($documented_since::DATE IS NULL OR e.claim_last_documented >= $documented_since::DATE)
), filtered AS (
    SELECT * FROM ev WHERE len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], status)
)
"""


def filter_options() -> dict[str, list]:
    # The stored copies (schema served): this runs on every map load, and the views compute at each read.
    frame = query("""
        SELECT 'state' AS facet, state AS value FROM served.evidence WHERE state IS NOT NULL GROUP BY 2
        UNION ALL SELECT 'vendor', vendor FROM served.evidence GROUP BY 2
        UNION ALL SELECT 'kind', agency_kind FROM views.agencies WHERE agency_id IN (SELECT agency_id FROM served.agency_map) GROUP BY 2
        UNION ALL SELECT 'year', year::VARCHAR FROM served.evidence WHERE year IS NOT NULL GROUP BY 2
        ORDER BY 1, 2
    """)
    options = {facet: sorted(group["value"].tolist()) for facet, group in frame.groupby("facet")}
    # 'banned' describes a policy, not a claim: the map shows policies as their own layer.
    options["status"] = [s for s in status_ladder()["status"].tolist() if s != "banned"]
    return options


def status_ladder() -> pd.DataFrame:
    return query("SELECT status, definition FROM views.status_ladder ORDER BY rank")


def map_agencies(filters: Filters) -> pd.DataFrame:
    # Unfiltered, the map is the build's stored per-agency summary (served.agency_map: the same rows this
    # query gives with no filter), read in the order it is stored in, the map's own (evidence_count DESC, name,
    # agency_id: ingest/transform/materialize.py); DuckDB keeps a table's order through SELECT and WHERE, and
    # sorting its 20,000 rows again took about half of this query at 1M SYNTHETIC rows.
    # contested: true when any of the agency's claims is, filtered or not.
    if not any(v not in (None, []) for v in filters.params().values()):
        return query(
            """
            SELECT agency_id, name, agency_kind, agency_type, state, city, county, latitude, longitude, placement,
                   location_note, status, products, evidence_count, first_date, last_date, last_documented, contested
            FROM served.agency_map
        """,
            bulk=True,
        )
    return query(
        FILTERED_CLAIMS
        + """
        -- Grouped by the agency's id alone, its other columns joined after: grouping by all eleven took DuckDB
        -- a join back on all of them for each DISTINCT aggregate. served.evidence holds each evidence_id once
        -- (count(*) counts evidence rows); the products, distinct and sorted, as a list (about a third faster at
        -- 1M SYNTHETIC rows than string_agg(DISTINCT ... ORDER BY), the same text; product is never NULL).
        , per_agency AS (
            SELECT agency_id, arg_min(status, rank) AS status,
                   array_to_string(list_sort(list_distinct(list(product))), '; ') AS products,
                   count(*) AS evidence_count, min(event_date) AS first_date, max(event_date) AS last_date,
                   arg_min(claim_last_documented, rank * 100000
                           - coalesce(date_diff('day', DATE '1900-01-01', claim_last_documented), 0)) AS last_documented
            FROM filtered GROUP BY agency_id
        )
        SELECT a.agency_id, a.name, a.agency_kind, a.agency_type, a.state, a.city, a.county,
               a.latitude, a.longitude, a.placement, a.location_note,
               p.status, p.products, p.evidence_count, p.first_date, p.last_date, p.last_documented, a.contested
        FROM per_agency p
        JOIN served.agency_map a USING (agency_id)
        ORDER BY evidence_count DESC, a.name, agency_id
    """,
        filters.params(),
        bulk=True,
    )


def headline(filters: Filters) -> dict:
    if not any(v not in (None, []) for v in filters.params().values()):  # stored by the build, as below
        return query("SELECT agencies, evidence, states, products, sources FROM served.headline").iloc[0].to_dict()
    row = query(
        FILTERED_CLAIMS
        + """
        -- served.evidence holds each evidence_id once: count(*) counts evidence without a DISTINCT's hash table
        SELECT count(DISTINCT agency_id) AS agencies, count(*) AS evidence,
               count(DISTINCT state) AS states, count(DISTINCT product) AS products,
               count(DISTINCT source_url) AS sources
        FROM filtered
    """,
        filters.params(),
    )
    return row.iloc[0].to_dict()


def policies(states: list[str] | None = None) -> pd.DataFrame:
    return query(
        """
        SELECT policy_id, jurisdiction, jurisdiction_level, place_name, state, stance, description,
               action_date, date_text, source_url, caveat, caveat_source, latitude, longitude
        FROM views.policies
        WHERE len($states::VARCHAR[]) = 0 OR list_contains($states::VARCHAR[], state)
        ORDER BY action_date
    """,
        {"states": states or []},
    )


def records_law(state: str | None) -> dict | None:
    frame = query("SELECT * FROM views.records_laws WHERE state = $state", {"state": (state or "").upper()})
    return None if frame.empty else frame.iloc[0].to_dict()


def agency(agency_id: str) -> dict | None:
    """The registry agency, with where to send it a records request when a source knows (views.agency_contacts)."""
    frame = query(
        """
        SELECT a.*, c.mailing_address, c.records_email, c.as_of AS contact_as_of, c.source_url AS contact_url
        FROM views.agencies a LEFT JOIN views.agency_contacts c USING (agency_id) WHERE a.agency_id = $id
    """,
        {"id": agency_id},
    )
    return None if frame.empty else frame.iloc[0].to_dict()


def agency_claims(agency_id: str) -> pd.DataFrame:
    return query(
        """
        SELECT c.vendor, c.product, c.status, c.contested, c.evidence_count, c.first_date, c.last_date,
               c.last_documented, c.source_urls
        FROM served.claims c JOIN views.status_ladder l USING (status)
        WHERE c.agency_id = $id ORDER BY l.rank, c.product
    """,
        {"id": agency_id},
    )


def shared_documents(agency_id: str, many: int) -> pd.DataFrame:
    """The documents behind this agency's evidence that stand behind at least `many` evidence rows in all, with
    how many rows and agencies rest on each and their summaries (to name the system they describe)."""
    return query(
        """
        SELECT e.source_url, any_value(e.source_name) AS source_name, min(e.event_date) AS first_date,
               count(*) AS evidence_rows, count(DISTINCT e.agency_id) AS agencies, list(e.summary) AS summaries
        FROM served.evidence e
        WHERE e.source_url IN (SELECT source_url FROM served.evidence WHERE agency_id = $id)
        GROUP BY e.source_url HAVING count(*) >= $many
        ORDER BY evidence_rows DESC, e.source_url
    """,
        {"id": agency_id, "many": many},
    )


def vendor_disagreements(agency_id: str) -> pd.DataFrame:
    """The agency's source rows whose Vendor field and summary name different vendors: each vendor's evidence,
    the Vendor field's side first."""
    return query(
        """
        SELECT * FROM views.vendor_disagreements WHERE agency_id = $id
        ORDER BY raw_record_id, side = 'summary', vendor
    """,
        {"id": agency_id},
    )


def site_vendor_disagreements() -> pd.DataFrame:
    """Every source row whose Vendor field and summary name different vendors (the bake groups them by agency):
    each vendor's evidence, the Vendor field's side first."""
    return query("SELECT * FROM views.vendor_disagreements ORDER BY agency_id, raw_record_id, side = 'summary', vendor")


def agency_evidence(agency_id: str) -> pd.DataFrame:
    return query(
        """
        SELECT evidence_id, event_date, date_precision, date_label, kind, kind_reason, vendor, product, amount, summary,
               source, license, source_name, source_url, agency_match, match_score,
               raw_record_id, raw_hash, raw_file, raw_file_sha256, raw_file_url, raw_fetched_at
        FROM served.evidence WHERE agency_id = $id
        ORDER BY event_date NULLS LAST, evidence_id
    """,
        {"id": agency_id},
        bulk=True,  # the busiest agency at 1M SYNTHETIC rows has 6,941
    )


def evidence_links(evidence_ids: list[str]) -> pd.DataFrame:
    return query(
        """
        SELECT evidence_id, link_number, url, source_name, link_type, link_date
        FROM views.evidence_links WHERE list_contains($ids::VARCHAR[], evidence_id)
        ORDER BY evidence_id, link_number
    """,
        {"ids": evidence_ids},
    )


def raw_record(record_id: int) -> dict | None:
    frame = query(
        """
        SELECT r.record_id, r.source_id, r.row_number, r.content_hash, r.record::VARCHAR AS record,
               f.path, f.url, f.fetched_at, f.sha256
        FROM raw.records r JOIN meta.raw_files f USING (raw_file_id) WHERE r.record_id = $id
    """,
        {"id": int(record_id)},
    )
    return None if frame.empty else frame.iloc[0].to_dict()


def agency_policies(agency_id: str) -> pd.DataFrame:
    """Policies of the agency's state, county or city, as the source words them."""
    return query(
        """
        SELECT p.jurisdiction, p.jurisdiction_level, p.stance, p.date_text, p.action_date, p.source_url, p.caveat
        FROM views.agencies a JOIN views.policies p ON p.state = a.state
        WHERE a.agency_id = $id
          AND (p.jurisdiction_level = 'state'
               OR (p.jurisdiction_level = 'city' AND lower(p.place_name) = lower(a.city))
               OR (p.jurisdiction_level = 'county' AND lower(p.place_name) = lower(a.county)))
        ORDER BY p.action_date
    """,
        {"id": agency_id},
    )


def sources() -> pd.DataFrame:
    return query("""
        SELECT source_id, name, mode, license, attribution, url, homepage, retrieved, raw_files, raw_records,
               evidence_rows, quarantined, last_run_status, last_run_started, last_run_finished, last_run_error, notes
        FROM views.sources ORDER BY mode, source_id
    """)


def quarantine() -> pd.DataFrame:
    return query("SELECT source_id, row_number, reason, raw_text FROM views.quarantine ORDER BY source_id, row_number")


JURISDICTION = """
    a.state = $state AND (
        $level = 'state'
        OR ($level = 'county' AND lower(a.county) = lower($name))
        OR ($level = 'city' AND lower(a.city) = lower($name)))
"""


def jurisdiction_evidence(level: str, name: str, state: str) -> pd.DataFrame:
    """Every evidence row of the agencies of a city, a county or a state, with its claim status."""
    return query(
        """
        SELECT e.evidence_id, e.agency_id, e.agency_name, a.agency_kind, a.county, a.latitude, a.longitude, e.vendor, e.product,
               e.kind, e.kind_reason, e.event_date, e.date_label, e.amount, e.summary, e.source, e.source_name,
               e.source_url, e.raw_record_id, e.raw_file_sha256, c.status, c.contested, c.last_documented
        FROM served.evidence e
        JOIN views.agencies a USING (agency_id)
        JOIN served.claims c ON c.agency_id = e.agency_id
         AND c.vendor_id IS NOT DISTINCT FROM e.vendor_id AND c.product_id IS NOT DISTINCT FROM e.product_id
        WHERE """
        + JURISDICTION
        + """
        ORDER BY e.agency_name, e.product, e.event_date NULLS LAST
    """,
        {"level": level, "name": name, "state": state},
    )


def jurisdiction_policies(level: str, name: str, state: str) -> pd.DataFrame:
    return query(
        """
        SELECT policy_id, jurisdiction, jurisdiction_level, stance, description, date_text, action_date, source_url,
               caveat
        FROM views.policies
        WHERE state = $state AND (jurisdiction_level = 'state'
              OR ($level IN ('city', 'county') AND lower(place_name) = lower($name)))
        ORDER BY action_date
    """,
        {"level": level, "name": name, "state": state},
    )


def source(source_id: str) -> dict:
    return (
        query(
            "SELECT source_id, name, url, license, retrieved FROM views.sources WHERE source_id = $id",
            {"id": source_id},
        )
        .iloc[0]
        .to_dict()
    )


def jurisdictions(state: str) -> pd.DataFrame:
    """Cities and counties of a state that have agencies with evidence, for the brief's picker."""
    return query(
        """
        SELECT DISTINCT 'city' AS level, a.city AS name FROM views.agencies a
        WHERE a.state = $state AND a.city IS NOT NULL AND a.agency_id IN (SELECT agency_id FROM served.agency_map)
        UNION
        SELECT DISTINCT 'county', a.county FROM views.agencies a
        WHERE a.state = $state AND a.county IS NOT NULL AND a.agency_id IN (SELECT agency_id FROM served.agency_map)
        ORDER BY 1, 2
    """,
        {"state": state},
    )


def fips_prefixes(state: str, counties: list[str] | None = None) -> tuple[str, ...]:
    """County FIPS codes that outline a jurisdiction: the state's two digits, or the named counties' five."""
    frame = query(
        """
        SELECT DISTINCT CASE WHEN len($counties::VARCHAR[]) = 0 THEN left(geoid, 2) ELSE geoid END AS prefix
        FROM views.places WHERE kind = 'county' AND state = $state
          AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], lower(name)))
        ORDER BY 1
    """,
        {"state": state, "counties": [c.lower() for c in counties or []]},
    )
    return tuple(frame["prefix"])


def record_for_agencies(agency_ids: list[str]) -> pd.DataFrame:
    """What the public record holds for each agency: claims, procurement, denials, evidence count."""
    return query(
        """
        SELECT a.agency_id, a.name, a.state, a.agency_kind,
               count(c.agency_id) AS claims,
               coalesce(bool_or(c.status = 'procured'), false) AS procured,
               coalesce(bool_or(c.status = 'denied' OR c.contested), false) AS denied,
               coalesce(sum(c.evidence_count), 0) AS evidence_count,
               string_agg(c.product || ': ' || c.status, '; ' ORDER BY c.product) AS statuses,
               min(split_part(c.source_urls, ' ', 1)) AS a_source
        FROM views.agencies a LEFT JOIN served.claims c USING (agency_id)
        WHERE list_contains($ids::VARCHAR[], a.agency_id)
        GROUP BY a.agency_id, a.name, a.state, a.agency_kind
        ORDER BY a.state, a.name
    """,
        {"ids": agency_ids},
    )


def vendor_summary() -> pd.DataFrame:
    """Per vendor: agencies with evidence, claims by status, and spend on record."""
    return query("""
        SELECT c.vendor, count(DISTINCT c.agency_id) AS agencies,
               count(*) FILTER (WHERE c.status = 'procured') AS procured,
               count(*) FILTER (WHERE c.status = 'used') AS used,
               count(*) FILTER (WHERE c.status = 'trialled') AS trialled,
               -- every other status (rules/claims.py STATUSES), so that the four add up to the claims
               count(*) FILTER (WHERE c.status NOT IN ('procured', 'used', 'trialled')) AS other,
               (SELECT sum(e.amount) FROM served.evidence e WHERE e.vendor = c.vendor) AS spend_on_record
        FROM served.claims c GROUP BY c.vendor ORDER BY agencies DESC, c.vendor
    """)


def vendor_agencies_by_year() -> pd.DataFrame:
    """Agencies per vendor by the year of their earliest dated evidence (when the record first shows them)."""
    return query("""
        SELECT vendor, year(first_date) AS year, count(DISTINCT agency_id) AS agencies
        FROM served.claims WHERE first_date IS NOT NULL GROUP BY ALL ORDER BY vendor, year
    """)


def spend_by_year() -> pd.DataFrame:
    return query("""
        SELECT vendor, year, sum(amount) AS amount, count(*) AS awards,
               string_agg(source_url, ' ' ORDER BY source_url) AS sources
        FROM served.evidence WHERE amount IS NOT NULL AND year IS NOT NULL
        GROUP BY vendor, year ORDER BY year, vendor
    """)


def changes(states: list[str] | None = None, watch=None, limit: int = 500) -> pd.DataFrame:
    """Changes by build, newest first: for some states, or for one watchlist (a fixed filter per kind)."""
    from ingest.watchlists import FILTERS

    condition = (
        FILTERS[watch.kind] if watch else "(len($states::VARCHAR[]) = 0 OR list_contains($states::VARCHAR[], c.state))"
    )
    params = {"limit": limit, **({"value": watch.value} if watch else {"states": states or []})}
    return query(
        """
        SELECT c.built_at, c.change, c.agency_id, c.agency_name, c.state, c.product, c.kind, c.summary, c.source_url,
               c.evidence_id
        FROM views.changes c LEFT JOIN views.agencies a USING (agency_id)
        WHERE """
        + condition
        + """
        ORDER BY c.built_at DESC, c.agency_name LIMIT $limit
    """,
        params,
    )


def claims_export(filters: Filters) -> pd.DataFrame:
    """The filtered evidence with its provenance: source, URL, raw record id and hash, file sha256, by state,
    agency name, product and date (then evidence id).

    That is served.evidence's stored order (ingest/transform/materialize.py), which DuckDB keeps through the
    filters' SELECT and WHERE: sorting one state's rows again was most of the query's time at 1M SYNTHETIC rows."""
    return query(
        FILTERED_CLAIMS
        + """
        SELECT agency_id, agency_name, state, vendor, product, status, kind, event_date, date_label, amount,
               summary, source, license, source_name, source_url, raw_record_id, raw_hash, raw_file,
               raw_file_sha256, raw_file_url, raw_fetched_at
        FROM filtered
    """,
        filters.params(),
        bulk=True,
    )


def release_status() -> dict:
    """Which release this database is, if any: the release whose fingerprint matches its contents."""
    from ingest.paths import releases_dir
    from ingest.release import FINGERPRINT, releases

    current = query(FINGERPRINT)  # a fixed statement over views.evidence
    fingerprint = current.iloc[0, 0]
    known = releases(releases_dir())
    match = next((r for r in known if r.get("fingerprint") == fingerprint), None)
    return {"fingerprint": fingerprint, "release": match, "latest": known[0] if known else None}


def corrections_for(agency_id: str) -> pd.DataFrame:
    return query(
        """SELECT evidence_id, field, old_value, new_value, note, source_url, dated
                    FROM views.corrections WHERE agency_id = $id ORDER BY dated, evidence_id, field""",
        {"id": agency_id},
    )


def coverage_counts(states: list[str] | None = None) -> dict:
    """How much of the registry is researched, for the states given (all when empty)."""
    frame = query(
        """
        SELECT research_status, count(*) AS n FROM views.coverage
        WHERE len($states::VARCHAR[]) = 0 OR list_contains($states::VARCHAR[], state)
        GROUP BY 1 ORDER BY 1
    """,
        {"states": states or []},
    )
    return dict(zip(frame["research_status"], frame["n"].astype(int)))


def researched_without_evidence(states: list[str] | None = None) -> pd.DataFrame:
    return query(
        """
        SELECT agency_id, name, state, latitude, longitude,
               CASE WHEN research_status LIKE 'asked%'
                    THEN 'records request: ' || request_outcome || ', no face-recognition evidence found'
                    ELSE 'researched (Atlas lists ' || array_to_string(technologies, ', ') ||
                         '), no face-recognition evidence found' END AS technologies
        FROM views.coverage
        WHERE (research_status LIKE 'researched%' OR research_status LIKE 'asked%') AND latitude IS NOT NULL
          AND (len($states::VARCHAR[]) = 0 OR list_contains($states::VARCHAR[], state))
        ORDER BY agency_id
    """,
        {"states": states or []},
    )


def agency_flags(agency_id: str) -> pd.DataFrame:
    return query(
        """SELECT flag, question, source_url, policy_url, request_url FROM views.flags WHERE agency_id = $id
                    ORDER BY flag""",
        {"id": agency_id},
    )


def agency_coverage(agency_id: str) -> dict | None:
    frame = query(
        "SELECT research_status, technologies, records_requests FROM views.coverage WHERE agency_id = $id",
        {"id": agency_id},
    )
    return None if frame.empty else frame.iloc[0].to_dict()


def flags_for(agency_ids: list[str]) -> pd.DataFrame:
    return query(
        """SELECT flag, agency_id, evidence_id, policy_id, question, source_url, policy_url, request_id,
                           request_url
                    FROM views.flags WHERE list_contains($ids::VARCHAR[], agency_id) ORDER BY flag, agency_id""",
        {"ids": agency_ids},
    )


# ------------------------------------------------------------------------------------- records requests


def agency_requests(agency_id: str) -> pd.DataFrame:
    return query(
        """
        SELECT request_id, title, outcome, status, submitted_on, done_on, pages_read, url, raw_record_id
        FROM views.records_requests WHERE agency_id = $id AND about_face_recognition
        ORDER BY submitted_on DESC NULLS LAST
    """,
        {"id": agency_id},
    )


def request_gaps_for(agency_ids: list[str]) -> pd.DataFrame:
    """Where an agency's answers to records requests and the other evidence disagree, as questions."""
    return query(
        """
        SELECT agency_id, agency_name AS name, state, product, claim_status, outcome, submitted_on, question,
               source_url AS a_source, request_url
        FROM views.request_gaps WHERE list_contains($ids::VARCHAR[], agency_id)
        ORDER BY agency_name, product
    """,
        {"ids": agency_ids},
    )


def has_records_requests() -> bool:
    return bool(query("SELECT count(*) > 0 AS any FROM views.records_requests")["any"].iloc[0])


def jurisdiction_requests(level: str, name: str, state: str) -> pd.DataFrame:
    """Records requests about face recognition to the agencies of a city, a county or a state."""
    return query(
        """
        SELECT r.request_id, r.agency_id, a.name AS agency_name, r.title, r.outcome, r.submitted_on, r.done_on, r.url
        FROM views.records_requests r JOIN views.agencies a USING (agency_id)
        WHERE r.about_face_recognition AND """
        + JURISDICTION
        + """
        ORDER BY a.name, r.submitted_on NULLS LAST
    """,
        {"level": level, "name": name, "state": state},
    )


def jurisdiction_coverage(level: str, name: str, state: str) -> dict:
    """Research status counts of the registry agencies of a city, a county or a state."""
    frame = query(
        """
        SELECT c.research_status, count(*) AS n
        FROM views.agencies a JOIN views.coverage c USING (agency_id)
        WHERE """
        + JURISDICTION
        + """
        GROUP BY 1 ORDER BY 1
    """,
        {"level": level, "name": name, "state": state},
    )
    return dict(zip(frame["research_status"], frame["n"].astype(int)))


# ------------------------------------------------------------------ the public site's bake (public/site.py)
# Whole tables (or one state's rows), grouped in Python by the bake: never one query per agency or place, so
# that 20,000 agencies and a million evidence rows bake in minutes.


# Every registry agency with its research status and, where it has evidence, its row on the map.
SITE_AGENCIES = """
        SELECT a.agency_id, a.name, a.agency_kind, a.agency_type, a.state, a.state_name, a.city, a.county,
               a.latitude, a.longitude, a.placement, a.location_note,
               c.research_status, c.technologies, c.records_requests,
               m.status, m.products, m.evidence_count, m.first_date, m.last_date, m.last_documented, m.contested
        FROM views.agencies a
        LEFT JOIN views.coverage c USING (agency_id)
        LEFT JOIN served.agency_map m USING (agency_id)
"""


def site_agencies() -> pd.DataFrame:
    """Every registry agency with its research status and, where it has evidence, its row on the map."""
    return query(SITE_AGENCIES + "ORDER BY a.state, a.name, a.agency_id")


def site_claims() -> pd.DataFrame:
    """Every claim (agency_claims' columns with the agency's id and state), strongest first per agency."""
    return query("""
        SELECT c.agency_id, c.state, c.agency_name, c.vendor, c.product, c.status, c.contested, c.evidence_count,
               c.first_date, c.last_date, c.last_documented, c.source_urls
        FROM served.claims c JOIN views.status_ladder l USING (status)
        ORDER BY c.state, c.agency_name, c.agency_id, l.rank, c.product
    """)


def site_evidence(state: str | None) -> pd.DataFrame:
    """One state's evidence (None: the agencies with no state), agency_evidence's columns with the claim's
    status and the agency's name and state, in each agency's timeline order."""
    return query(
        """
        SELECT agency_id, agency_name, state, evidence_id, event_date, date_precision, date_label, kind, kind_reason,
               vendor, product, status, amount, summary, source, license, source_name, source_url, agency_match,
               match_score, raw_record_id, raw_hash, raw_file, raw_file_sha256, raw_file_url, raw_fetched_at
        FROM served.evidence WHERE state IS NOT DISTINCT FROM $state::VARCHAR
        ORDER BY agency_id, event_date NULLS LAST, evidence_id
    """,
        {"state": state},
    )


def site_evidence_links(state: str | None) -> pd.DataFrame:
    """The links of one state's evidence (None: the agencies with no state), as evidence_links gives them."""
    return query(
        """
        SELECT l.evidence_id, l.link_number, l.url, l.source_name, l.link_type, l.link_date
        FROM views.evidence_links l JOIN served.evidence e USING (evidence_id)
        WHERE e.state IS NOT DISTINCT FROM $state::VARCHAR
        ORDER BY l.evidence_id, l.link_number
    """,
        {"state": state},
    )


def site_requests() -> pd.DataFrame:
    """Every records request about facial recognition to a registry agency, with the agency's name."""
    return query("""
        SELECT r.agency_id, a.name AS agency, a.state, r.request_id, r.title, r.outcome, r.status, r.submitted_on,
               r.done_on, r.pages_read, r.url, r.raw_record_id
        FROM views.records_requests r JOIN views.agencies a USING (agency_id)
        WHERE r.about_face_recognition
        ORDER BY a.name, r.submitted_on DESC NULLS LAST
    """)


def site_corrections() -> pd.DataFrame:
    """Every correction applied to evidence, by agency."""
    return query("""
        SELECT agency_id, evidence_id, field, old_value, new_value, note, source_url, dated
        FROM views.corrections WHERE agency_id IS NOT NULL ORDER BY agency_id, dated, evidence_id, field
    """)


def site_flags(state: str | None) -> pd.DataFrame:
    """One state's flags (questions for a hearing, with their citations; None: the agencies with no state). By
    state: the whole view at a million evidence rows needs more memory than a page's connection may take."""
    return query(
        """
        SELECT agency_id, flag, question, source_url, policy_url, request_url FROM views.flags
        WHERE agency_id IS NOT NULL AND state IS NOT DISTINCT FROM $state::VARCHAR ORDER BY agency_id, flag
    """,
        {"state": state},
    )


def site_shared_documents(many: int) -> pd.DataFrame:
    """The documents that stand behind at least `many` evidence rows, with the agencies resting on each (as
    shared_documents gives them for one agency)."""
    return query(
        """
        WITH busy AS (  -- counted first, so that only these documents' rows are gathered into lists
            SELECT source_url FROM served.evidence WHERE source_url IS NOT NULL
            GROUP BY source_url HAVING count(*) >= $many)
        SELECT source_url, any_value(e.source_name) AS source_name, min(e.event_date) AS first_date,
               count(*) AS evidence_rows, count(DISTINCT e.agency_id) AS agencies, list(e.summary) AS summaries,
               list(DISTINCT e.agency_id) AS agency_ids
        FROM served.evidence e JOIN busy USING (source_url)
        GROUP BY source_url
        ORDER BY evidence_rows DESC, source_url
    """,
        {"many": many},
    )


def site_agencies_of(state: str, level: str = "state", name: str = "") -> pd.DataFrame:
    """site_agencies' rows for one state, city or county (a page of the public site shown in the dashboard)."""
    return query(
        SITE_AGENCIES + "WHERE " + JURISDICTION + "ORDER BY a.name, a.agency_id",
        {"level": level, "name": name, "state": state},
    )


def site_claims_of(agency_ids: list[str]) -> pd.DataFrame:
    """site_claims' rows for some agencies."""
    return query(
        """
        SELECT c.agency_id, c.state, c.agency_name, c.vendor, c.product, c.status, c.contested, c.evidence_count,
               c.first_date, c.last_date, c.last_documented, c.source_urls
        FROM served.claims c JOIN views.status_ladder l USING (status)
        WHERE list_contains($ids::VARCHAR[], c.agency_id)
        ORDER BY c.agency_name, c.agency_id, l.rank, c.product
    """,
        {"ids": agency_ids},
    )


def claims_for_agencies(agency_ids: list[str]) -> pd.DataFrame:
    """Every claim of the given agencies (the leak workbench's matched rows), strongest status first, each with the
    date its newest evidence was last documented and one of its sources."""
    return query(
        """
        SELECT c.agency_id, c.vendor, c.product, c.status, c.contested, c.evidence_count, c.last_documented,
               split_part(c.source_urls, ' ', 1) AS a_source
        FROM served.claims c JOIN views.status_ladder l USING (status)
        WHERE list_contains($ids::VARCHAR[], c.agency_id)
        ORDER BY c.agency_id, l.rank, c.product
    """,
        {"ids": agency_ids},
    )


def shared_documents_for(agency_ids: list[str], many: int) -> pd.DataFrame:
    """shared_documents for a group of agencies (a brief's jurisdiction): each document behind their evidence that
    stands behind at least `many` evidence rows in all, counted over the whole database."""
    return query(
        """
        SELECT e.source_url, any_value(e.source_name) AS source_name, min(e.event_date) AS first_date,
               count(*) AS evidence_rows, count(DISTINCT e.agency_id) AS agencies, list(e.summary) AS summaries
        FROM served.evidence e
        WHERE e.source_url IN (SELECT source_url FROM served.evidence WHERE list_contains($ids::VARCHAR[], agency_id))
        GROUP BY e.source_url HAVING count(*) >= $many
        ORDER BY evidence_rows DESC, e.source_url
    """,
        {"ids": agency_ids, "many": many},
    )


def registry_states() -> pd.DataFrame:
    """Every state, DC and territory in the agency registry, with its name: the map's state filter offers them
    all, not only those with evidence (a state with none is a finding, not a gap in the list)."""
    return query("""
        SELECT state, any_value(state_name) AS state_name FROM views.agencies
        WHERE state IS NOT NULL GROUP BY state ORDER BY state
    """)


def state_extent(states: list[str]) -> dict | None:
    """The bounding box (lat_min, lat_max, lon_min, lon_max) of the given states' Census county points, or of
    their registry agencies' points for a territory the Census counties leave out; None when neither has any."""
    frame = query(
        """
        WITH points AS (
            SELECT latitude, longitude FROM views.places
            WHERE kind = 'county' AND list_contains($states::VARCHAR[], state)
            UNION ALL
            SELECT latitude, longitude FROM views.agencies
            WHERE list_contains($states::VARCHAR[], state)
              AND state NOT IN (SELECT state FROM views.places WHERE kind = 'county')
        )
        -- Alaska's Aleutians cross the antimeridian: a point east of it counts as far west, so the box is
        -- Alaska's and not the whole globe's width.
        SELECT min(latitude) AS lat_min, max(latitude) AS lat_max,
               min(CASE WHEN longitude > 0 THEN longitude - 360 ELSE longitude END) AS lon_min,
               max(CASE WHEN longitude > 0 THEN longitude - 360 ELSE longitude END) AS lon_max
        FROM points WHERE latitude IS NOT NULL AND longitude IS NOT NULL
    """,
        {"states": states},
    )
    row = frame.iloc[0].to_dict()
    return None if pd.isna(row["lat_min"]) else {k: float(v) for k, v in row.items()}


def spend_awards() -> pd.DataFrame:
    """Each award with an amount on record: vendor, year, the agency that made it, the amount and its source."""
    return query("""
        SELECT vendor, year, agency_id, agency_name AS agency, state, agency_kind, amount, source_url
        FROM served.evidence WHERE amount IS NOT NULL
        ORDER BY year, vendor, amount DESC, evidence_id
    """)
