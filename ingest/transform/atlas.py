"""Atlas of Surveillance face-recognition rows -> agencies, evidence and evidence links.

An Atlas row is placed on the FBI registry by ORI (current export) or by name and state
(2020 export). A row that cannot be placed keeps its own agency, marked unplaced: it is never
dropped and never pinned on a look-alike. Each vendor named in a row is one evidence row.
"""
from __future__ import annotations

import re

import duckdb
import pandas as pd

from ingest import claims, dates
from ingest.db import insert_frame
from ingest.matching import Matcher
from ingest.redact import redact
from ingest.sources.atlas import FACE_RECOGNITION, ori_from_newaosnumber, surrogate_id
from ingest.transform import catalog

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY "
    "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split()
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """
        SELECT r.record_id, r.source_id, r.raw_file_id, r.row_number, r.record::VARCHAR AS raw_text,
               r.record->>'AOSNUMBER' AS aos, r.record->>'NEWAOSNUMBER (ORI9)' AS newaos,
               trim(r.record->>'Agency') AS agency, trim(r.record->>'City') AS city,
               trim(r.record->>'County') AS county, upper(trim(r.record->>'State')) AS state,
               r.record->>'Type of LEA' AS lea_type, r.record->>'Type of Juris' AS juris_type,
               r.record->>'Summary' AS summary, r.record->>'Vendor' AS vendor,
               r.record->>'Link 1' AS link1, r.record->>'Link 1 Source' AS source1, r.record->>'Link 1 Type' AS type1,
               r.record->>'Link 1 Date' AS date1, r.record->>'Link 1 Snapshot' AS snap1,
               r.record->>'Link 2' AS link2, r.record->>'Link 2 Source' AS source2, r.record->>'Link 2 Type' AS type2,
               r.record->>'Link 2 Date' AS date2, r.record->>'Link 2 Snapshot' AS snap2,
               r.record->>'Link 3' AS link3, r.record->>'Link 3 Source' AS source3, r.record->>'Link 3 Type' AS type3,
               r.record->>'Link 3 Date' AS date3, r.record->>'Link 3 Snapshot' AS snap3
        FROM raw.records r JOIN meta.sources s USING (source_id)
        WHERE s.platform = 'atlas' AND r.record->>'Technology' = ?
        ORDER BY r.record_id
        """,
        [FACE_RECOGNITION],
    ).df()


def problem(row) -> str | None:
    if not row.agency:
        return "no agency name"
    if row.state not in US_STATES:
        return f"state {row.state!r} is not a US state or territory code"
    if not _links(row):
        return "no http(s) source link: a claim without a citation is not evidence"
    return None


def resolve_agency(row, found, registry_oris: set[str]) -> tuple[str | None, str, float | None, str]:
    """Return (registry agency_id or None, method, score, note) from the ORI or the name match."""
    ori = ori_from_newaosnumber(row.newaos) if row.newaos else None
    if ori and ori in registry_oris:
        return ori, "ori", 100.0, f"ORI {ori} from NEWAOSNUMBER"
    if row.newaos:
        return None, "unplaced", None, (f"ORI {ori} is not in the 2018 FBI list" if ori
                                        else f"Atlas surrogate {row.newaos}: no ORI")
    if found.status == "matched":
        return found.agency_id, found.method, found.score, f"{found.method} match in {row.state}"
    if found.status == "ambiguous":
        return None, "unplaced", None, "ambiguous: " + "; ".join(found.candidates)
    return None, "unplaced", None, "no registry agency with this name in the state"


