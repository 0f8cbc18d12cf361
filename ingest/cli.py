"""python -m ingest COMMAND: build the bundled database, fetch live sources, match and classify CSVs, print
claims, write releases, scaffold a new source and show the settings.

Results (tables, CSV, JSON) are printed; what happens on the way goes through `logging` (rich's handler in a
terminal, plain lines otherwise). A failure is told as a sentence; `--verbose` adds the details."""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import sys
import traceback
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ingest import db, paths, registry, settings

console = Console(stderr=True, soft_wrap=True)
log = logging.getLogger("ingest")


def cmd_build(args) -> int:
    from ingest.build import build_database, publish_feeds

    target = database_of(args)
    with console.status("Building the database from data/ ...") as status:
        # The archive of live responses is part of the data: a plain rebuild must not drop what `run` fetched.
        built = build_database(target, progress=lambda s: status.update(f"Loaded {s}"), archive=settings.archive_dir())
    if built.removed_leftovers:
        log.warning(
            "Removed %d file(s) left behind by builds that were killed: %s.",
            len(built.removed_leftovers),
            ", ".join(p.name for p in built.removed_leftovers),
        )
    table = Table(title=f"Built {target}")
    for column in ("source", "records read", "new", "quarantined", "notes"):
        table.add_column(column)
    for r in built.reports:
        table.add_row(r.source_id, str(r.fetched), str(r.new), str(r.rejected), "\n".join(r.notes))
    console.print(table)
    log.info("Built %s and swapped it in.", target)
    # Its own step, after the swap: it reports what it could not write and never fails the build.
    log.info("%s", publish_feeds(target).sentence())
    con = db.connect(target, read_only=True)
    try:
        counts = con.execute(
            "SELECT (SELECT count(*) FROM core.evidence), (SELECT count(DISTINCT agency_id) FROM core.evidence), "
            "(SELECT count(*) FROM core.quarantine)"
        ).fetchone()
    finally:
        con.close()
    log.info("%d evidence rows for %d agencies; %d rows in quarantine.", *counts)
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
        log.error("%d source(s) failed: %s; their last good data was kept.", len(failed), ", ".join(failed))
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
    con = open_database(args)
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


def database_of(args) -> Path:
    """--db when given, else the setting (WATCHDOG_DB, or the state directory's database)."""
    return Path(args.db) if getattr(args, "db", None) else settings.db_path()


class Told(Exception):
    """A failure already worded for the reader: printed as it is."""


def open_database(args):
    target = database_of(args)
    if not target.exists():
        raise Told(f"There is no database at {target}: run `make data` first.")
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
    log.info("%s", ", ".join(f"{n} {s}" for s, n in counts.items()) + (f" -> {args.output}" if args.output else ""))
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
    log.info("%s", ", ".join(f"{n} {s}" for s, n in counts.items()) + (f" -> {args.output}" if args.output else ""))
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
    "last_documented",  # the newest of the claim's evidence and links: how old the status is
    "source_urls",
]


