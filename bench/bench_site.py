"""How long `python -m ingest site` takes to bake the public site, and how big the site is on disk.

Bakes the bundled database and SYNTHETIC databases (bench/synthetic.py: 20,000 invented agencies with coordinates
in their states, and N Atlas-format evidence rows), each by the real command in its own process, and prints the
seconds, the pages by kind, the size on disk, and the process's peak memory. Targets (issue #17): at most 30 s
for the bundled data, at most 10 minutes for 1,000,000 SYNTHETIC rows.

Usage: python -m bench.bench_site [--db PATH] [--scales 1000000] [--keep DIR] [--write]
Prints Markdown table rows (lines starting with "|"); --write puts them in bench/RESULTS.md's "Public site bake"
section. --keep reuses (and keeps) SYNTHETIC databases in DIR/synthetic-N/, as bench_scale --keep leaves them.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.pages import write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Public site bake"
DEFAULT_SCALES = "1000000"


def bake(db: Path, out: Path) -> dict:
    """One bake by the real command, timed from outside; its own summary line says what it wrote."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ingest", "site", "--out", str(out), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"the bake failed: {(done.stdout + done.stderr)[-2000:]}")
    summary = " ".join((done.stdout + done.stderr).split())
    pages = re.search(r"Baked ([\d,]+) pages \(([^)]*)\)", summary)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    files = sum(1 for p in out.rglob("*") if p.is_file())
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {
        "seconds": seconds,
        "pages": pages.group(1) if pages else "?",
        "kinds": pages.group(2) if pages else summary[-200:],
        "bytes": size,
        "files": files,
        "peak": peak,
    }


def row(label: str, workload: str, target: str, figures: dict) -> str:
    return (
        f"| public site bake ({label}) | {workload}: {figures['pages']} pages ({figures['kinds']}) | "
        f"{figures['seconds']:.1f} s, {figures['bytes'] / 1e6:,.0f} MB on disk in {figures['files']:,} files | "
        f"{target}; peak memory of the largest bake so far {figures['peak'] / 1e6:,.0f} MB |"
    )


def synthetic_db(rows: int, keep: Path | None) -> tuple[Path, Path | None]:
    from bench import synthetic

    folder = keep / f"synthetic-{rows}" if keep else Path(tempfile.mkdtemp(prefix=f"SYNTHETIC-site-{rows}-"))
    db = folder / "SYNTHETIC_watchdog.duckdb"
    if not db.exists():
        started = time.perf_counter()
        synthetic.build(rows, folder)
        print(f"built SYNTHETIC {rows:,} rows in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return db, None if keep else folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="the bundled database (default: $WATCHDOG_DB or the state directory's)")
    parser.add_argument("--scales", default=DEFAULT_SCALES, help=f"SYNTHETIC row counts (default {DEFAULT_SCALES})")
    parser.add_argument("--keep", help="keep (and reuse) the SYNTHETIC databases in this folder")
    parser.add_argument("--write", action="store_true", help="write the rows to bench/RESULTS.md")
    args, _ = parser.parse_known_args()  # bench.run hands every benchmark the same arguments
    from ingest import settings

    lines = []
    work = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        bundled = Path(args.db) if args.db else settings.db_path()
        lines.append(row("bundled data", "the bundled database", "target <= 30 s", bake(bundled, work / "bundled")))
        print(lines[-1], flush=True)
        shutil.rmtree(work / "bundled", ignore_errors=True)
        for rows in (int(s) for s in args.scales.split(",") if s.strip()):
            db, scratch = synthetic_db(rows, Path(args.keep) if args.keep else None)
            try:
                target = "target <= 600 s at 1,000,000 rows"
                lines.append(row(f"SYNTHETIC, {rows:,} rows", "20,000 agencies", target, bake(db, work / str(rows))))
                print(lines[-1], flush=True)
            finally:
                shutil.rmtree(work / str(rows), ignore_errors=True)
                if scratch:
                    shutil.rmtree(scratch, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.write:
        write_section(
            SECTION,
            lines,
            f"bench/bench_site.py, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: `python -m ingest site` "
            "timed from outside, one run each.",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
