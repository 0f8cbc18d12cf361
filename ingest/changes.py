"""What a build changed: evidence added or removed against the database it replaces, kept as
history in meta.changes and published as an Atom feed (all of it, and one per watchlist later)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb

COLUMNS = "evidence_id, agency_id, agency_name, state, vendor, product, kind, summary, source_url"
CURRENT = "SELECT " + COLUMNS + " FROM views.evidence"
BEFORE = "SELECT " + COLUMNS + " FROM previous.views.evidence"
DIFF = ("INSERT INTO meta.changes "
        "SELECT ?, 'added', * FROM (" + CURRENT + ") WHERE evidence_id NOT IN (SELECT evidence_id FROM (" + BEFORE + ")) "
        "UNION ALL "
        "SELECT ?, 'removed', * FROM (" + BEFORE + ") WHERE evidence_id NOT IN (SELECT evidence_id FROM (" + CURRENT + "))")


def record(con: duckdb.DuckDBPyConnection, previous: Path | None, built_at: dt.datetime) -> int:
    """Diff this build's evidence against `previous` (the live file, if any); return rows recorded."""
    if previous is None or not Path(previous).exists():
        con.execute("INSERT INTO meta.changes SELECT ?, 'added', * FROM (" + CURRENT + ")", [built_at])
        return con.execute("SELECT count(*) FROM meta.changes").fetchone()[0]
    con.execute("ATTACH ? AS previous (READ_ONLY)", [str(previous)])
    try:
        has_history = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'previous' AND schema_name = 'meta' "
            "AND table_name = 'changes'").fetchone()[0]
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
    return con.execute("""
        SELECT c.built_at, c.change, c.evidence_id, c.agency_name, c.state, c.product, c.kind, c.summary, c.source_url
        FROM meta.changes c LEFT JOIN core.agencies a USING (agency_id)
        WHERE """ + condition + """
        ORDER BY c.built_at DESC, c.evidence_id LIMIT $limit
    """, {"value": watch.value if watch else state, "limit": limit}).fetchall()


def write_watch_feeds(con: duckdb.DuckDBPyConnection, folder: Path, watches) -> list[Path]:
    written = []
    for watch in watches:
        target = folder / f"watch-{watch.slug}.xml"
        target.write_text(atom(con, title=f"Who's Watching: {watch.name}", feed_id=f"watch-{watch.slug}", watch=watch),
                          encoding="utf-8")
        written.append(target)
    return written


def atom(con: duckdb.DuckDBPyConnection, title: str = "Who's Watching: what's new", feed_id: str = "whats-new",
         where_state: str | None = None, limit: int = 200, watch=None) -> str:
    """An Atom 1.0 feed of the latest changes, newest first: all, one state's, or one watchlist's."""
    rows = matching(con, watch, where_state, limit)
    updated = (rows[0][0] if rows else dt.datetime(2020, 1, 1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = []
    for built_at, change, evidence_id, agency, state, product, kind, summary, url in rows:
        when = built_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        entry_title = f"{change}: {agency} ({state or 'federal'}), {product}, {kind}"
        href = escape(url or "", {'"': "&quot;"})
        entries.append(
            "  <entry>\n"
            f"    <id>urn:whos-watching:{escape(change)}:{escape(evidence_id)}:{when}</id>\n"
            f"    <title>{escape(entry_title)}</title>\n"
            f"    <updated>{when}</updated>\n"
            f'    <link href="{href}"/>\n'
            f"    <summary>{escape(summary or '')}</summary>\n"
            "  </entry>")
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
            f"  <id>urn:whos-watching:{escape(feed_id)}</id>\n  <title>{escape(title)}</title>\n"
            f"  <updated>{updated}</updated>\n  <author><name>Who's Watching</name></author>\n"
            + "\n".join(entries) + ("\n" if entries else "") + "</feed>\n")
