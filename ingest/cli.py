"""python -m ingest COMMAND: build the bundled database, list sources and runs."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ingest import db, paths, registry

console = Console(stderr=True, soft_wrap=True)


def cmd_build(args) -> int:
    from ingest.build import build_database, publish_feeds

    target = Path(args.db) if args.db else paths.db_path()
    with console.status("Building the database from data/ ...") as status:
        # The archive of live responses is part of the data: a plain rebuild must not drop what `run` fetched.
        from ingest.archive import archive_dir

        built = build_database(target, progress=lambda s: status.update(f"Loaded {s}"), archive=archive_dir())
    if built.removed_leftovers:
        console.print(
            f"Removed {len(built.removed_leftovers)} file(s) left behind by builds that were killed: "
            + ", ".join(p.name for p in built.removed_leftovers)
            + "."
        )
    table = Table(title=f"Built {target}")
    for column in ("source", "records read", "new", "quarantined", "notes"):
        table.add_column(column)
    for r in built.reports:
        table.add_row(r.source_id, str(r.fetched), str(r.new), str(r.rejected), "\n".join(r.notes))
    console.print(table)
    console.print(f"Built {target} and swapped it in.")
    # Its own step, after the swap: it reports what it could not write and never fails the build.
    console.print(publish_feeds(target).sentence(), markup=False)
    con = db.connect(target, read_only=True)
    try:
        counts = con.execute(
            "SELECT (SELECT count(*) FROM core.evidence), (SELECT count(DISTINCT agency_id) FROM core.evidence), "
            "(SELECT count(*) FROM core.quarantine)"
        ).fetchone()
    finally:
        con.close()
    console.print(f"{counts[0]} evidence rows for {counts[1]} agencies; {counts[2]} rows in quarantine.")
    return 0


def parse_mapping(text: str | None) -> dict[str, str]:
    """'agency=Department,state=ST' -> {'agency': 'Department', 'state': 'ST'}."""
    pairs = [p.split("=", 1) for p in (text or "").split(",") if p.strip()]
    if any(len(p) != 2 for p in pairs):
        raise ValueError(f"--map takes ours=theirs pairs separated by commas, not {text!r}")
    return {ours.strip(): theirs.strip() for ours, theirs in pairs}


def cmd_run(args) -> int:
    from datetime import date

    from rich.progress import Progress, SpinnerColumn, TextColumn

    from ingest import fetch

    options = {"path": args.file, "mapping": parse_mapping(args.map), "name": args.name} if args.file else {}
    since = date.fromisoformat(args.since) if args.since else None
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed} records"),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(source_id: str, n: int) -> None:
            if source_id not in tasks:
                tasks[source_id] = bar.add_task(f"Fetching {source_id}", total=None)
            bar.advance(tasks[source_id], n)

        results = fetch.run(
            args.source,
            since=since,
            base_url=args.base_url,
            offline=args.offline,
            db_path=Path(args.db) if args.db else None,
            options=options,
            progress=progress,
        )
    table = Table(title="Ingest run")
    for column in ("source", "status", "fetched", "new", "updated", "quarantined", "error / notes"):
        table.add_column(column, overflow="fold")
    for r in results:
        style = {"ok": "green", "failed": "red"}.get(r.status, "yellow")
        table.add_row(
            r.source_id,
            f"[{style}]{r.status}[/{style}]",
            str(r.fetched),
            str(r.new),
            str(r.updated),
            str(r.rejected),
            r.error or "; ".join(r.notes),
        )
    console.print(table)
    failed = [r.source_id for r in results if r.status == "failed"]
    if failed:
        console.print(f"[red]{len(failed)} source(s) failed:[/red] {', '.join(failed)}; their last good data was kept.")
    return 1 if failed else 0


def cmd_sources(args) -> int:
    table = Table(title="Sources (data/sources.csv)")
    for column in ("id", "name", "license", "url"):
        table.add_column(column, overflow="fold")
    for s in registry.load():
        table.add_row(s.source_id, s.name, s.license, s.url)
    Console().print(table)
    return 0


def cmd_runs(args) -> int:
    target = Path(args.db) if args.db else paths.db_path()
    if not target.exists():
        console.print(f"[red]No database at {target}[/red]: run `make data` first.")
        return 1
    con = db.connect(target, read_only=True)
    try:
        rows = con.execute(
            "SELECT run_id, source_id, started_at, finished_at, status, fetched, new, rejected, "
            "coalesce(error, '') FROM meta.ingest_runs ORDER BY run_id"
        ).fetchall()
    finally:
        con.close()
    table = Table(title="Ingest runs")
    for column in ("run", "source", "started", "finished", "status", "read", "new", "quarantined", "error"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(str(v) for v in row))
    Console().print(table)
    return 0


def read_csv_input(path: str, required: tuple[str, ...]) -> tuple[list[str], list[dict]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            columns = list(reader.fieldnames or [])
            rows = list(reader)
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text: save it as UTF-8 CSV and try again") from None
    missing = [c for c in required if c not in columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; found: {', '.join(columns) or '(none)'}")
    return columns, rows


def write_rows(path: str | None, columns: list[str], rows: list[dict], fmt: str = "csv") -> None:
    out = open(path, "w", newline="", encoding="utf-8") if path else sys.stdout
    try:
        if fmt == "json":
            json.dump(rows, out, indent=2, default=str, ensure_ascii=False)
            out.write("\n")
        else:
            # The same formula rule as the page downloads: a cell that would run in a spreadsheet gets a quote.
            # CRLF line ends (RFC 4180) make the writer quote any cell holding a bare CR, so none can start a row.
            from rules.csvsafe import neutralise_all

            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(neutralise_all(columns))
            writer.writerows(neutralise_all(row.get(c, "") for c in columns) for row in rows)
    finally:
        if path:
            out.close()


def open_database(args):
    target = Path(args.db) if getattr(args, "db", None) else paths.db_path()
    if not target.exists():
        raise FileNotFoundError(f"no database at {target}: run `make data` first")
    return db.connect(target, read_only=True)


def cmd_match_agencies(args) -> int:
    from rules.matching import from_database

    columns, rows = read_csv_input(args.input, ("name",))
    con = open_database(args)
    try:
        matcher, state_names = from_database(con)
        oris = dict(con.execute("SELECT agency_id, ori FROM core.agencies").fetchall())
    finally:
        con.close()
    names = {a.agency_id: a.name for a in matcher.agencies.values()}
    queries = [
        (
            r["name"],
            (r.get("state") or "").strip().upper() or None,
            r.get("city") or None,
            state_names.get((r.get("state") or "").strip().upper()),
        )
        for r in rows
    ]
    for row, found in zip(rows, matcher.match_many(queries)):
        row.update(
            status=found.status,
            agency_id=found.agency_id or "",
            ori=oris.get(found.agency_id) or "",
            matched_name=names.get(found.agency_id, ""),
            score="" if found.score is None else f"{found.score:.1f}",
            candidates="; ".join(found.candidates),
        )
    write_rows(args.output, columns + ["status", "agency_id", "ori", "matched_name", "score", "candidates"], rows)
    counts = {s: sum(r["status"] == s for r in rows) for s in ("matched", "ambiguous", "unmatched")}
    console.print(", ".join(f"{n} {s}" for s, n in counts.items()) + (f" -> {args.output}" if args.output else ""))
    return 0


def cmd_classify(args) -> int:
    from rules.classify import Classifier

    columns, rows = read_csv_input(args.input, ("vendor", "description"))
    classifier = Classifier.from_csv()
    for row in rows:
        verdict = classifier.classify(row["vendor"], row["description"])
        row.update(
            is_face_recognition=verdict.is_face_recognition,
            vendor_id=verdict.vendor_id or "",
            product_id=verdict.product_id or "",
            reason=verdict.reason,
        )
    write_rows(args.output, columns + ["is_face_recognition", "vendor_id", "product_id", "reason"], rows)
    counts = {s: sum(r["is_face_recognition"] == s for r in rows) for s in ("yes", "no", "uncertain")}
    console.print(", ".join(f"{n} {s}" for s, n in counts.items()) + (f" -> {args.output}" if args.output else ""))
    return 0


CLAIM_COLUMNS = [
    "agency_id",
    "ori",
    "agency_name",
    "state",
    "vendor",
    "product",
    "status",
    "evidence_count",
    "first_date",
    "last_date",
    "source_urls",
]


def cmd_claims(args) -> int:
    con = open_database(args)
    try:
        cursor = con.execute(
            """SELECT c.agency_id, c.ori, c.agency_name, c.state, c.vendor, c.product, c.status, c.evidence_count,
                      c.first_date, c.last_date, c.source_urls
               FROM views.claims c JOIN views.status_ladder l USING (status)
               WHERE $state::VARCHAR IS NULL OR c.state = $state::VARCHAR
               ORDER BY c.state NULLS LAST, c.agency_name, l.rank, c.product""",
            {"state": args.state.upper() if args.state else None},
        )
        rows = [dict(zip(CLAIM_COLUMNS, r)) for r in cursor.fetchall()]
    finally:
        con.close()
    for row in rows:
        row["source_urls"] = row["source_urls"] or ""
    write_rows(args.output, CLAIM_COLUMNS, rows, args.format)
    return 0


def cmd_release(args) -> int:
    from datetime import date

    from ingest import release

    version = date.today().isoformat() if args.version is None else args.version
    try:
        release.check_version(version)  # before anything is written: a version names a folder and a line
    except ValueError as exc:
        console.print(f"Nothing was written. {exc}", markup=False, highlight=False)
        return 2
    database = Path(args.db) if args.db else paths.db_path()
    if not database.exists():
        console.print(f"There is no database at {database}: run `make data` first.", markup=False)
        return 1
    folder = release.write(database, Path(args.out) if args.out else paths.releases_dir(), version)
    manifest = json.loads((folder / "manifest.json").read_text())
    console.print(
        f"Release {manifest['version']} in {folder}: "
        + ", ".join(f"{n} claims {k}" for k, n in manifest["claims"].items())
        + f" (since {manifest['previous'] or 'nothing'})"
    )
    return 0


def cmd_new_source(args) -> int:
    from ingest import scaffold

    try:
        made = scaffold.create(args.name, args.platform, Path(args.file), Path(args.root) if args.root else paths.ROOT)
    except scaffold.Refused as exc:
        console.print(str(exc), markup=False, highlight=False)
        return 2
    console.print(f"Source {made.name} (platform {made.platform}) scaffolded:", markup=False)
    for path in made.files:
        console.print(f"  created {path.relative_to(made.root)}", markup=False, highlight=False)
    console.print(
        "  appended a draft row to data/sources.csv and registered the transform in ingest/transform/__init__.py",
        markup=False,
    )
    console.print(
        f"Next: fill in every TODO (the module, the sources.csv row), add a row to data/SOURCES.md, then "
        f"run .venv/bin/python -m pytest tests/test_source_{made.platform}.py tests/test_scaffold.py -q "
        "(see CONTRIBUTING.md).",
        markup=False,
        highlight=False,
    )
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the database from the bundled files in data/")
    b.add_argument("--db", help="database path (default: $WATCHDOG_DB or data/watchdog.duckdb)")
    b.set_defaults(func=cmd_build)
    run = sub.add_parser("run", help="fetch live sources into data/archive/, then rebuild the database")
    run.add_argument("source", help="all, a platform (atlas, usaspending, muckrock, socrata, file) or a source id")
    run.add_argument("--since", help="fetch records from this date (YYYY-MM-DD) instead of the saved cursor")
    run.add_argument("--base-url", help="scheme and host replacing the real one, e.g. http://127.0.0.1:8080")
    run.add_argument("--offline", action="store_true", help="fetch nothing: rebuild from the archive alone")
    run.add_argument("--file", help="file to import (source file): CSV, XLSX or JSON")
    run.add_argument("--map", help="column mapping for --file: agency=COL,state=COL,vendor=COL[,product,date,city]")
    run.add_argument("--name", help="what the imported file is (shown as its source name)")
    run.add_argument("--db")
    run.set_defaults(func=cmd_run)
    s = sub.add_parser("sources", help="list every registered source with its URL and license")
    s.set_defaults(func=cmd_sources)
    r = sub.add_parser("runs", help="list ingest runs recorded in the database")
    r.add_argument("--db")
    r.set_defaults(func=cmd_runs)
    m = sub.add_parser("match-agencies", help="match a CSV of agency names (name, state, city) to the registry")
    m.add_argument("input")
    m.add_argument("--output", help="CSV to write (default: standard output)")
    m.add_argument("--db")
    m.set_defaults(func=cmd_match_agencies)
    c = sub.add_parser("classify", help="classify procurement lines (vendor, description) as facial recognition or not")
    c.add_argument("input")
    c.add_argument("--output")
    c.set_defaults(func=cmd_classify)
    cl = sub.add_parser("claims", help="print the current claims, one row per agency and product")
    cl.add_argument("--format", choices=("csv", "json"), default="csv")
    cl.add_argument("--state", help="two-letter state code")
    cl.add_argument("--output")
    cl.add_argument("--db")
    cl.set_defaults(func=cmd_claims)
    rel = sub.add_parser("release", help="write a dated release: Parquet per table, manifest, changelog")
    rel.add_argument(
        "--version",
        help="release label (default: today's date, YYYY-MM-DD): a letter or digit, "
        "then up to 63 letters, digits, '.', '-' or '_'",
    )
    rel.add_argument("--out", help="releases folder (default: $WATCHDOG_RELEASES or releases/)")
    rel.add_argument("--db")
    rel.set_defaults(func=cmd_release)
    ns = sub.add_parser(
        "new-source",
        help="scaffold a new bundled source: platform module, transform, test, "
        "fixture and a draft row in data/sources.csv (see CONTRIBUTING.md)",
    )
    ns.add_argument("name", help="source id, e.g. eff_campus_police_2021")
    ns.add_argument("--platform", required=True, help="platform module name, e.g. eff_campus_police")
    ns.add_argument("--file", required=True, help="the dataset's CSV, already copied under data/")
    ns.add_argument("--root", help="repository to write into (default: this checkout)")
    ns.set_defaults(func=cmd_new_source)
    return p


def live_stamp(args) -> tuple[int, int] | None:
    """Which file is live (inode and modification time), to tell afterwards whether a build swapped it."""
    try:
        stat = (Path(args.db) if getattr(args, "db", None) else paths.db_path()).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    before = live_stamp(args)
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader (| head) went away: nothing is wrong
        sys.stderr.close()
        return 0
    except Exception as exc:  # a clear one-line error for the user, not a traceback
        console.print(f"[red]error:[/red] {type(exc).__name__}: {exc}")
        if args.command in ("build", "run"):
            # Said only when true: an error after the swap must not claim the old file is still live.
            console.print(
                "The live database was not changed."
                if live_stamp(args) == before
                else "The live database was replaced by the new build before this error."
            )
        return 1


if __name__ == "__main__":
    sys.exit(main())