def run(con: duckdb.DuckDBPyConnection) -> None:
    rows = load_rows(con)
    if rows.empty:
        return
    rows = rows.astype(object).where(rows.notna(), None)
    registry = con.execute(
        "SELECT agency_id, name, state, city FROM core.agencies WHERE registry = 'fbi_cde'").fetchall()
    matcher = Matcher(registry, registry_aliases(con))
    registry_oris = {r[0] for r in registry}
    state_names = dict(con.execute("SELECT state, state_name FROM core.states").fetchall())
    vendors = catalog.vendor_lookup(con)
    vendor_names = _vendor_names(con)
    single_product = dict(con.execute(
        "SELECT vendor_id, any_value(product_id) FROM core.products GROUP BY 1 HAVING count(*) = 1").fetchall())

    matches = matcher.match_many([(r.agency, r.state, r.city, state_names.get(r.state))
                                  for r in rows.itertuples(index=False)])
    quarantine, new_agencies, evidence, links, new_vendors = [], {}, [], [], {}
    for row, found in zip(rows.itertuples(index=False), matches):
        reason = problem(row)
        if reason:
            quarantine.append((row.source_id, row.raw_file_id, row.row_number, row.record_id, reason, row.raw_text))
            continue
        agency_id, method, score, note = resolve_agency(row, found, registry_oris)
        if agency_id is None:
            agency_id = "aos-" + (surrogate_id(row.newaos) or ori_from_newaosnumber(row.newaos)
                                  or f"{row.state}-{slug(row.agency)}").lower()
            new_agencies.setdefault(agency_id, (row, ori_from_newaosnumber(row.newaos) if row.newaos else None))
        row_links = _links(row)
        first = row_links[0]
        dated = sorted((l for l in row_links if l["date"]), key=lambda l: l["date"])
        for label in _vendor_labels(row.vendor):
            vendor_id = vendors.get(label.lower()) if label else None
            if label and vendor_id is None:
                vendor_id = "unlisted-" + slug(label)
                new_vendors.setdefault(vendor_id, (label, first["url"]))
            own = vendor_names.get(vendor_id, [label] if label else [])
            others = [n for v, names in vendor_names.items() if v != vendor_id for n in names]
            kind, why = claims.kind_from_summary(row.summary, own, others)
            evidence_id = f"{row.source_id}:{row.aos}:{vendor_id or 'unnamed'}"
            evidence.append({
                "evidence_id": evidence_id, "agency_id": agency_id, "agency_match": method, "match_score": score,
                "vendor_id": vendor_id, "product_id": single_product.get(vendor_id),
                "kind": kind, "kind_reason": f"{why} [agency: {note}]",
                "event_date": dated[0]["date"] if dated else None,
                "date_precision": dated[0]["precision"] if dated else None,
                "amount": None, "summary": redact((row.summary or "").strip()) or None,
                "source_id": row.source_id, "source_name": first["source"], "source_url": first["url"],
                "raw_record_id": row.record_id,
            })
            for n, link in enumerate(row_links, start=1):
                links.append({"evidence_id": evidence_id, "link_number": n, "url": link["url"],
                              "source_name": link["source"], "link_type": link["type"],
                              "link_date": link["date"], "snapshot_url": link["snapshot"]})

    insert_frame(con, "core.quarantine", pd.DataFrame(quarantine, columns=[
        "source_id", "raw_file_id", "row_number", "raw_record_id", "reason", "raw_text"]))
    _insert_agencies(con, new_agencies)
    insert_frame(con, "core.vendors", pd.DataFrame([
        {"vendor_id": v, "name": label, "aliases": [label], "homepage_url": None, "source_url": url,
         "other_lines": None, "in_catalog": False, "notes": "Named by the Atlas of Surveillance; not in our catalog yet."}
        for v, (label, url) in new_vendors.items()]))
    insert_frame(con, "core.evidence", pd.DataFrame(evidence))
    insert_frame(con, "core.evidence_links", pd.DataFrame(links))
    # The name a source used for an agency it was placed on is an alias the matcher can use next time.
    con.execute(
        """
        INSERT INTO core.agency_aliases
        SELECT DISTINCT e.agency_id, trim(r.record->>'Agency'), e.source_id, e.source_url, min(e.raw_record_id)
        FROM core.evidence e JOIN raw.records r ON r.record_id = e.raw_record_id JOIN core.agencies a USING (agency_id)
        WHERE e.source_id IN (SELECT source_id FROM meta.sources WHERE platform = 'atlas')
          AND a.registry = 'fbi_cde' AND lower(trim(r.record->>'Agency')) <> lower(a.name)
        GROUP BY ALL
        """
    )


def registry_aliases(con) -> list[tuple[str, str]]:
    return con.execute("SELECT agency_id, alias FROM core.agency_aliases").fetchall()


def _vendor_labels(vendor: str | None) -> list[str | None]:
    labels = [v.strip() for v in (vendor or "").split(",") if v.strip()]
    return labels or [None]


def _vendor_names(con) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for vendor_id, name, aliases in con.execute("SELECT vendor_id, name, aliases FROM core.vendors").fetchall():
        out[vendor_id] = [name, *(aliases or [])]
    return out


def _links(row) -> list[dict]:
    out = []
    for n in (1, 2, 3):
        url = (getattr(row, f"link{n}") or "").strip()
        if not url.lower().startswith(("http://", "https://")):   # javascript:, data: and the like never link
            continue
        when, precision = dates.parse(getattr(row, f"date{n}"))
        out.append({"url": url, "source": getattr(row, f"source{n}") or None, "type": getattr(row, f"type{n}") or None,
                    "date": when, "precision": precision, "snapshot": getattr(row, f"snap{n}") or None})
    return out


def _insert_agencies(con, new_agencies: dict) -> None:
    if not new_agencies:
        return
    frame = pd.DataFrame([
        {"agency_id": agency_id, "ori": ori, "name": row.agency, "agency_type": row.juris_type or row.lea_type,
         "city": row.city or None, "county": row.county or None, "state": row.state, "raw_record_id": row.record_id}
        for agency_id, (row, ori) in new_agencies.items()])
    con.register("new_agencies", frame)
    # Located at the Census point of the Atlas's own city (or county): a position, not an identity.
    con.execute(
        """
        INSERT INTO core.agencies
        SELECT n.agency_id, n.ori, n.name, n.agency_type, n.city, n.county, n.state,
               coalesce(p.latitude, c.latitude), coalesce(p.longitude, c.longitude),
               CASE WHEN p.latitude IS NOT NULL THEN 'census_place'
                    WHEN c.latitude IS NOT NULL THEN 'census_county' END,
               'atlas', n.raw_record_id
        FROM new_agencies n
        LEFT JOIN (SELECT * FROM core.places WHERE kind = 'place'
                   QUALIFY row_number() OVER (PARTITION BY state, lower(name) ORDER BY full_name LIKE '% CDP', geoid) = 1) p
               ON p.state = n.state AND lower(p.name) = lower(n.city)
        LEFT JOIN (SELECT * FROM core.places WHERE kind = 'county'
                   QUALIFY row_number() OVER (PARTITION BY state, lower(name) ORDER BY geoid) = 1) c
               ON c.state = n.state AND lower(c.name) = lower(n.county)
        """
    )
    con.unregister("new_agencies")
