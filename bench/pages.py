"""Page loads in a real browser: the baked public site against Datasette, the dashboard against a bare Streamlit app.

Four systems serve the same data on 127.0.0.1, each in its own process, in the same run:
- the static site baked by `python -m ingest site`, served by `python -m http.server`;
- Datasette over the same rows (the served tables exported to a SQLite file): the peer for the static pages;
- the dashboard (`streamlit run dashboard/app.py`);
- a bare Streamlit app with a page of each kind and none of our code (bench/bare/): the floor for the dashboard.

Debian chromium (playwright) loads every page N times, interleaved (one load of each page, then the next round),
each load in a fresh browser context (no cache, a new Streamlit session). A load ends when the page is usable:
the browser's load event for static pages and Datasette; for Streamlit, the script has run to its end
(data-test-script-state="notRunning") and, on a map page, the chart (or the front page's map picture) is drawn. Requests to any other host are
counted (the browser refuses them all, so they would show as failures, not as time).

Targets (issue #17): a static page's p50 at most Datasette's for the same rows; a dashboard page's p50 at most 1.3
times the bare page of its kind. Figures, never assertions: the machine is shared and noisy.

Usage: python -m bench.pages [--db PATH] [--loads 9] [--write]
Prints Markdown table rows (lines starting with "|"); --write puts them in bench/RESULTS.md's "Page loads"
section (replacing the previous one).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bench.server_memory import stop
from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHART = ".js-plotly-plot .main-svg"
PICTURE = ".map-frame img.map"  # the front page's map: the public site's picture, with a link on every dot
# The dashboard's front page is the public front page (its map a picture); its Map page with filters is measured
# too, against the same bare map page.
FLOOR = {"map filters": "map"}
AGENCY = "FL0130600"  # Miami Police Department
SECTION = "## Page loads"

# Datasette's copy: the tables the public pages show (list columns as text; SQLite has no lists).
EXPORTS = {
    "agency_map": "SELECT * FROM served.agency_map",
    "claims": "SELECT * FROM served.claims",
    "evidence": "SELECT * EXCLUDE (years) FROM served.evidence",
    "evidence_links": "SELECT * FROM views.evidence_links",
}


# ------------------------------------------------------------------------------------------ the servers


def wait_until_up(url: str, proc: subprocess.Popen, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer within {seconds:.0f} s")


@contextlib.contextmanager
def serve(command: list[str], probe: str, what: str, env: dict | None = None) -> Iterator[None]:
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(probe, proc, what)
        yield
    finally:
        stop(proc)


def streamlit(script: str, port: int, db: Path):
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    return serve(
        command, f"http://127.0.0.1:{port}/_stcore/health", f"streamlit {script}", dict(os.environ, WATCHDOG_DB=str(db))
    )


def export_sqlite(db: Path, target: Path) -> None:
    """The served tables as a SQLite file for Datasette, the same rows the public pages show."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    out = sqlite3.connect(target)
    try:
        for table, sql in EXPORTS.items():
            frame = con.execute(sql).df()
            for column in frame.columns:  # dates and timestamps as ISO text, as Datasette shows them
                if str(frame[column].dtype).startswith(("datetime", "date")):
                    frame[column] = frame[column].astype(str)
            frame.to_sql(table, out, index=False)
        out.execute("CREATE INDEX agency_map_state ON agency_map (state, city)")
        out.execute("CREATE INDEX evidence_agency ON evidence (agency_id)")
        out.commit()
    finally:
        out.close()
        con.close()


