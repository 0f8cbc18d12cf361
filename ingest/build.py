"""Build the bundled database: sources -> raw -> core -> views, into a new file swapped in whole."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from ingest import archive as archive_mod
from ingest import changes, db, paths, raw, registry, sources, transform, watchlists
from rules.claims import STATUSES


@dataclass
class SourceReport:
    source_id: str
    fetched: int = 0
    new: int = 0
    rejected: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class Built:
    """What a build did: the file it swapped in, what each source gave, leftovers of killed builds removed."""

    database: Path
    reports: list[SourceReport]
    removed_leftovers: list[Path] = field(default_factory=list)


@dataclass
class Published:
    """What the feeds step wrote, and a sentence for each thing it could not write."""

    folder: Path
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        if not self.written:
            return f"Feeds were not written: {' '.join(self.problems)} The database was updated."
        return " ".join([f"Feeds written: {len(self.written)} in {self.folder}.", *self.problems])


def build(
    db_path: Path | None = None, data_dir: Path = paths.DATA_DIR, progress=None, archive: Path | None = None
) -> list[SourceReport]:
    """Build the database, swap it in, then publish the feeds (a step that cannot undo or fail the build)."""
    built = build_database(db_path, data_dir, progress, archive)
    publish_feeds(built.database)
    return built.reports


def build_database(
    db_path: Path | None = None, data_dir: Path = paths.DATA_DIR, progress=None, archive: Path | None = None
) -> Built:
    """Build from the bundled files and, given an archive folder, every archived live response.
    The live file is replaced only if every step succeeds; nothing runs after the swap. The last step appends
    this build's changes to the history beside the archive's run log (changes.history_file), which every build
    reads back, so deleting the database loses nothing."""
    live = Path(db_path or paths.db_path())
    live.parent.mkdir(parents=True, exist_ok=True)
    removed = db.remove_dead_builds(live)
    reports = []
    with db.swapped_build(live) as con:
        db.create_schema(con)
        everything = registry.load()
        register_sources(con, everything)
        catalog = in_this_build(everything, archive)
        for source in catalog:
            if source.mode == "live":
                continue
            reports.append(load_source(con, source, data_dir))
            if progress:
                progress(source.source_id)
        if archive is not None:
            reports += load_archive(con, [s for s in catalog if s.mode == "live"], Path(archive), progress)
        transform.run_all(con)
        seed_ladder(con)
        changes.record(con, changes.history_file(archive), datetime.now(UTC).replace(tzinfo=None))
    return Built(live, reports, removed)


def in_this_build(catalog: list[registry.Source], archive: Path | None) -> list[registry.Source]:
    """Bundled sources, and the live ones with something in the archive (a response or a logged run).
    Every source is registered all the same: the Sources page lists one never fetched as such."""
    if archive is None:
        return [s for s in catalog if s.mode != "live"]
    logged = {r.get("source_id") for r in archive_mod.read_runs(Path(archive))}
    return [
        s
        for s in catalog
        if s.mode != "live" or s.source_id in logged or archive_mod.runs_of(Path(archive), s.source_id)
    ]


def publish_feeds(live: Path) -> Published:
    """The Atom feeds beside the database (data/feeds/ for the default database): What's new and one per
    watchlist. Runs after the swap, so it never raises: what it could not write comes back as sentences."""
    published = Published(Path(live).parent / "feeds")
    try:
        published.folder.mkdir(parents=True, exist_ok=True)
        watches = watchlists.load_checked()
        if watches.problem:
            published.problems.append(f"Watchlist feeds: {watches.problem}")
        con = db.connect(live, read_only=True)
    except Exception as exc:  # noqa: BLE001 - after the swap, every failure is reported, none raised
        published.problems.append(f"the feeds folder or the new database could not be opened ({exc}).")
        return published
    try:
        feeds = [("whats-new.xml", lambda: changes.atom(con))] + [
            (
                f"watch-{w.slug}.xml",
                lambda w=w: changes.atom(con, title=f"Who's Watching: {w.name}", feed_id=f"watch-{w.slug}", watch=w),
            )
            for w in watches.items
        ]
        for name, make in feeds:
            try:
                changes.write_atomically(published.folder / name, make())
                published.written.append(published.folder / name)
            except Exception as exc:  # noqa: BLE001 - one feed's failure leaves the others written
                published.problems.append(f"{name} was not written ({exc}).")
    finally:
        con.close()
    return published


def seed_ladder(con: duckdb.DuckDBPyConnection) -> None:
    """views.status_ladder from the one list of statuses (rules/claims.py STATUSES), ranked strongest first."""
    con.executemany(
        "INSERT INTO views.status_ladder VALUES (?, ?, ?)",
        [(s.name, rank, s.definition) for rank, s in enumerate(STATUSES, start=1)],
    )


def register_sources(con: duckdb.DuckDBPyConnection, catalog: list[registry.Source]) -> None:
    con.executemany(
        "INSERT INTO meta.sources (source_id, name, platform, files, url, homepage, license, attribution, "
        "retrieved, weight, notes, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                s.source_id,
                s.name,
                s.platform,
                ";".join(s.files),
                s.url,
                s.homepage or None,
                s.license,
                s.attribution,
                s.retrieved,
                s.weight,
                s.notes,
                s.mode,
            )
            for s in catalog
        ],
    )
    live = [
        (s.source_id, s.endpoint or s.url, s.dataset or None, s.fields or None, s.jurisdiction or None)
        for s in catalog
        if s.mode == "live"
    ]
    if live:
        con.executemany("INSERT INTO meta.live_sources VALUES (?, ?, ?, ?, ?)", live)


def load_source(con: duckdb.DuckDBPyConnection, source: registry.Source, data_dir: Path) -> SourceReport:
    """Record a run and load each bundled file into raw; a failure is recorded, then raised."""
    run_id = con.execute(
        "INSERT INTO meta.ingest_runs (run_id, source_id, started_at, status) "
        "VALUES (nextval('meta.run_seq'), ?, now(), 'running') RETURNING run_id",
        [source.source_id],
    ).fetchone()[0]
    report = SourceReport(source.source_id)
    module = sources.platform(source.platform)
    try:
        for path in source.paths(data_dir):
            result = raw.load_csv(
                con,
                source_id=source.source_id,
                path=path,
                url=source.url,
                fetched_at=source.retrieved,
                run_id=run_id,
                delim=module.DELIM,
                required=module.required_columns(path),
            )
            if hasattr(module, "detect_format"):
                report.notes.append(module.detect_format(result.columns).describe())
            report.fetched += result.fetched
            report.new += result.new
            report.rejected += result.rejected
    except Exception as exc:
        con.execute(
            "UPDATE meta.ingest_runs SET finished_at = now(), status = 'failed', error = ? WHERE run_id = ?",
            [f"{type(exc).__name__}: {exc}", run_id],
        )
        raise
    con.execute(
        "UPDATE meta.ingest_runs SET finished_at = now(), status = 'ok', fetched = ?, new = ?, rejected = ? "
        "WHERE run_id = ?",
        [report.fetched, report.new, report.rejected, run_id],
    )
    return report


def load_archive(
    con: duckdb.DuckDBPyConnection, live_sources: list[registry.Source], root: Path, progress=None
) -> list[SourceReport]:
    """Every archived response of every live source into raw, each under the run that fetched it.

    The run log (runs.jsonl) becomes meta.ingest_runs, so run history outlives every database file.
    A snapshot source (the Atlas download: each response is the whole table) loads its latest run only.
    """
    runs = insert_run_log(con, archive_mod.read_runs(root))
    reports = []
    for source in live_sources:
        module = sources.platform(source.platform)
        report = SourceReport(source.source_id)
        for item in archive_mod.responses(root, source.source_id, latest_only=getattr(module, "SNAPSHOT", False)):
            run_id = runs.get((source.source_id, item.path.parent.name)) or orphan_run(con, source.source_id, item)
            runs[(source.source_id, item.path.parent.name)] = run_id
            result = load_archived(con, source, module, item, run_id)
            if result is None:
                continue
            if hasattr(module, "detect_format") and item.path.suffix == ".csv":
                report.notes.append(module.detect_format(result.columns).describe())
            report.fetched += result.fetched
            report.new += result.new
            report.rejected += result.rejected
        reports.append(report)
        if progress:
            progress(source.source_id)
    count_run_results(con)
    return reports


def load_archived(con, source: registry.Source, module, item: archive_mod.Archived, run_id: int):
    """One archived response into raw, read the way its format needs. Pages and imports hold records
    (CSV rows, a JSON array); lookups and documents are turned into records by their platform module
    (an agency object, a PDF's pages); anything else (a list of communications) is provenance only."""
    common = dict(
        source_id=source.source_id,
        path=item.path,
        url=item.meta["url"],
        fetched_at=item.meta["fetched_at"],
        run_id=run_id,
    )
    if item.kind in ("lookup", "document"):
        return raw.load_rows(con, **common, rows=module.archived_rows(item))
    if item.kind == "import":
        return load_import(con, source, module, item, common)
    if item.kind != "page":
        return None
    required = tuple(module.required_fields(source, item.meta))
    if item.path.suffix == ".csv":
        return raw.load_csv(con, **common, delim=item.meta.get("delimiter", ","), required=required)
    if item.path.suffix == ".json":
        return raw.load_json(
            con, **common, records_path=item.meta.get("records_path", module.RECORDS_PATH), required=required
        )
    return raw.load_rows(con, **common, rows=module.archived_rows(item))


def load_import(con, source: registry.Source, module, item: archive_mod.Archived, common: dict) -> raw.LoadResult:
    """A file given to `ingest run file`, read by its module as the run read it (CSV in any encoding the
    workbench reads, XLSX, JSON). Rows that are not records, and a file that cannot be read at all, go to
    quarantine with the reason: one bad file in the archive must never stop a build."""
    name = item.meta["original_name"]
    try:
        rows, rejects = module.archived_records(item)
    except Exception as exc:  # whatever the file holds; the reason is kept, the build goes on
        rows, rejects = [], [(None, f"the imported file {name} could not be read: {type(exc).__name__}: {exc}", None)]
    result = raw.load_rows(con, **common, rows=rows)
    db.insert_frame(
        con,
        "core.quarantine",
        pd.DataFrame(
            [(source.source_id, result.raw_file_id, n, None, reason, text) for n, reason, text in rejects],
            columns=["source_id", "raw_file_id", "row_number", "raw_record_id", "reason", "raw_text"],
        ),
    )
    result.rejected += len(rejects)
    con.execute(
        "INSERT INTO meta.file_imports VALUES (?, ?, ?, ?, ?, ?)",
        [
            result.raw_file_id,
            source.source_id,
            name,
            item.meta.get("title") or name,
            item.meta["sha256"],
            json.dumps(item.meta["mapping"]),
        ],
    )
    return result


def insert_run_log(con: duckdb.DuckDBPyConnection, log: list[dict]) -> dict[tuple[str, str], int]:
    """meta.ingest_runs rows for the logged live runs; returns (source_id, archive run) -> run_id."""
    out = {}
    for entry in log:
        run_id = con.execute(
            "INSERT INTO meta.ingest_runs (run_id, source_id, started_at, finished_at, status, fetched, error, "
            "archive_run) VALUES (nextval('meta.run_seq'), ?, ?, ?, ?, ?, ?, ?) RETURNING run_id",
            [
                entry["source_id"],
                entry["started_at"],
                entry.get("finished_at"),
                entry["status"],
                entry.get("fetched", 0),
                entry.get("error"),
                entry.get("archive_run"),
            ],
        ).fetchone()[0]
        if entry.get("archive_run"):
            out[(entry["source_id"], entry["archive_run"])] = run_id
    return out


def orphan_run(con, source_id: str, item: archive_mod.Archived) -> int:
    """An archived run the log does not mention (the log was lost): still loaded, and said so."""
    return con.execute(
        "INSERT INTO meta.ingest_runs (run_id, source_id, started_at, finished_at, status, error, archive_run) "
        "VALUES (nextval('meta.run_seq'), ?, ?, ?, 'ok', 'not in runs.jsonl: rebuilt from the archive', ?) "
        "RETURNING run_id",
        [source_id, item.meta["fetched_at"], item.meta["fetched_at"], item.path.parent.name],
    ).fetchone()[0]


def count_run_results(con: duckdb.DuckDBPyConnection) -> None:
    """What each live run added: new raw records, new versions of records already held (same key,
    other content), and rows quarantined, from what the build actually loaded."""
    keys = {
        s: getattr(sources.platform(p), "KEY", None)
        for s, p in con.execute(
            "SELECT source_id, platform FROM meta.sources JOIN meta.live_sources USING (source_id)"
        ).fetchall()
    }
    for source_id, key in keys.items():
        con.execute(
            """
            UPDATE meta.ingest_runs r SET
                new = coalesce((SELECT count(*) FROM raw.records x WHERE x.run_id = r.run_id), 0),
                rejected = coalesce((SELECT count(*) FROM core.quarantine q JOIN meta.raw_files f USING (raw_file_id)
                                     WHERE f.run_id = r.run_id), 0),
                updated = coalesce((SELECT count(*) FROM raw.records x
                                    WHERE x.run_id = r.run_id AND $key::VARCHAR IS NOT NULL
                                      AND EXISTS (SELECT 1 FROM raw.records o
                                                  WHERE o.source_id = x.source_id AND o.record_id < x.record_id
                                                    AND o.record->>$key::VARCHAR = x.record->>$key::VARCHAR)), 0)
            WHERE r.source_id = $source AND r.archive_run IS NOT NULL
            """,
            {"source": source_id, "key": key},
        )
