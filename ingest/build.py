"""Build the bundled database: sources -> raw -> core -> views, into a new file swapped in whole."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingest import changes, db, paths, raw, registry, sources, transform, watchlists
from ingest.claims import DEFINITIONS, LADDER


@dataclass
class SourceReport:
    source_id: str
    fetched: int = 0
    new: int = 0
    rejected: int = 0
    notes: list[str] = field(default_factory=list)


def build(db_path: Path | None = None, data_dir: Path = paths.DATA_DIR, progress=None) -> list[SourceReport]:
    """Build from the bundled files. The live file is replaced only if every step succeeds."""
    live = Path(db_path or paths.db_path())
    reports = []
    with db.swapped_build(live) as con:
        db.migrate(con)
        catalog = registry.load()
        register_sources(con, catalog)
        for source in catalog:
            reports.append(load_source(con, source, data_dir))
            if progress:
                progress(source.source_id)
        transform.run_all(con)
        seed_ladder(con)
        changes.record(con, live if live.exists() else None, datetime.now(timezone.utc).replace(tzinfo=None))
    write_feeds(live)
    return reports


def write_feeds(live: Path) -> Path:
    """The What's new Atom feed beside the database (data/feeds/ for the default database)."""
    folder = live.parent / "feeds"
    folder.mkdir(parents=True, exist_ok=True)
    con = db.connect(live, read_only=True)
    try:
        (folder / "whats-new.xml").write_text(changes.atom(con), encoding="utf-8")
        changes.write_watch_feeds(con, folder, watchlists.load())
    finally:
        con.close()
    return folder / "whats-new.xml"


def seed_ladder(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany("INSERT INTO views.status_ladder VALUES (?, ?, ?)",
                    [(s, i, DEFINITIONS[s]) for i, s in enumerate((*LADDER, "banned"), start=1)])


def register_sources(con: duckdb.DuckDBPyConnection, catalog: list[registry.Source]) -> None:
    con.executemany(
        "INSERT INTO meta.sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(s.source_id, s.name, s.platform, ";".join(s.files), s.url, s.homepage or None, s.license,
          s.attribution, s.retrieved, s.weight, s.notes) for s in catalog],
    )


def load_source(con: duckdb.DuckDBPyConnection, source: registry.Source, data_dir: Path) -> SourceReport:
    """Record a run and load each bundled file into raw; a failure is recorded, then raised."""
    run_id = con.execute(
        "INSERT INTO meta.ingest_runs (run_id, source_id, started_at, status) "
        "VALUES (nextval('meta.run_seq'), ?, now(), 'running') RETURNING run_id", [source.source_id]
    ).fetchone()[0]
    report = SourceReport(source.source_id)
    module = sources.platform(source.platform)
    try:
        for path in source.paths(data_dir):
            result = raw.load_csv(con, source_id=source.source_id, path=path, url=source.url,
                                  fetched_at=source.retrieved, run_id=run_id, delim=module.DELIM,
                                  required=module.required_columns(path))
            if hasattr(module, "detect_format"):
                report.notes.append(module.detect_format(result.columns).describe())
            report.fetched += result.fetched
            report.new += result.new
            report.rejected += result.rejected
    except Exception as exc:
        con.execute("UPDATE meta.ingest_runs SET finished_at = now(), status = 'failed', error = ? WHERE run_id = ?",
                    [f"{type(exc).__name__}: {exc}", run_id])
        raise
    con.execute(
        "UPDATE meta.ingest_runs SET finished_at = now(), status = 'ok', fetched = ?, new = ?, rejected = ? "
        "WHERE run_id = ?", [report.fetched, report.new, report.rejected, run_id])
    return report


