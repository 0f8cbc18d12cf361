"""What a build changed: evidence added or removed against what the history holds as live, kept
append-only in changes.jsonl beside the archive's runs.jsonl, loaded into meta.changes at every build,
and published as an Atom feed (all of it, and one per watchlist)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import duckdb
from feedgen.feed import FeedGenerator

from ingest import archive

FIELDS = (
    "built_at",
    "change",
    "evidence_id",
    "agency_id",
    "agency_name",
    "state",
    "vendor",
    "product",
    "kind",
    "summary",
    "source_url",
)
COLUMNS = ", ".join(FIELDS[2:])
CURRENT = "SELECT " + COLUMNS + " FROM views.evidence"
# What the history says is live: each evidence row whose latest change is an addition.
BEFORE = (
    "SELECT " + COLUMNS + " FROM meta.changes "
    "QUALIFY row_number() OVER (PARTITION BY evidence_id ORDER BY built_at DESC) = 1 AND change = 'added'"
)
DIFF = (
    "INSERT INTO meta.changes "
    "SELECT $built_at, 'added', * FROM (" + CURRENT + ") "
    "WHERE evidence_id NOT IN (SELECT evidence_id FROM (" + BEFORE + ")) "
    "UNION ALL "
    "SELECT $built_at, 'removed', * FROM (" + BEFORE + ") "
    "WHERE evidence_id NOT IN (SELECT evidence_id FROM (" + CURRENT + "))"
)


def history_file(state: Path | None = None) -> Path:
    """The history of every build's changes, beside the archive's runs.jsonl: it outlives every database file."""
    return Path(state if state is not None else archive.archive_dir()) / "changes.jsonl"


# The history file read by DuckDB (a Python loop over json.loads took 44 s for 4 million lines); a line a crash cut
# short is not JSON and is skipped (ignore_errors), and so is one without its three required fields. The column
# list is fixed text written from FIELDS, never a value.
HISTORY = (
    "SELECT " + ", ".join(FIELDS) + " FROM read_json($path, format = 'newline_delimited', ignore_errors = true, "
    "columns = {" + ", ".join(f"'{f}': '{'TIMESTAMP' if f == 'built_at' else 'VARCHAR'}'" for f in FIELDS) + "}) "
    "WHERE built_at IS NOT NULL AND change IS NOT NULL AND evidence_id IS NOT NULL"
)


def read_history(path: Path) -> list[tuple]:
    """The recorded changes, oldest first; a line cut short by a crash is skipped, the rest still count."""
    if not path.exists() or not path.stat().st_size:
        return []
    with duckdb.connect() as con:
        return con.execute(HISTORY, {"path": str(path)}).fetchall()


def append_history(path: Path, rows: list[tuple]) -> None:
    """Append-only: one JSON line per change, never rewritten, so a rebuild from nothing finds it all."""
    if not rows:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps(dict(zip(FIELDS, (row[0].isoformat(), *row[1:]), strict=True)), ensure_ascii=False) for row in rows
    ]
    with open(path, "a+", encoding="utf-8") as fh:
        fh.seek(0, os.SEEK_END)
        if fh.tell():
            fh.seek(fh.tell() - 1)
            if fh.read(1) != "\n":
                fh.write("\n")  # a line a crash cut short stays alone, unread, instead of spoiling this one
        fh.write("\n".join(lines) + "\n")


def record(con: duckdb.DuckDBPyConnection, history: Path, built_at: dt.datetime) -> int:
    """Load the history into meta.changes, add what this build's evidence adds to or removes from what the
    history holds as live, and append those rows to the history file; return how many rows this build adds.
    The database it replaces is never read: deleting it loses nothing."""
    if history.exists() and history.stat().st_size:
        con.execute("INSERT INTO meta.changes " + HISTORY, {"path": str(history)})
    con.execute(DIFF, {"built_at": built_at})
    new = con.execute(
        "SELECT * FROM meta.changes WHERE built_at = ? ORDER BY change, evidence_id", [built_at]
    ).fetchall()
    append_history(history, new)
    return len(new)


def matching(con: duckdb.DuckDBPyConnection, watch=None, state: str | None = None, limit: int = 500) -> list[tuple]:
    from ingest.watchlists import FILTERS

    condition = FILTERS[watch.kind] if watch else "($value::VARCHAR IS NULL OR c.state = $value::VARCHAR)"
    return con.execute(
        """
        SELECT c.built_at, c.change, c.evidence_id, c.agency_name, c.state, c.product, c.kind, c.summary, c.source_url
        FROM meta.changes c LEFT JOIN core.agencies a USING (agency_id)
        WHERE """
        + condition
        + """
        ORDER BY c.built_at DESC, c.evidence_id LIMIT $limit
    """,
        {"value": watch.value if watch else state, "limit": limit},
    ).fetchall()


def write_atomically(target: Path, text: str) -> None:
    """A reader (a feed reader polling the folder) sees the old feed or the new one, never half of one."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


# XML 1.0 allows tab, line feed, carriage return and these ranges; anything else (NUL and the other C0
# controls, lone surrogates, U+FFFE/U+FFFF) makes the whole document unreadable, so it is dropped.
NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str:
    """Record text as it may stand in XML: a string with what XML 1.0 forbids removed (escaping is lxml's)."""
    return NOT_XML.sub("", value) if isinstance(value, str) else ("" if value is None else xml_text(str(value)))


def http_link(url) -> str | None:
    """Feeds link only to http(s) URLs: a javascript: or data: URL from a record is no link at all."""
    url = xml_text(url).strip()
    return url if re.match(r"(?i)^https?://[^\s]+$", url) else None


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def atom(
    con: duckdb.DuckDBPyConnection,
    title: str = "Who's Watching: what's new",
    feed_id: str = "whats-new",
    where_state: str | None = None,
    limit: int = 200,
    watch=None,
) -> str:
    """An Atom 1.0 feed of the latest changes, newest first: all, one state's, or one watchlist's.

    Built with feedgen (lxml escapes every value): record text is always text, never markup."""
    rows = matching(con, watch, where_state, limit)
    feed = FeedGenerator()
    feed.id(f"urn:whos-watching:{xml_text(feed_id)}")
    feed.title(xml_text(title))
    feed.updated(utc(rows[0][0] if rows else dt.datetime(2020, 1, 1)))
    feed.author({"name": "Who's Watching"})
    feed.generator("Who's Watching")
    for built_at, change, evidence_id, agency, state, product, kind, summary, url in rows:
        when = utc(built_at)
        entry = feed.add_entry(order="append")
        entry.id(xml_text(f"urn:whos-watching:{change}:{evidence_id}:{when:%Y-%m-%dT%H:%M:%SZ}"))
        entry.title(xml_text(f"{change}: {agency} ({state or 'federal'}), {product}, {kind}"))
        entry.updated(when)
        link = http_link(url)
        if link:
            entry.link(href=link)
            entry.summary(xml_text(summary), type="text")
        else:
            # RFC 4287: an entry without an alternate link carries its text as content.
            entry.content(xml_text(summary) or "No summary.", type="text")
    return feed.atom_str(pretty=True).decode("utf-8")
