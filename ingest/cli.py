"""python -m ingest COMMAND: build the bundled database, list sources and runs."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ingest import db, paths, registry

console = Console(stderr=True)


def cmd_build(args) -> int:
    from ingest.build import build

    target = Path(args.db) if args.db else paths.db_path()
    with console.status("Building the database from data/ ...") as status:
        reports = build(target, progress=lambda s: status.update(f"Loaded {s}"))
    table = Table(title=f"Built {target}")
    for column in ("source", "records read", "new", "quarantined", "notes"):
        table.add_column(column)
    for r in reports:
        table.add_row(r.source_id, str(r.fetched), str(r.new), str(r.rejected), "\n".join(r.notes))
    console.print(table)
    con = db.connect(target, read_only=True)
    try:
        counts = con.execute(
            "SELECT (SELECT count(*) FROM core.evidence), (SELECT count(DISTINCT agency_id) FROM core.evidence), "
            "(SELECT count(*) FROM core.quarantine)").fetchone()
    finally:
        con.close()
    console.print(f"{counts[0]} evidence rows for {counts[1]} agencies; {counts[2]} rows in quarantine.")
    return 0


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
        rows = con.execute("SELECT run_id, source_id, started_at, finished_at, status, fetched, new, rejected, "
                           "coalesce(error, '') FROM meta.ingest_runs ORDER BY run_id").fetchall()
    finally:
        con.close()
    table = Table(title="Ingest runs")
    for column in ("run", "source", "started", "finished", "status", "read", "new", "quarantined", "error"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(str(v) for v in row))
    Console().print(table)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the database from the bundled files in data/")
    b.add_argument("--db", help="database path (default: $WATCHDOG_DB or data/watchdog.duckdb)")
    b.set_defaults(func=cmd_build)
    s = sub.add_parser("sources", help="list every registered source with its URL and license")
    s.set_defaults(func=cmd_sources)
    r = sub.add_parser("runs", help="list ingest runs recorded in the database")
    r.add_argument("--db")
    r.set_defaults(func=cmd_runs)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except Exception as exc:  # a clear one-line error for the user; the live database is untouched
        console.print(f"[red]error:[/red] {type(exc).__name__}: {exc}")
        console.print("The live database was not changed.")
        return 1


if __name__ == "__main__":
    sys.exit(main())
