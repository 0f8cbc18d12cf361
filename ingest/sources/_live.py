"""What every live connector shares: its context, its outcome, and the checks a response must pass
before anything is parsed out of it (JSON where JSON was promised, the fields we read still there)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import httpx

from ingest.archive import RunArchive
from ingest.http import Client, FetchError, strip_query
from ingest.raw import SchemaDrift
from ingest.registry import Source


@dataclass
class FetchContext:
    client: Client
    source: Source
    run: RunArchive
    since: date | None = None
    base_url: str | None = None
    cursor: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)  # per-run inputs, e.g. the file and mapping to import
    advance: Callable[[int], None] = lambda n: None  # progress: n more records read


@dataclass
class Outcome:
    fetched: int = 0
    cursor: dict | None = None  # None: keep the previous cursor
    notes: list[str] = field(default_factory=list)


def looks_like_html(body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def json_body(response: httpx.Response) -> object:
    """The response as JSON, or a FetchError that says what came instead (an HTML error page, a cut body)."""
    where = strip_query(str(response.url))
    if looks_like_html(response.content):
        raise FetchError(
            f"expected JSON from {where}, got an HTML page (HTTP {response.status_code}, "
            f"{response.headers.get('content-type', 'no content type')})"
        )
    try:
        return json.loads(response.content)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FetchError(f"invalid JSON from {where} ({len(response.content)} bytes): {exc}") from None


def records_at(document: object, key: str | None, where: str) -> list:
    """The list of records in a page: document[key], or the document itself when key is None."""
    found = document if key is None else (document.get(key) if isinstance(document, dict) else None)
    if not isinstance(found, list):
        name = f"field {key!r}" if key else "a top-level array"
        raise SchemaDrift(
            f"{where}: response has no {name} of records; got {type(found).__name__}"
            + (f" with keys {sorted(document)}" if isinstance(document, dict) else "")
        )
    return found


def require_fields(records: list, required: tuple[str, ...] | list[str], where: str) -> None:
    """A field missing from every record of a page is a renamed or dropped field: stop the source and name
    it. A field missing from only some records is a malformed record, quarantined at load."""
    objects = [r for r in records if isinstance(r, dict)]
    if not objects:
        return
    missing = [f for f in required if not any(f in r for r in objects)]
    if missing:
        raise SchemaDrift(
            f"{where}: field(s) {', '.join(repr(f) for f in missing)} missing from every record; "
            f"records have: {', '.join(sorted(objects[0]))}"
        )
