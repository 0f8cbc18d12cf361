"""`python -m ingest run`: fetch each live source into the archive, then rebuild the database from
the bundled data and the whole archive, and swap it in.

A source that fails loses only its own partial run (nothing of it reaches the archive), is recorded
as failed with its error, and does not stop the others. The database is rebuilt from the last good
archive either way; only a failed build leaves the live file as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingest import archive, paths, registry, sources
from ingest.build import build
from ingest.db import connect
from ingest.http import Client, base_url_for, scrub
from ingest.sources._live import FetchContext


@dataclass
class RunResult:
    source_id: str
    status: str  # ok | failed | skipped
    fetched: int = 0
    new: int = 0
    updated: int = 0
    rejected: int = 0
    error: str | None = None
    archive_run: str | None = None
    notes: list[str] = field(default_factory=list)


def fetch_source(
    client: Client,
    source: registry.Source,
    root: Path,
    *,
    since: date | None = None,
    base_url: str | None = None,
    options: dict | None = None,
    advance: Callable[[int], None] = lambda n: None,
) -> RunResult:
    """Fetch one source into a partial archive run; commit it and its cursor only if all of it worked."""
    module = sources.platform(source.platform)
    abandoned = archive.sweep_abandoned(root, source.source_id)
    run = archive.RunArchive(root, source.source_id)
    started = archive.now_utc()
    ctx = FetchContext(
        client=client,
        source=source,
        run=run,
        since=since,
        base_url=base_url_for(source.platform, base_url),
        cursor=archive.read_cursor(root, source.source_id),
        options=options or {},
        advance=advance,
    )
    committed = False
    try:
        outcome = module.fetch(ctx)
        committed = run.commit() is not None
        if outcome.cursor is not None:
            archive.write_cursor(root, source.source_id, outcome.cursor)
        result = RunResult(
            source.source_id,
            "ok",
            fetched=outcome.fetched,
            notes=outcome.notes,
            archive_run=run.stamp if committed else None,
        )
    except Exception as exc:  # one source's failure is recorded and reported; the others still run
        result = RunResult(source.source_id, "failed", error=scrub(f"{type(exc).__name__}: {exc}"))
    finally:
        if not committed:
            run.discard()
    if committed:
        result.notes = [*result.notes, *run.notes()]
    if abandoned:
        result.notes = [
            *result.notes,
            f"removed {len(abandoned)} partial run(s) left by a fetch that was killed: " + ", ".join(abandoned),
        ]
    archive.append_run(
        root,
        {
            "source_id": source.source_id,
            "started_at": started.isoformat(),
            "finished_at": archive.now_utc().isoformat(),
            "status": result.status,
            "fetched": result.fetched,
            "error": result.error,
            "archive_run": result.archive_run,
            "notes": result.notes,
        },
    )
    return result


def run(
    selector: str,
    *,
    since: date | None = None,
    base_url: str | None = None,
    offline: bool = False,
    db_path: Path | None = None,
    root: Path | None = None,
    options: dict | None = None,
    client: Client | None = None,
    progress=None,
) -> list[RunResult]:
    """Fetch (unless offline), then rebuild. `progress(source_id, n)` is told of records as they arrive."""
    root = Path(root or archive.archive_dir())
    chosen = registry.live(selector)
    results = []
    if not offline:
        own_client = client is None
        client = client or Client()
        try:
            for source in chosen:
                if source.platform == "file" and not (options or {}).get("path"):
                    results.append(RunResult(source.source_id, "skipped", notes=["no file given (--file)"]))
                    continue
                advance = (lambda n, s=source.source_id: progress(s, n)) if progress else (lambda n: None)
                results.append(
                    fetch_source(client, source, root, since=since, base_url=base_url, options=options, advance=advance)
                )
        finally:
            if own_client:
                client.__exit__(None, None, None)
    else:
        results = [RunResult(s.source_id, "skipped", notes=["offline: rebuilt from the archive"]) for s in chosen]
    database = Path(db_path or paths.db_path())
    build(database, archive=root)
    add_counts(database, results)
    return results


def add_counts(database: Path, results: list[RunResult]) -> None:
    """What the build made of each run: new and updated raw records, rows quarantined."""
    con = connect(database, read_only=True)
    try:
        for r in results:
            if r.archive_run:
                row = con.execute(
                    "SELECT new, updated, rejected FROM meta.ingest_runs WHERE source_id = ? AND archive_run = ?",
                    [r.source_id, r.archive_run],
                ).fetchall()
                row = row[0] if row else None
                if row:
                    r.new, r.updated, r.rejected = row
    finally:
        con.close()
