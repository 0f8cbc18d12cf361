"""What a build changed: evidence added or removed against the database it replaces, kept as
history in meta.changes and published as an Atom feed (all of it, and one per watchlist later)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import duckdb
from feedgen.feed import FeedGenerator

COLUMNS = "evidence_id, agency_id, agency_name, state, vendor, product, kind, summary, source_url"
CURRENT = "SELECT " + COLUMNS + " FROM views.evidence"
BEFORE = "SELECT " + COLUMNS + " FROM previous.views.evidence"
DIFF = (
    "INSERT INTO meta.changes "
    "SELECT ?, 'added', * FROM (" + CURRENT + ") "
    "WHERE evidence_id NOT IN (SELECT evidence_id FROM (" + BEFORE + ")) "
    "UNION ALL "
    "SELECT ?, 'removed', * FROM (" + BEFORE + ") "
    "WHERE evidence_id NOT IN (SELECT evidence_id FROM (" + CURRENT + "))"
)


def record(con: duckdb.DuckDBPyConnection, previous: Path | None, built_at: dt.datetime) -> int:
    """Diff this build's evidence against `previous` (the live file, if any); return rows recorded."""
    if previous is None or not Path(previous).exists():
        con.execute("INSERT INTO meta.changes SELECT ?, 'added', * FROM (" + CURRENT + ")", [built_at])
        return con.execute("SELECT count(*) FROM meta.changes").fetchone()[0]
    con.execute("ATTACH ? AS previous (READ_ONLY)", [str(previous)])
    try:
        has_history = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'previous' AND schema_name = 'meta' "
            "AND table_name = 'changes'"
        ).fetchone()[0]
        try:
            if has_history:
                con.execute("INSERT INTO meta.changes SELECT * FROM previous.meta.changes")
            con.execute(DIFF, [built_at, built_at])
        except duckdb.Error:
            # A previous file of an older layout cannot be compared: start the history afresh rather than fail.
            con.execute("DELETE FROM meta.changes")
            con.execute("INSERT INTO meta.changes SELECT ?, 'added', * FROM (" + CURRENT + ")", [built_at])
    finally:
        con.execute("DETACH previous")
    return con.execute("SELECT count(*) FROM meta.changes WHERE built_at = ?", [built_at]).fetchone()[0]


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
