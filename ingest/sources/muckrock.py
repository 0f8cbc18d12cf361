"""MuckRock public-records requests that mention facial-recognition vendors (API v2), the agencies
they went to, and the PDF documents released to them.

A request is evidence that someone asked, never that the agency used anything. The text of released
PDFs is read at build time from the archived file (pypdf) and scanned for catalog product names; a
page that names one with a verb of use, trial, purchase or end becomes evidence quoting that page.
The token (MUCKROCK_TOKEN) is optional, goes in a header, and is never stored.
"""
from __future__ import annotations

import csv
import io
import os
from urllib.parse import urlsplit

from ingest.http import rebase
from ingest.paths import DATA_DIR
from ingest.sources._live import FetchContext, Outcome, json_body, records_at, require_fields

RECORDS_PATH = "results"
KEY = "id"
REQUIRED = ("id", "title", "status", "agency")
MAX_PAGES = 50


def required_fields(source, meta) -> tuple[str, ...]:
    return REQUIRED if meta.get("kind", "page") == "page" else ()


def search_terms(catalog_dir=DATA_DIR / "catalog") -> list[str]:
    """'facial recognition' and the vendors that sell nothing else: other vendors' names (Motorola,
    Amazon) would bring back thousands of requests about radios and hosting."""
    with open(catalog_dir / "vendors.csv", newline="", encoding="utf-8") as fh:
        return ["facial recognition", *(r["name"] for r in csv.DictReader(fh) if not r["other_lines"].strip())]


def _headers() -> dict | None:
    # API v2 signs in through MuckRock's accounts service (Squarelet), whose access tokens are JWTs sent as Bearer.
    token = os.environ.get("MUCKROCK_TOKEN")
    return {"Authorization": f"Bearer {token}"} if token else None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def api_root(requests_url: str) -> str:
    """'https://www.muckrock.com/api_v2/requests/' -> 'https://www.muckrock.com/api_v2/': agencies, communications
    and files live beside requests, on whatever host the endpoint was rebased to."""
    return requests_url[: requests_url.rindex("requests/")]


def pages(ctx: FetchContext, url: str, params: dict, what: str, host: str, **save):
    """Each page of a MuckRock list (`results`, `next`), saved before it is read; `next` names the real host,
    so paging stays on ours (a mirror, or the test server)."""
    for page in range(1, MAX_PAGES + 1):
        response = ctx.client.get(url, params=params, headers=_headers())
        ctx.run.save_response(response, ext="json", params=params or {"page": page}, **save)
        document = json_body(response)
        yield document, records_at(document, RECORDS_PATH, f"{what}, page {page}")
        if not document.get("next"):
            return
        url, params = rebase(document["next"], host), None


def fetch(ctx: FetchContext) -> Outcome:
    first = rebase(ctx.source.endpoint, ctx.base_url)
    host, api = origin(first), api_root(first)
    requests: dict[int, dict] = {}
    for term in search_terms():
        for _, rows in pages(ctx, first, {"search": term, "page_size": 100}, f"MuckRock requests ({term!r})", host,
                             extra={"search": term}):
            require_fields(rows, REQUIRED, f"MuckRock requests ({term!r})")
            requests.update({r["id"]: r for r in rows if isinstance(r, dict) and "id" in r})
            ctx.advance(len(rows))
    for agency in sorted({r["agency"] for r in requests.values() if r.get("agency") is not None}):
        response = ctx.client.get(f"{api}agencies/{agency}/", headers=_headers())
        ctx.run.save_response(response, ext="json", kind="lookup")
        json_body(response)
    documents = sum(fetch_documents(ctx, api, host, r["id"]) for r in requests.values()
                    if r.get("status") in ("done", "partial"))
    return Outcome(len(requests), None, [f"{documents} released PDF(s)"])


def released_files(ctx: FetchContext, api: str, host: str, communication: dict) -> list[dict]:
    """A communication's files: API v2 lists their ids (fetched from files/?communication=), older answers
    embed the file objects."""
    listed = communication.get("files") or []
    files = [f for f in listed if isinstance(f, dict)]
    if any(not isinstance(f, dict) for f in listed) and communication.get("id") is not None:
        for _, rows in pages(ctx, f"{api}files/", {"communication": communication["id"]},
                             f"MuckRock files of communication {communication['id']}", host, kind="files"):
            files += [f for f in rows if isinstance(f, dict)]
    return files


def fetch_documents(ctx: FetchContext, api: str, host: str, request_id: int) -> int:
    count = 0
    for _, communications in pages(ctx, f"{api}communications/", {"foia": request_id},
                                   f"MuckRock communications of request {request_id}", host, kind="communications"):
        for communication in communications:
            for item in released_files(ctx, api, host, communication):
                url = item.get("ffile") or ""
                if not url.lower().split("?")[0].endswith(".pdf"):
                    continue
                pdf = ctx.client.get(rebase(url, host))
                ctx.run.save_response(pdf, ext="pdf", kind="document",
                                      extra={"request_id": request_id, "file_url": url, "file_title": item.get("title")})
                count += 1
    return count


def archived_rows(item) -> list[dict]:
    """A lookup is one JSON object (an agency); a document is a PDF, read page by page."""
    import json

    if item.kind == "lookup":
        return [json.loads(item.path.read_bytes())]
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(item.path.read_bytes()))
    return [{"kind": "document_page", "request_id": item.meta["request_id"], "file_url": item.meta["file_url"],
             "file_title": item.meta.get("file_title"), "page": n, "text": page.extract_text() or ""}
            for n, page in enumerate(reader.pages, start=1)]