def cmd_claims(args) -> int:
    con = open_database(args)
    try:
        cursor = con.execute(
            """SELECT c.agency_id, c.ori, c.agency_name, c.state, c.vendor, c.product, c.status, c.evidence_count,
                      c.first_date, c.last_date, c.last_documented, c.source_urls
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


def cmd_lookup(args) -> int:
    """The Place page's answer for typed text: the place meant (or the choices), and the agencies serving it."""
    from dashboard.lookup import lookup

    con = open_database(args)
    try:
        answer = lookup(args.text, lambda sql, params: con.execute(sql, params).df())
    finally:
        con.close()
    if args.format == "json":
        json.dump(answer.as_json(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    out = Console(highlight=False)
    out.print(answer.sentence, markup=False)
    if answer.choices and (answer.ambiguous or len(answer.choices) > 1):
        table = Table(title="Which one do you mean?" if answer.ambiguous else "Other places with this name")
        for column in ("place", "agencies", "with evidence"):
            table.add_column(column, overflow="fold")
        shown = answer.choices if answer.ambiguous else answer.choices[1:]
        for choice in shown:
            table.add_row(choice["label"], f"{choice['agencies']:,}", f"{choice['with_evidence']:,}")
        out.print(table)
    if not answer.agencies.empty:
        table = Table(title=f"Agencies, those with evidence first ({len(answer.agencies):,})")
        for column in ("agency", "state", "serves", "status", "last documented", "evidence", "id"):
            table.add_column(column, overflow="fold")
        for row in answer.as_json()["agencies"]:
            table.add_row(
                row["name"],
                row["state"] or "",
                row["serves"] or "",
                row["status"] or "no evidence on record",
                row["last_documented"] or "",
                str(row["evidence_count"]),
                row["agency_id"],
            )
        out.print(table)
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
    database = database_of(args)
    if not database.exists():
        console.print(f"There is no database at {database}: run `make data` first.", markup=False)
        return 1
    folder = release.write(database, Path(args.out) if args.out else settings.releases_dir(), version)
    manifest = json.loads((folder / "manifest.json").read_text())
    console.print(
        f"Release {manifest['version']} in {folder}: "
        + ", ".join(f"{n} claims {k}" for k, n in manifest["claims"].items())
        + f" (since {manifest['previous'] or 'nothing'})",
        markup=False,
        highlight=False,
    )
    if args.site:
        import os

        from public import site

        os.environ["WATCHDOG_DB"] = str(database)  # the query layer, which the pages read, opens this file
        baked = site.bake(folder / "site")
        console.print(f"Its public site, beside the Parquet: {baked.summary()}", markup=False, highlight=False)
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


def cmd_settings(args) -> int:
    table = Table(title="Settings (environment variables, read in ingest/settings.py)")
    table.add_column("variable", no_wrap=True)
    for column in ("value", "from", "what it sets"):
        table.add_column(column, overflow="fold")
    for row in settings.describe():
        table.add_row(*row)
    Console(highlight=False).print(table)
    return 0


def cmd_site(args) -> int:
    """Bake the public site: static pages of the map, every state, city, county and agency, search, downloads."""
    import os

    from public import site

    target = database_of(args)
    if not target.exists():
        raise Told(f"There is no database at {target}: run `make data` first.")
    os.environ["WATCHDOG_DB"] = str(target)  # the query layer, which the pages read, opens this file
    try:
        baked = site.bake(Path(args.out), dashboard=args.dashboard)
    except site.NotASite as exc:
        raise Told(str(exc)) from exc
    console.print(baked.summary(), markup=False, highlight=False)
    return 0


def cmd_brief(args) -> int:
    """The Brief page's hearing brief for a typed city, county or state, as a PDF or Markdown file."""
    import os

    target = database_of(args)
    if not target.exists():
        raise Told(f"There is no database at {target}: run `make data` first.")
    fmt = args.format or ("md" if (args.output or "").lower().endswith(".md") else "pdf")
    if fmt == "pdf" and not args.output:
        raise Told("A PDF brief needs a file to go to: add --output brief.pdf (or use --format md).")
    os.environ["WATCHDOG_DB"] = str(target)  # the dashboard's queries, which the brief reads, open this file
    from dashboard.data import query
    from dashboard.documents import brief as documents
    from dashboard.documents.jurisdiction import find

    found = find(args.place, query)
    if found.place is None:
        raise Told(found.sentence + ("" if not found.choices else " Choose one: " + "; ".join(found.choices) + "."))
    place = found.place
    brief = documents.brief_for(place)
    if fmt == "pdf":
        Path(args.output).write_bytes(documents.brief_pdf_file(place, brief))
    elif args.output:
        Path(args.output).write_text(documents.brief_markdown(brief), encoding="utf-8")
    else:
        sys.stdout.write(documents.brief_markdown(brief))
    log.info("The brief for %s is in %s.", place.label, args.output or "the output above")
    return 0


DB_HELP = "database file (default: $WATCHDOG_DB, or watchdog.duckdb in the state directory)"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    top.add_argument("-v", "--verbose", action="store_true", help="say more, and show the details of a failure")
    # Accepted after the command too (python -m ingest build --verbose); SUPPRESS keeps the top-level value.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="say more, and show the details"
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, summary: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=summary, description=summary)
        sub.set_defaults(func=func)
        return sub

    build = command("build", cmd_build, "build the database from the bundled files in data/")
    build.add_argument("--db", help=DB_HELP)

    run = command("run", cmd_run, "fetch live sources into the archive (state/archive/), then rebuild the database")
    run.add_argument("source", help="all, a platform (atlas, usaspending, muckrock, socrata, file) or a source id")
    run.add_argument("--since", metavar="YYYY-MM-DD", help="fetch records from this date instead of the saved cursor")
    run.add_argument("--base-url", help="scheme and host replacing the real one, e.g. http://127.0.0.1:8080")
    run.add_argument("--offline", action="store_true", help="fetch nothing: rebuild from the archive alone")
    run.add_argument("--file", help="file to import (source file): CSV, XLSX or JSON")
    run.add_argument("--map", help="column mapping for --file: agency=COL,state=COL,vendor=COL[,product,date,city]")
    run.add_argument("--name", help="what the imported file is (shown as its source name)")
    run.add_argument("--db", help=DB_HELP)

    command("sources", cmd_sources, "list every registered source with its URL and license")

    runs = command("runs", cmd_runs, "list the ingest runs recorded in the database")
    runs.add_argument("--db", help=DB_HELP)

    match = command(
        "match-agencies", cmd_match_agencies, "match a CSV of agency names (name, state, city) to the registry"
    )
    match.add_argument("input", help="UTF-8 CSV with a name column (state and city help)")
    match.add_argument("--output", help="CSV to write (default: standard output)")
    match.add_argument("--db", help=DB_HELP)

    classify = command(
        "classify", cmd_classify, "classify procurement lines (vendor, description) as facial recognition or not"
    )
    classify.add_argument("input", help="UTF-8 CSV with vendor and description columns")
    classify.add_argument("--output", help="CSV to write (default: standard output)")

    claims = command("claims", cmd_claims, "print the current claims, one row per agency and product")
    claims.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default: csv)")
    claims.add_argument("--state", help="only this state (two-letter code)")
    claims.add_argument("--output", help="file to write (default: standard output)")
    claims.add_argument("--db", help=DB_HELP)

    look = command(
        "lookup",
        cmd_lookup,
        "the Place page's answer for a typed place or agency: which place is meant (or the choices), "
        "and every agency that serves it, those with evidence first",
    )
    look.add_argument(
        "text", help='what a person types: "Burlington, VT", "Washington County OR", "St. Louis", "48226", "Vermont"'
    )
    look.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    look.add_argument("--db", help=DB_HELP)

    release = command("release", cmd_release, "write a dated release: Parquet per table, manifest, changelog")
    release.add_argument(
        "--version",
        help="release label (default: today's date, YYYY-MM-DD): a letter or digit, "
        "then up to 63 letters, digits, '.', '-' or '_'",
    )
    release.add_argument(
        "--out", help="releases folder (default: $WATCHDOG_RELEASES, or releases/ in the state directory)"
    )
    release.add_argument("--db", help=DB_HELP)
    release.add_argument(
        "--site", action="store_true", help="also bake the public site into the release's site/ folder (ingest site)"
    )

    new_source = command(
        "new-source",
        cmd_new_source,
        "scaffold a new bundled source: platform module, transform, test, "
        "fixture and a draft row in data/sources.csv (see CONTRIBUTING.md)",
    )
    new_source.add_argument("name", help="source id, e.g. eff_campus_police_2021")
    new_source.add_argument("--platform", required=True, help="platform module name, e.g. eff_campus_police")
    new_source.add_argument("--file", required=True, help="the dataset's CSV, already copied under data/")
    new_source.add_argument("--root", help="repository to write into (default: this checkout)")

    brief = command(
        "brief",
        cmd_brief,
        "write the hearing brief of a city, county or state (the Brief page's, every line cited) as PDF or Markdown",
    )
    brief.add_argument("place", help='a city, county or state in any state: "Miami-Dade", "Springfield, IL", "FL"')
    brief.add_argument("--output", help="file to write: .pdf or .md (Markdown goes to standard output without it)")
    brief.add_argument(
        "--format", choices=("pdf", "md"), help="pdf or md (default: from --output's extension, else pdf)"
    )
    brief.add_argument("--db", help=DB_HELP)

    site = command(
        "site",
        cmd_site,
        "bake the public site (static HTML: the map, every state, city, county and agency, search, downloads) "
        "into a folder any static host can serve",
    )
    site.add_argument("--out", required=True, help="folder to write (replaced whole if it holds a site baked before)")
    site.add_argument(
        "--dashboard", help="URL of the dashboard its pages link to (default: $WATCHDOG_DASHBOARD_URL or the local one)"
    )
    site.add_argument("--db", help=DB_HELP)

    command("settings", cmd_settings, "print every setting, its value and where the value comes from")
    return top


def live_stamp(args) -> tuple[int, int] | None:
    """Which file is live (inode and modification time), to tell afterwards whether a build swapped it."""
    try:
        stat = database_of(args).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def setup_logging(verbose: bool) -> None:
    """The ingest logger only: httpx and others log every request URL at INFO, which is not ours to print."""
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        handler: logging.Handler = RichHandler(console=console, show_time=False, show_path=False, markup=False)
    else:
        # Piped or captured: one plain line per message, which a log file or a test can read whole.
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.DEBUG if verbose else logging.INFO)
    log.propagate = False


