"""MuckRock -> core.records_requests (someone asked: never evidence of use), and released-document
pages that name a catalog product with a verb of use, trial, purchase or end -> evidence quoting the page.

A document hit needs the request's agency placed on the registry by rule; otherwise the hit is kept in
quarantine with its reason. A page that only names a product says nothing about use and is noted on the
request (terms), not made evidence.
"""

from __future__ import annotations

import json
import re

import duckdb
import pandas as pd

from ingest.db import insert_frame
from rules import claims
from rules.classify import COMMON_WORDS, GENERIC_TERMS, has_term
from rules.matching import Matcher

QUOTE_CHARS = 400
FACE_RECOGNITION = re.compile(r"\bfac(?:e|ial)[\s-]+recognition\b", re.I)
# MuckRock's request statuses (API v2, as documented by MuckRock's python-muckrock), read for coverage:
# was the agency asked, and what came of it. "abandoned" is MuckRock's "Withdrawn".
OUTCOMES = {
    "done": "done",
    "partial": "done",
    "no_docs": "no documents",
    "rejected": "rejected",
    "abandoned": "withdrawn",
    "submitted": "pending",
    "ack": "pending",
    "processed": "pending",
    "appealing": "pending",
    "fix": "pending",
    "payment": "pending",
    "lawsuit": "pending",
}


def records(con, source_ids: list[str]) -> list[tuple[int, str, dict]]:
    rows = con.execute(
        "SELECT record_id, source_id, record::VARCHAR FROM raw.records WHERE list_contains(?, source_id) "
        "ORDER BY record_id",
        [source_ids],
    ).fetchall()
    return [(rid, sid, json.loads(text)) for rid, sid, text in rows]


def product_terms(con) -> list[tuple[str, str, str]]:
    """(term, vendor_id, product_id) for names distinctive enough to mean the product on their own."""
    out = []
    for product_id, vendor_id, name, aliases in con.execute(
        "SELECT product_id, vendor_id, name, aliases FROM core.products ORDER BY product_id"
    ).fetchall():
        for term in {name, *(aliases or ())}:
            low = term.lower()
            if len(low) >= 5 and low not in COMMON_WORDS and low not in GENERIC_TERMS:
                out.append((low, vendor_id, product_id))
    return out


def vendor_terms(con) -> list[tuple[str, str]]:
    """(term, vendor_id) for vendor names distinctive enough to mean the vendor on their own."""
    out = []
    for vendor_id, name, aliases in con.execute(
        "SELECT vendor_id, name, aliases FROM core.vendors ORDER BY vendor_id"
    ).fetchall():
        for term in {name, *(aliases or ())}:
            low = term.lower()
            if len(low) >= 5 and low not in COMMON_WORDS and low not in GENERIC_TERMS:
                out.append((low, vendor_id))
    return out


def run(con: duckdb.DuckDBPyConnection, matcher: Matcher, state_names: dict[str, str]) -> None:
    source_ids = [
        r[0] for r in con.execute("SELECT source_id FROM meta.sources WHERE platform = 'muckrock'").fetchall()
    ]
    rows = records(con, source_ids) if source_ids else []
    if not rows:
        return
    requests = {}  # latest version of each request wins
    for rid, sid, rec in rows:
        if "title" in rec and "status" in rec:
            requests[(sid, rec["id"])] = (rid, rec)
    agencies = {rec["id"]: rec for _, _, rec in rows if "name" in rec and "title" not in rec and "id" in rec}
    pages = [(rid, sid, rec) for rid, sid, rec in rows if rec.get("kind") == "document_page"]
    terms = product_terms(con)
    placed = {}
    for agency_ref, agency in agencies.items():
        found = matcher.match(agency.get("name") or "")
        placed[agency_ref] = found.agency_id if found.status == "matched" else None
    hits = page_hits(pages, terms)
    insert_requests(con, requests, agencies, placed, terms, hits, vendor_terms(con), pages)
    insert_document_evidence(con, requests, placed, hits)