def bake(db: Path, out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "ingest", "site", "--out", str(out), "--db", str(db)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


# ------------------------------------------------------------------------------------------ the loads


def pages(static: str, datasette: str, dashboard: str, bare: str) -> list[tuple[str, str, str, str]]:
    """(system, page, URL, how to know it loaded), in the order each round loads them."""
    return [
        ("static site", "map", f"{static}/index.html", "load"),
        ("static site", "state", f"{static}/state/FL.html", "load"),
        ("static site", "place", f"{static}/place/FL/miami.html", "load"),
        ("static site", "agency", f"{static}/agency/{AGENCY}.html", "load"),
        ("Datasette", "map", f"{datasette}/site/agency_map", "load"),
        ("Datasette", "state", f"{datasette}/site/agency_map?state=FL", "load"),
        ("Datasette", "place", f"{datasette}/site/agency_map?state=FL&city=Miami", "load"),
        ("Datasette", "agency", f"{datasette}/site/evidence?agency_id={AGENCY}", "load"),
        ("dashboard", "map", f"{dashboard}/", "picture"),
        ("dashboard", "map filters", f"{dashboard}/map?state=FL", "chart"),
        ("dashboard", "place", f"{dashboard}/place?q=Miami", "script"),
        ("dashboard", "agency", f"{dashboard}/agency?agency={AGENCY}", "script"),
        ("dashboard", "brief", f"{dashboard}/brief?state=FL", "script"),
        ("bare Streamlit", "map", f"{bare}/map", "chart"),
        ("bare Streamlit", "place", f"{bare}/place?q=Miami", "script"),
        ("bare Streamlit", "agency", f"{bare}/agency", "script"),
        ("bare Streamlit", "brief", f"{bare}/brief", "script"),
    ]


def load_once(browser, url: str, until: str) -> tuple[float, list[str]]:
    """Milliseconds from navigation to usable, in a fresh context; and the requests to any other host."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    own = urlsplit(url).netloc
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if urlsplit(r.url).netloc != own else None)
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="load", timeout=120_000)
        if until in ("script", "chart", "picture"):
            page.wait_for_selector(IDLE, timeout=120_000)
        if until in ("chart", "picture"):
            page.wait_for_selector(CHART if until == "chart" else PICTURE, timeout=120_000)
        return (time.perf_counter() - start) * 1000, elsewhere
    finally:
        context.close()


def measure(loads: int, urls: list[tuple[str, str, str, str]]) -> dict[tuple[str, str], dict]:
    from playwright.sync_api import sync_playwright

    times: dict[tuple[str, str], list[float]] = {(s, p): [] for s, p, _, _ in urls}
    outside: dict[tuple[str, str], set[str]] = {(s, p): set() for s, p, _, _ in urls}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for _, _, url, until in urls:  # one warm-up each: servers' first import, caches on disk
                load_once(browser, url, until)
            for _ in range(loads):
                for system, page, url, until in urls:
                    ms, elsewhere = load_once(browser, url, until)
                    times[(system, page)].append(ms)
                    outside[(system, page)].update(elsewhere)
        finally:
            browser.close()
    return {key: {"times": times[key], "outside": outside[key]} for key in times}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rows(figures: dict, loads: int) -> list[str]:
    p50 = {k: statistics.median(v["times"]) for k, v in figures.items()}
    out = []
    for (system, page), found in figures.items():
        p95 = percentile(found["times"], 0.95)
        if system == "static site":
            peer = p50[("Datasette", page)]
            note = f"Datasette, same rows: p50 {peer:.0f} ms; ratio {p50[(system, page)] / peer:.2f} (target <= 1)"
        elif system == "dashboard":
            floor = p50[("bare Streamlit", FLOOR.get(page, page))]
            note = f"bare Streamlit {FLOOR.get(page, page)} page: p50 {floor:.0f} ms; ratio {p50[(system, page)] / floor:.2f} (target <= 1.3)"
        else:
            note = "the peer" if system == "Datasette" else "the floor"
        elsewhere = len(found["outside"])
        note += f"; requests to other hosts: {elsewhere}"
        out.append(
            f"| page load ({system}) | {page}: {loads} loads, fresh browser context each, interleaved | "
            f"p50 {p50[(system, page)]:.0f} ms, p95 {p95:.0f} ms | {note} |"
        )
    return out


def write_section(title: str, lines: list[str], intro: str) -> None:
    """Put a section in bench/RESULTS.md, replacing the previous one of that title (make bench writes the rest)."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    head, _, rest = text.partition(f"\n{title}\n")
    tail = rest.partition("\n## ")[2]
    section = f"\n{title}\n\n{intro}\n\n| benchmark | workload | figure | notes |\n|---|---|---|---|\n" + "\n".join(
        lines
    )
    RESULTS.write_text(head.rstrip("\n") + "\n" + section + "\n" + (f"\n## {tail}" if tail else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database to serve (default: $WATCHDOG_DB or the state directory's)")
    parser.add_argument("--loads", type=int, default=9, help="timed loads of each page (after one warm-up)")
    parser.add_argument("--write", action="store_true", help="write the rows to bench/RESULTS.md")
    args, _ = parser.parse_known_args()  # bench.run hands every benchmark the same arguments
    from ingest import settings

    db = Path(args.db) if args.db else settings.db_path()
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        bake(db, work / "site")
        export_sqlite(db, work / "site.db")
        ports = [free_port() for _ in range(4)]
        static, datasette, dashboard, bare = (f"http://127.0.0.1:{p}" for p in ports)
        datasette_bin = Path(sys.executable).parent / "datasette"
        with contextlib.ExitStack() as stack:
            stack.enter_context(
                serve(
                    [sys.executable, "-m", "http.server", str(ports[0]), "--bind", "127.0.0.1"]
                    + ["--directory", str(work / "site")],
                    f"{static}/index.html",
                    "http.server",
                )
            )
            stack.enter_context(
                serve(
                    [str(datasette_bin), "serve", str(work / "site.db"), "-h", "127.0.0.1", "-p", str(ports[1])],
                    f"{datasette}/site",
                    "datasette",
                )
            )
            stack.enter_context(streamlit("dashboard/app.py", ports[2], db))
            stack.enter_context(streamlit("bench/bare/app.py", ports[3], db))
            figures = measure(args.loads, pages(static, datasette, dashboard, bare))
        lines = rows(figures, args.loads)
        for line in lines:
            print(line, flush=True)
        if args.write:
            write_section(
                SECTION,
                lines,
                f"bench/pages.py, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: the bundled database, "
                "all four systems on this machine in the same run.",
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
