"""Scale on SYNTHETIC data: build throughput, dashboard query latency and peak memory.

For each scale (evidence rows over 20,000 SYNTHETIC agencies, see bench/synthetic.py):
- build: the real `ingest.build.build`, timed step by step. Raw -> core is the Atlas file's load into raw
  plus its transform into core tables, in evidence rows per second, and its ratio to DuckDB's bare
  `read_csv` of the same file into a table in the same run (the ceiling on this machine; target >= 0.5).
  The whole build (registry, places, views, served tables, the final write) is printed beside it;
- queries: the dashboard's own functions (dashboard/queries.py) in a fresh process, as a page runs them,
  p50 and p95 over repeated calls after one warm-up call (target p95 <= 100 ms at 1,000,000 rows);
- memory: that process's peak RSS (target <= 1 GB at 1,000,000 rows).

Usage: python -m bench.bench_scale [--scales 10000,100000,1000000] [--repeat 15] [--keep DIR]
Prints Markdown table rows (lines starting with "|").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SCALES = "10000,100000,1000000"


def build_once(rows: int, folder: Path) -> dict:
    import duckdb

    from bench import synthetic
    from ingest import build as build_module
    from ingest import registry

    started = time.perf_counter()
    sources_csv, atlas = synthetic.generate(rows, folder)
    generated = time.perf_counter() - started
    # The build reads data/sources.csv; point it at the SYNTHETIC registry instead (this process only).
    real_load = registry.load
    registry.load = lambda path=None: real_load(sources_csv)
    db = folder / "SYNTHETIC_watchdog.duckdb"
    steps: dict[str, float] = {}
    atlas_steps: dict[str, float] = {}
    load_before = os.getloadavg()[0]
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    try:
        with timed_steps(steps), timed_atlas_steps(atlas_steps):
            synthetic.use_own_state(folder)
            build_module.build(db, data_dir=folder)
    finally:
        registry.load = real_load
    built = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    load_after = os.getloadavg()[0]

    # The ceiling: DuckDB reading the same file with the same CSV options into a table, nothing else.
    (folder / "SYNTHETIC_ceiling.duckdb").unlink(missing_ok=True)  # a kept folder (--keep) holds the last run's
    con = duckdb.connect(str(folder / "SYNTHETIC_ceiling.duckdb"))
    started = time.perf_counter()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true, header = true, delim = ',', "
        "quote = '\"', escape = '\"', strict_mode = true, null_padding = false)",
        [str(atlas)],
    )
    bare = time.perf_counter() - started
    con.close()
    written = write_core_rows(db, folder / "SYNTHETIC_floor.duckdb")
    check = duckdb.connect(str(db), read_only=True)
    evidence = check.execute("SELECT count(*) FROM core.evidence WHERE source_id = 'synthetic_atlas'").fetchone()[0]
    check.close()
    return {
        "rows": rows,
        "evidence": evidence,
        "generated_s": generated,
        "build_s": built,
        "read_csv_s": bare,
        "write_s": written,
        "file_mb": atlas.stat().st_size / 1e6,
        "db": str(db),
        "steps": steps,
        "atlas_steps": atlas_steps,
        "cpu_s": cpu,
        "load": (load_before, load_after),
    }


def cpu_seconds() -> float:
    """CPU seconds of this process and of the children it has waited for (the rules' forked processes), user and
    system: on a shared machine, what the build itself spent, however long it waited for a core."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def write_core_rows(db: Path, out: Path) -> float:
    """Seconds to write the build's finished evidence and evidence links into a fresh file, in tables made by
    the same DDL (keys included): what any build that stores these rows must spend, with nothing to work out."""
    import duckdb

    out.unlink(missing_ok=True)  # a fresh file, also in a kept folder (--keep)
    con = duckdb.connect(str(out))
    con.execute("ATTACH ? AS built (READ_ONLY)", [str(db)])
    con.execute("CREATE SCHEMA core")
    for (ddl,) in con.execute(
        "SELECT sql FROM duckdb_tables() WHERE database_name = 'built' AND schema_name = 'core' "
        "AND table_name IN ('evidence', 'evidence_links') ORDER BY table_name"
    ).fetchall():
        con.execute(ddl)
    started = time.perf_counter()
    con.execute("INSERT INTO core.evidence SELECT * FROM built.core.evidence")
    con.execute("INSERT INTO core.evidence_links SELECT * FROM built.core.evidence_links")
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def timing(steps: dict[str, float], label, function):
    """`function`, adding its seconds to steps[label] at each call (`label` may be a function of its arguments)."""

    def run(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            name = label(args) if callable(label) else label
            steps[name] = steps.get(name, 0.0) + time.perf_counter() - started

    return run


@contextlib.contextmanager
def timed_steps(steps: dict[str, float]):
    """Time each source's load and each transform of the build, into `steps` (seconds by step)."""
    from ingest import build as build_module
    from ingest import transform

    originals = [(build_module, "load_source", build_module.load_source), *((m, "run", m.run) for m in transform.ORDER)]
    build_module.load_source = timing(steps, lambda args: "load " + args[1].source_id, build_module.load_source)
    for module in transform.ORDER:
        module.run = timing(steps, "transform " + module.__name__.rsplit(".", 1)[-1], module.run)
    try:
        yield steps
    finally:
        for owner, attribute, original in originals:
            setattr(owner, attribute, original)


# The Atlas transform's steps, in the order its run() calls them (ingest/transform/atlas.py).
ATLAS_STEPS = (
    "rows",
    "read_dates",
    "links",
    "quarantine",
    "place",
    "vendors",
    "named",
    "evidence",
    "kinds",
    "summaries",
    "insert_agencies",
    "insert_vendors",
    "insert_evidence",
    "insert_disagreements",
    "insert_links",
    "insert_aliases",
)


@contextlib.contextmanager
def timed_atlas_steps(steps: dict[str, float]):
    """Time each step of the Atlas transform, into `steps` (seconds by step): run() calls them by name."""
    from ingest.transform import atlas

    originals = {name: getattr(atlas, name) for name in ATLAS_STEPS}
    for name, function in originals.items():
        setattr(atlas, name, timing(steps, name, function))
    try:
        yield steps
    finally:
        for name, function in originals.items():
            setattr(atlas, name, function)


def query_workload(db: str, repeat: int) -> dict:
    """Run in a fresh process: the dashboard's queries against `db`; timings and peak RSS."""
    os.environ["WATCHDOG_DB"] = db
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime" warnings outside `streamlit run`
    from dashboard import queries
    from dashboard.lookup import gazetteer, lookup

    # The inputs, read from the build's stored tables (the same answers as views.claims and views.evidence),
    # so that picking them does not count towards this process's memory.
    busiest = queries.query("SELECT agency_id FROM served.agency_map ORDER BY evidence_count DESC, agency_id LIMIT 1")
    typical = queries.query(
        "SELECT agency_id FROM served.agency_map ORDER BY evidence_count, agency_id "
        "LIMIT 1 OFFSET (SELECT count(*) / 2 FROM served.agency_map)"
    )
    top, mid = busiest["agency_id"].iloc[0], typical["agency_id"].iloc[0]
    vendor = queries.query("SELECT vendor FROM served.evidence GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")[
        "vendor"
    ].iloc[0]
    filtered = queries.Filters(states=["TX"], vendors=[vendor], year_from=2018)
    record = int(
        queries.query("SELECT min(raw_record_id) AS r FROM served.evidence WHERE agency_id = $a", {"a": top})["r"].iloc[
            0
        ]
    )
    places = gazetteer(queries.query)
    workload = {
        "map_agencies (no filter)": lambda: queries.map_agencies(queries.Filters()),
        "map_agencies (state+vendor+year)": lambda: queries.map_agencies(filtered),
        # A filter with no state: every agency's evidence is grouped again (the hardest map to answer).
        "map_agencies (one status, all states)": lambda: queries.map_agencies(queries.Filters(statuses=["used"])),
        "headline (no filter)": lambda: queries.headline(queries.Filters()),
        # The page reads the place lists once per database file (its cached gazetteer), then answers from them.
        "place lookup ('Synthetic Town 123'), warm": lambda: (
            lookup("Synthetic Town 123", queries.query, places).agencies
        ),
        "agency + agency_evidence (typical)": lambda: (queries.agency(mid), queries.agency_evidence(mid)),
        "agency + agency_evidence (busiest)": lambda: (queries.agency(top), queries.agency_evidence(top)),
        "claims_export (state TX)": lambda: queries.claims_export(queries.Filters(states=["TX"])),
        # The last link of every citation: the raw record, its JSON and sha256 worked out as it is read.
        "raw_record (a busy agency's first evidence)": lambda: [queries.raw_record(record)],
    }
    out = {}
    for name, run in workload.items():
        run()  # warm-up: opens the connection, fills DuckDB's caches
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = run()
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        size = len(result) if hasattr(result, "__len__") and not isinstance(result, tuple) else len(result[1])
        out[name] = {
            "p50": statistics.median(times),
            "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "rows": size,
        }
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM starts afresh at exec; ru_maxrss does not: after
    fork and exec it still holds the parent's size at the fork (here the builder's, gigabytes at 1M rows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", default=DEFAULT_SCALES, help=f"comma-separated row counts (default {DEFAULT_SCALES})"
    )
    parser.add_argument("--repeat", type=int, default=15, help="timed calls per query (after one warm-up)")
    parser.add_argument("--keep", help="keep the SYNTHETIC files and databases in this folder")
    parser.add_argument("--queries", help=argparse.SUPPRESS)  # internal: run the query workload on this db
    args, _ = parser.parse_known_args()  # bench/run.py passes its own arguments through
    if args.queries:
        print(json.dumps(query_workload(args.queries, args.repeat)))
        return
    for rows in (int(s) for s in args.scales.split(",") if s.strip()):
        folder = (
            Path(args.keep) / f"synthetic-{rows}" if args.keep else Path(tempfile.mkdtemp(prefix=f"SYNTHETIC-{rows}-"))
        )
        try:
            b = build_once(rows, folder)
            ceiling = rows / b["read_csv_s"]
            # The target's measure: the evidence file from raw to core tables (its load and its transform).
            core_s = b["steps"].get("load synthetic_atlas", 0.0) + b["steps"].get("transform atlas", 0.0)
            rate = b["evidence"] / core_s
            print(
                f"| build, raw -> core (SYNTHETIC, {rows:,} rows) | Atlas-format CSV ({b['file_mb']:.0f} MB) loaded "
                f"into raw and turned into core evidence (load synthetic_atlas + transform atlas) | {rate:,.0f} "
                f"evidence rows/s ({core_s:.1f} s) | bare read_csv {ceiling:,.0f} rows/s ({b['read_csv_s']:.2f} s): "
                f"ratio {rate / ceiling:.3f} (target >= 0.5) |",
                flush=True,
            )
            # This design's own ceiling: the load into raw plus writing the finished rows, with no work between.
            floor_s = b["steps"].get("load synthetic_atlas", 0.0) + b["write_s"]
            print(
                f"| build floor (SYNTHETIC, {rows:,} rows) | the least raw -> core can take while core stores the "
                f"evidence text: the load into raw plus writing the finished evidence and links rows into a fresh "
                f"file (no placing, classifying or linking) | {floor_s:.1f} s (writing {b['write_s']:.1f} s) "
                f"| best ratio this design can reach: {b['read_csv_s'] / floor_s:.3f} |",
                flush=True,
            )
            whole = b["evidence"] / b["build_s"]
            print(
                f"| build, whole (SYNTHETIC, {rows:,} rows) | the same plus the 20,000-agency registry, places, "
                f"views and served tables, written and swapped in | {whole:,.0f} evidence rows/s ({b['build_s']:.1f} s) "
                f"| ratio to bare read_csv {whole / ceiling:.3f}; CPU {b['cpu_s']:.1f} s (user and system, "
                f"forked rules included); load average {b['load'][0]:.1f} before, {b['load'][1]:.1f} after |",
                flush=True,
            )
            top = sorted(b["steps"].items(), key=lambda kv: -kv[1])[:5]
            rest = b["build_s"] - sum(b["steps"].values())
            print(
                f"| build steps (SYNTHETIC, {rows:,} rows) | the slowest steps of the build above | "
                + "; ".join(f"{name} {seconds:.1f} s" for name, seconds in top)
                + f" | other steps and the final write: {rest:.1f} s |",
                flush=True,
            )
            print(
                f"| Atlas transform steps (SYNTHETIC, {rows:,} rows) | named, kinds and summaries run the Python rules "
                f"over distinct values; the rest is SQL | "
                + "; ".join(
                    f"{name} {b['atlas_steps'][name]:.1f} s" for name in ATLAS_STEPS if name in b["atlas_steps"]
                )
                + " | |",
                flush=True,
            )
            proc = subprocess.run(
                [sys.executable, "-m", "bench.bench_scale", "--queries", b["db"], "--repeat", str(args.repeat)],
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                raise RuntimeError(proc.stderr)
            q = json.loads(proc.stdout.strip().splitlines()[-1])
            for name, t in q.items():
                if name == "peak_rss_mb":
                    continue
                print(
                    f"| dashboard query (SYNTHETIC, {rows:,} rows) | {name} -> {t['rows']:,} rows "
                    f"| p50 {t['p50']:.0f} ms, p95 {t['p95']:.0f} ms | {args.repeat} calls after a warm-up; "
                    f"target p95 <= 100 ms at 1M |",
                    flush=True,
                )
            print(
                f"| peak memory (SYNTHETIC, {rows:,} rows) | the process running the dashboard queries above "
                f"| {q['peak_rss_mb']:,.0f} MB RSS | target <= 1 GB at 1M |",
                flush=True,
            )
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
