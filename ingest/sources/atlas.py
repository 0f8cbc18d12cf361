"""EFF Atlas of Surveillance CSV exports, in either of the two formats seen in the wild.

The 2020 export has 25 columns and no ORI; today's has 28, adding `NEWAOSNUMBER (ORI9)`,
`TECH ABV` and `Other Links`. One loader reads both and says which it found.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass

from ingest.http import FetchError, rebase
from ingest.sources._live import FetchContext, Outcome, looks_like_html

DELIM = ","
LINK_FIELDS = ("", " Snapshot", " Source", " Type", " Date")
COMMON = (
    "AOSNUMBER",
    "City",
    "County",
    "State",
    "Agency",
    "Type of LEA",
    "Summary",
    "Type of Juris",
    "Technology",
    "Vendor",
    *(f"Link {n}{f}" for n in (1, 2, 3) for f in LINK_FIELDS),
)
CURRENT_ONLY = ("NEWAOSNUMBER (ORI9)", "TECH ABV", "Other Links")
FACE_RECOGNITION = "Face Recognition"
# NEWAOSNUMBER is the ORI9 plus a technology suffix; "XX..." values are Atlas surrogates, not ORIs.
TECH_SUFFIXES = ("FRT", "ALPR", "BWC", "GDT", "UAV", "CSS", "RTCC", "PP", "CR", "FC", "VA", "RING", "DRN")


@dataclass(frozen=True)
class AtlasFormat:
    name: str  # "2020" or "current"
    columns: tuple[str, ...]
    has_ori: bool
    extra: tuple[str, ...]  # columns neither format knows, reported rather than dropped silently

    def describe(self) -> str:
        text = (
            f"Atlas {self.name} format: {len(self.columns)} columns, "
            f"{'with' if self.has_ori else 'without'} NEWAOSNUMBER (ORI9)"
        )
        return text + (f"; unrecognised columns kept in raw: {', '.join(self.extra)}" if self.extra else "")


def detect_format(columns: list[str] | tuple[str, ...]) -> AtlasFormat:
    from ingest.raw import SchemaDrift

    missing = [c for c in COMMON if c not in columns]
    if missing:
        raise SchemaDrift(
            f"Atlas export: missing column(s) {', '.join(repr(c) for c in missing)}; "
            f"found {len(columns)}: {', '.join(columns)}"
        )
    has_ori = "NEWAOSNUMBER (ORI9)" in columns
    extra = tuple(c for c in columns if c not in COMMON and c not in CURRENT_ONLY)
    return AtlasFormat("current" if has_ori else "2020", tuple(columns), has_ori, extra)


def required_columns(path) -> tuple[str, ...]:
    return COMMON


def ori_from_newaosnumber(value: str | None) -> str | None:
    """'TX0430600FRT' -> 'TX0430600'; surrogates ('XX0000083FRT') and blanks -> None."""
    if not value:
        return None
    value = value.strip().upper()
    if value.startswith("XX"):
        return None
    for suffix in sorted(TECH_SUFFIXES, key=len, reverse=True):
        if value.endswith(suffix) and len(value) - len(suffix) == 9:
            return value[: -len(suffix)]
    return value[:9] if len(value) >= 9 and value[:2].isalpha() and value[2:9].isalnum() else None


def surrogate_id(value: str | None) -> str | None:
    """The Atlas's own id for an agency with no ORI ('XX0000083FRT' -> 'XX0000083')."""
    if value and value.strip().upper().startswith("XX"):
        return value.strip().upper()[:9]
    return None


# --- live download -------------------------------------------------------------------------------
# Each download is the whole table, so the build reads the latest one only (a row removed upstream
# disappears); older downloads stay in the archive as provenance.
SNAPSHOT = True
RECORDS_PATH = None
KEY = "AOSNUMBER"


def required_fields(source, meta) -> tuple[str, ...]:
    return COMMON


def csv_records(body: bytes, where: str) -> tuple[list[str], int]:
    """(header, number of records) of a downloaded export; a cut-off quoted field is an error, not a row."""
    try:
        reader = csv.reader(io.StringIO(body.decode("utf-8-sig")), strict=True)
        header = next(reader, [])
        count = sum(1 for _ in reader)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FetchError(f"{where}: not a readable CSV ({exc}); the body may have been cut short") from None
    return header, count


def fetch(ctx: FetchContext) -> Outcome:
    """GET the current export; unchanged since the last run (304, or the same sha256) adds nothing.

    The export is checked before it is archived: the build reads only the latest download, so a broken
    one must never become it. An export with a header and no rows is not believed either (the table has
    thousands): it is reported and the previous download stays the one the build reads."""
    url = rebase(ctx.source.endpoint, ctx.base_url)
    conditional = {
        k: v
        for k, v in (("If-None-Match", ctx.cursor.get("etag")), ("If-Modified-Since", ctx.cursor.get("last_modified")))
        if v
    }
    response = ctx.client.get(url, headers=conditional)
    if response.status_code == 304:
        return Outcome(0, None, ["not modified since the last run"])
    body = response.content
    digest = hashlib.sha256(body).hexdigest()
    if digest == ctx.cursor.get("sha256"):
        return Outcome(0, None, ["same file as the last run"])
    if looks_like_html(body):
        raise FetchError(f"expected the Atlas CSV from {url}, got an HTML page (HTTP {response.status_code})")
    header, count = csv_records(body, url)
    described = detect_format(header).describe()  # raises SchemaDrift naming the missing column
    if count == 0:
        return Outcome(0, None, ["the export has no rows: not archived, the previous download is kept"])
    ctx.run.save_response(response, ext="csv")
    ctx.advance(count)
    notes = [described] + (["--since does not apply: the Atlas export is always the whole table"] if ctx.since else [])
    return Outcome(
        count,
        {
            "sha256": digest,
            "etag": response.headers.get("ETag"),
            "last_modified": response.headers.get("Last-Modified"),
        },
        notes,
    )
