"""MuckRock public-records requests that mention facial-recognition vendors (API v2), the agencies
they went to, and the PDF documents released to them.

A request is evidence that someone asked, never that the agency used anything. The text of released
PDFs is read at build time from the archived file (pypdf) and scanned for catalog product names; a
page that names one with a verb of use, trial, purchase or end becomes evidence quoting that page.
Signing in is optional. MuckRock's API v2 signs in through its accounts service (Squarelet), whose access
tokens are short-lived JWTs sent as `Bearer`: MUCKROCK_TOKEN is one such token; with MUCKROCK_REFRESH_TOKEN,
or MUCKROCK_USERNAME and MUCKROCK_PASSWORD, a token that expires mid-run (HTTP 401 or 403) is renewed once and
the request asked again. Tokens go in a header only: never archived, logged or stored.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

from ingest import settings
from ingest.http import FetchError, add_secret, rebase
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


AUTH_URL = settings.MUCKROCK_AUTH_URL  # Squarelet: token/ (sign in), refresh/ (renew)


class Session:
    """The run's MuckRock credentials: the access token to send, and how to get a new one when it expires."""

    def __init__(self, ctx: FetchContext):
        self.client = ctx.client
        self.auth_url = rebase(settings.muckrock_auth_url(), ctx.base_url)
        self.access = settings.muckrock_token()
        self.refresh = settings.muckrock_refresh_token()
        self.username, self.password = settings.muckrock_login()

    def headers(self) -> dict | None:
        if self.access is None and self.username and self.password:
            self.renew()  # credentials but no token yet: sign in before the first request
        return {"Authorization": f"Bearer {self.access}"} if self.access else None

    def get(self, url: str, params: dict | None = None):
        """GET with the current token; on 401 or 403, renew it and ask once more (a token may expire mid-run,
        more than once in a long one). Without a way to renew, the refusal stands."""
        try:
            return self.client.get(url, params=params, headers=self.headers())
        except FetchError as exc:
            if exc.status not in (401, 403) or not (self.refresh or (self.username and self.password)):
                raise
        self.renew()
        return self.client.get(url, params=params, headers=self.headers())

    def renew(self) -> None:
        """A new access token: from the refresh token, else (or if it has expired) by signing in. The answers
        hold tokens: they are never archived."""
        if self.refresh:
            try:
                self._take(self.client.post(self.auth_url + "refresh/", json={"refresh": self.refresh}))
                return
            except FetchError as exc:
                if exc.status != 401 or not (self.username and self.password):
                    raise FetchError(
                        f"MuckRock refused to renew the access token ({exc}): MUCKROCK_REFRESH_TOKEN "
                        "may have expired; MUCKROCK_USERNAME and MUCKROCK_PASSWORD sign in afresh",
                        exc.status,
                    ) from None
        try:
            self._take(
                self.client.post(self.auth_url + "token/", json={"username": self.username, "password": self.password})
            )
        except FetchError as exc:
            raise FetchError(
                f"MuckRock sign-in refused ({exc}): check MUCKROCK_USERNAME and MUCKROCK_PASSWORD", exc.status
            ) from None

    def _take(self, response) -> None:
        tokens = json_body(response)
        if not isinstance(tokens, dict) or not isinstance(tokens.get("access"), str):
            raise FetchError("MuckRock's accounts service answered without an access token")
        self.access = tokens["access"]
        self.refresh = tokens.get("refresh") or self.refresh
        add_secret(self.access)
        add_secret(self.refresh or "")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def api_root(requests_url: str) -> str:
    """'https://www.muckrock.com/api_v2/requests/' -> 'https://www.muckrock.com/api_v2/': agencies, communications
    and files live beside requests, on whatever host the endpoint was rebased to."""
    return requests_url[: requests_url.rindex("requests/")]


def pages(ctx: FetchContext, session: Session, url: str, params: dict, what: str, host: str, **save):
    """Each page of a MuckRock list (`results`, `next`), saved before it is read; `next` names the real host,
    so paging stays on ours (a mirror, or the test server)."""
    for page in range(1, MAX_PAGES + 1):
        response = session.get(url, params=params)
        ctx.run.save_response(response, ext="json", params=params or {"page": page}, **save)
        document = json_body(response)
        yield document, records_at(document, RECORDS_PATH, f"{what}, page {page}")
        if not document.get("next"):
            return
        url, params = rebase(document["next"], host), None


def fetch(ctx: FetchContext) -> Outcome:
    first = rebase(ctx.source.endpoint, ctx.base_url)
    host, api = origin(first), api_root(first)
    session = Session(ctx)
    requests: dict[int, dict] = {}
    for term in search_terms():
        for _, rows in pages(
            ctx,
            session,
            first,
            {"search": term, "page_size": 100},
            f"MuckRock requests ({term!r})",
            host,
            extra={"search": term},
        ):
            require_fields(rows, REQUIRED, f"MuckRock requests ({term!r})")
            requests.update({r["id"]: r for r in rows if isinstance(r, dict) and "id" in r})
            ctx.advance(len(rows))
    for agency in sorted({r["agency"] for r in requests.values() if r.get("agency") is not None}):
        response = session.get(f"{api}agencies/{agency}/")
        ctx.run.save_response(response, ext="json", kind="lookup")
        json_body(response)
    documents = sum(
        fetch_documents(ctx, session, api, host, r["id"])
        for r in requests.values()
        if r.get("status") in ("done", "partial")
    )
    return Outcome(len(requests), None, [f"{documents} released PDF(s)"])


def released_files(ctx: FetchContext, session: Session, api: str, host: str, communication: dict) -> list[dict]:
    """A communication's files: API v2 lists their ids (fetched from files/?communication=), older answers
    embed the file objects."""
    listed = communication.get("files") or []
    files = [f for f in listed if isinstance(f, dict)]
    if any(not isinstance(f, dict) for f in listed) and communication.get("id") is not None:
        for _, rows in pages(
            ctx,
            session,
            f"{api}files/",
            {"communication": communication["id"]},
            f"MuckRock files of communication {communication['id']}",
            host,
            kind="files",
        ):
            files += [f for f in rows if isinstance(f, dict)]
    return files


def fetch_documents(ctx: FetchContext, session: Session, api: str, host: str, request_id: int) -> int:
    count = 0
    for _, communications in pages(
        ctx,
        session,
        f"{api}communications/",
        {"foia": request_id},
        f"MuckRock communications of request {request_id}",
        host,
        kind="communications",
    ):
        for communication in communications:
            for item in released_files(ctx, session, api, host, communication):
                url = item.get("ffile") or ""
                if not url.lower().split("?")[0].endswith(".pdf"):
                    continue
                pdf = ctx.client.get(rebase(url, host))
                ctx.run.save_response(
                    pdf,
                    ext="pdf",
                    kind="document",
                    extra={"request_id": request_id, "file_url": url, "file_title": item.get("title")},
                )
                count += 1
    return count


def archived_rows(item) -> list[dict]:
    """A lookup is one JSON object (an agency); a document is a PDF, read page by page."""
    import json

    if item.kind == "lookup":
        return [json.loads(item.path.read_bytes())]
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(item.path.read_bytes()))
    return [
        {
            "kind": "document_page",
            "request_id": item.meta["request_id"],
            "file_url": item.meta["file_url"],
            "file_title": item.meta.get("file_title"),
            "page": n,
            "text": page.extract_text() or "",
        }
        for n, page in enumerate(reader.pages, start=1)
    ]