def page_hits(pages, terms) -> list[dict]:
    out = []
    for rid, sid, page in pages:
        text = " ".join((page.get("text") or "").split())
        low = text.lower()
        for term, vendor_id, product_id in terms:
            if has_term(low, term):
                at = low.index(term)
                quote = text[max(0, at - QUOTE_CHARS // 2) : at + QUOTE_CHARS // 2]
                out.append(
                    {
                        **page,
                        "record_id": rid,
                        "source_id": sid,
                        "term": term,
                        "vendor_id": vendor_id,
                        "product_id": product_id,
                        "quote": quote,
                    }
                )
    return out


def named_in(text: str, terms, vendors) -> tuple[set[str], set[str], set[str]]:
    """(terms, product ids, vendor ids) that a lower-cased text names; a product names its vendor."""
    found = [(t, v, p) for t, v, p in terms if has_term(text, t)]
    vendor_ids = {v for _, v, _ in found} | {v for t, v in vendors if has_term(text, t)}
    return {t for t, _, _ in found}, {p for _, _, p in found}, vendor_ids


def insert_requests(con, requests, agencies, placed, terms, hits, vendors, pages) -> None:
    """One row per request: what it asked about (from its own words), what its released pages name,
    and how many pages were read, so a silence in the documents is only claimed where there are documents."""
    page_text = {}
    for _, _, page in pages:
        page_text.setdefault(page["request_id"], []).append((page.get("text") or "").lower())
    rows = []
    for (sid, request_id), (rid, rec) in requests.items():
        text = (
            " ".join(str(rec.get(k) or "") for k in ("title", "requested_docs", "description"))
            + " "
            + " ".join(str(t) for t in rec.get("tags") or [])
        )
        asked_terms, asked_products, asked_vendors = named_in(text.lower(), terms, vendors)
        released = " ".join(page_text.get(request_id, []))
        _, doc_products, doc_vendors = named_in(released, terms, vendors)
        named = sorted(asked_terms | {h["term"] for h in hits if h["request_id"] == request_id})
        rows.append(
            {
                "request_id": f"{sid}:{request_id}",
                "source_id": sid,
                "title": rec.get("title"),
                "status": rec.get("status"),
                "agency_ref": None if rec.get("agency") is None else str(rec["agency"]),
                "agency_name": (agencies.get(rec.get("agency")) or {}).get("name"),
                "agency_id": placed.get(rec.get("agency")),
                "submitted_on": _date(rec.get("datetime_submitted")),
                "done_on": _date(rec.get("datetime_done")),
                "terms": named,
                "url": rec.get("absolute_url") or f"https://www.muckrock.com/api_v2/requests/{request_id}/",
                "raw_record_id": rid,
                "outcome": OUTCOMES.get(rec.get("status"), "pending"),
                "about_face_recognition": bool(FACE_RECOGNITION.search(text) or asked_products or asked_vendors),
                "product_ids": sorted(asked_products),
                "vendor_ids": sorted(asked_vendors),
                "document_product_ids": sorted(doc_products),
                "document_vendor_ids": sorted(doc_vendors),
                "pages_read": len(page_text.get(request_id, [])),
            }
        )
    if rows:
        insert_frame(con, "core.records_requests", pd.DataFrame(rows))


def insert_document_evidence(con, requests, placed, hits) -> None:
    by_id = {request_id: rec for (_, request_id), (_, rec) in requests.items()}
    evidence, quarantine = {}, []
    vendor_names = {
        v: [n, *(a or ())] for v, n, a in con.execute("SELECT vendor_id, name, aliases FROM core.vendors").fetchall()
    }
    for hit in hits:
        request = by_id.get(hit["request_id"]) or {}
        agency_id = placed.get(request.get("agency"))
        others = [n for v, names in vendor_names.items() if v != hit["vendor_id"] for n in names]
        kind, why = claims.kind_from_summary(hit["quote"], vendor_names.get(hit["vendor_id"], [hit["term"]]), others)
        if not why.startswith("summary says"):
            continue  # the page names the product and says nothing of use: not evidence
        if agency_id is None:
            quarantine.append(
                (
                    hit["source_id"],
                    None,
                    hit["page"],
                    hit["record_id"],
                    f"document names {hit['term']!r} but the request's agency is not placed on the registry",
                    hit["quote"],
                )
            )
            continue
        evidence_id = f"{hit['source_id']}:{hit['request_id']}:{hit['record_id']}:{hit['product_id']}"
        evidence.setdefault(
            evidence_id,
            {
                "evidence_id": evidence_id,
                "agency_id": agency_id,
                "agency_match": "exact_name",
                "match_score": None,
                "vendor_id": hit["vendor_id"],
                "product_id": hit["product_id"],
                "kind": kind,
                "kind_reason": f"released document, page {hit['page']}: {why.replace('summary says', 'the page says', 1)}",
                "event_date": None,
                "date_precision": None,
                "amount": None,
                "summary": f"\u201c{hit['quote']}\u201d ({hit.get('file_title') or 'released document'}, page {hit['page']})",
                "source_id": hit["source_id"],
                "source_name": "MuckRock",
                "source_url": hit["file_url"],
                "raw_record_id": hit["record_id"],
            },
        )
    insert_frame(
        con,
        "core.quarantine",
        pd.DataFrame(
            quarantine, columns=["source_id", "raw_file_id", "row_number", "raw_record_id", "reason", "raw_text"]
        ),
    )
    insert_frame(con, "core.evidence", pd.DataFrame(list(evidence.values())) if evidence else None)


def _date(value: str | None):
    return value[:10] if value and re.match(r"\d{4}-\d{2}-\d{2}", value) else None