def sentence_for(exc: BaseException, command: str) -> str:
    """A failure as the reader should hear it: the program's own sentences as they are, a file the system
    refused with its reason, and anything else as what it is, a fault of this program, never a class name."""
    import duckdb

    from ingest.http import scrub

    if isinstance(exc, Told | ValueError) and str(exc):
        text = str(exc)
    elif isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        text = f"The system refused a file{where}: {exc.strerror.lower()}"
    elif isinstance(exc, duckdb.Error):
        # DuckDB starts its messages with its own error class ("IO Error: ..."): the reason is what follows.
        reason = re.sub(r"^[A-Za-z ]*Error: ", "", (str(exc).splitlines() or ["no reason given"])[0])
        text = f"The database could not be read or written: {reason}"
    else:
        text = (
            f"The {command} command stopped on an unexpected problem inside the program. "
            "Run it again with --verbose to see the details, and please report them"
        )
    text = scrub(text.strip())
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    setup_logging(args.verbose)
    before = live_stamp(args)
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader (| head) went away: nothing is wrong
        sys.stderr.close()
        return 0
    except Exception as exc:  # a sentence for the reader; the traceback only when asked for
        from ingest.http import scrub

        log.debug("What went wrong, in detail:\n%s", scrub(traceback.format_exc()))
        console.print(sentence_for(exc, args.command), markup=False, highlight=False)
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
