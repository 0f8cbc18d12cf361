"""The Streamlit server's own memory under visitors, on SYNTHETIC data.

For each scale: the SYNTHETIC database (bench/synthetic.py) served by `streamlit run dashboard/app.py` on
127.0.0.1, and the map page (unfiltered: the heaviest load) opened 20 times by 5 concurrent browser sessions
(Debian chromium through playwright, every host but ours refused), in 4 rounds of 5. After the 5th and the
20th load: VmRSS (now) and VmHWM (peak) of the server process itself, read from /proc/<pid>/status.
Target: VmHWM <= 1 GB at 1,000,000 rows, and no growth of VmRSS from the 5th to the 20th load (a page that
kept a frame per visit would grow by that frame at every load: Streamlit keeps a closed tab's session for
server.disconnectedSessionTTL, 120 s by default, so all 20 visits are alive at the 20th).

Usage: python -m bench.server_memory [--scales 100000,1000000] [--keep DIR] [--db PATH] [--app-root DIR] [--rounds 4]
Prints Markdown table rows (lines starting with "|"). --db measures an existing database instead of building;
--app-root serves another checkout's dashboard/ (to compare with an older version).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

# The browser the tests use, kept off every host but ours (bench runs with the dev tools, as make bench installs).
from tests.browser import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCALES = "100000,1000000"
SESSIONS, ROUNDS = 5, 4
LOADED = "Evidence with provenance CSV"  # the map page's last element: the script got to its end
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
GB = 1024**3


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of one process, in bytes (the kernel's own accounting of that process, not its children)."""
    figures = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                figures[name] = int(value.split()[0]) * 1024
    return figures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, app_root: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run` in its own process (the one measured), answering on 127.0.0.1 only."""
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboard/app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=app_root,
            env=dict(os.environ, WATCHDOG_DB=str(db)),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/_stcore/health", timeout=2).text.strip() == "ok":
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    else:
        stop(proc)
        raise RuntimeError(f"streamlit not healthy after 120 s:\n{log.read_text()[-3000:]}")
    cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
    if b"streamlit" not in cmdline:  # measure the server, never a wrapper around it
        raise RuntimeError(f"process {proc.pid} is not the streamlit server: {cmdline}")
    return proc, base


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


async def load(page, url: str) -> None:
    """One visit: the map page from scratch (a new Streamlit session), until its script has run to the end."""
    await page.goto(url, timeout=600_000)
    await page.get_by_role("button", name=LOADED).first.wait_for(timeout=600_000)
    await page.wait_for_selector(IDLE, timeout=600_000)
    if await page.locator(".stException").count():
        raise RuntimeError(f"the page shows an error: {await page.locator('.stException').first.inner_text()}")


async def visits(base: str, pid: int, rounds: int = ROUNDS) -> list[dict]:
    """5 browser sessions, `rounds` rounds in which each loads the map at once; the server's memory after each."""
    from playwright.async_api import async_playwright

    figures = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pages = [
                await (await browser.new_context(viewport={"width": 1400, "height": 1000})).new_page()
                for _ in range(SESSIONS)
            ]
            for round_ in range(1, rounds + 1):
                started = time.perf_counter()
                await asyncio.gather(*(load(page, f"{base}/map") for page in pages))
                await asyncio.sleep(2)  # let the runs' clean-up (orphaned media files, garbage) happen
                figures.append({"loads": round_ * SESSIONS, "seconds": time.perf_counter() - started, **memory(pid)})
                print(
                    f"after {figures[-1]['loads']} loads: RSS {mb(figures[-1]['VmRSS'])}, "
                    f"peak {mb(figures[-1]['VmHWM'])}",
                    file=sys.stderr,
                    flush=True,
                )
        finally:
            await browser.close()
    return figures


def measure(db: Path, app_root: Path, folder: Path, rounds: int = ROUNDS) -> tuple[dict, list[dict]]:
    proc, base = start_server(db, app_root, folder / "streamlit.log")
    try:
        started = memory(proc.pid)
        return started, asyncio.run(visits(base, proc.pid, rounds))
    finally:
        stop(proc)


def mb(n: int) -> str:
    return f"{n / 1024**2:,.0f} MB"


def report(rows: str, started: dict, figures: list[dict], at_scale: bool) -> None:
    fifth = next(f for f in figures if f["loads"] == SESSIONS)
    last = figures[-1]
    growth = last["VmRSS"] - fifth["VmRSS"]
    target = "target <= 1 GB peak at 1M" + (f" ({'met' if last['VmHWM'] <= GB else 'NOT met'})" if at_scale else "")
    label = f"server memory ({rows})"
    print(
        f"| {label} | `streamlit run` serving the map page, unfiltered, to {SESSIONS} concurrent chromium sessions; "
        f"server idle before: RSS {mb(started['VmRSS'])} | after the 5th load: RSS {mb(fifth['VmRSS'])}, peak "
        f"{mb(fifth['VmHWM'])}; after the {last['loads']}th: RSS {mb(last['VmRSS'])}, peak {mb(last['VmHWM'])} "
        f"| VmRSS/VmHWM of the server process; {target}; growth 5th -> {last['loads']}th load {growth / 1024**2:+,.0f} MB "
        f"(target: none); rounds of {SESSIONS} loads took "
        + ", ".join(f"{f['seconds']:.1f} s" for f in figures)
        + " |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", default=DEFAULT_SCALES, help=f"comma-separated row counts (default {DEFAULT_SCALES})"
    )
    parser.add_argument("--keep", help="keep (and reuse) the SYNTHETIC files and databases in this folder")
    parser.add_argument("--db", help="measure this database instead of building SYNTHETIC ones")
    parser.add_argument("--app-root", default=str(ROOT), help="the checkout whose dashboard/ is served")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds of {SESSIONS} loads (default {ROUNDS})")
    args, _ = parser.parse_known_args()  # bench/run.py passes its own arguments through
    app_root = Path(args.app_root).resolve()
    if args.db:
        folder = Path(tempfile.mkdtemp(prefix="server-memory-"))
        try:
            started, figures = measure(Path(args.db).resolve(), app_root, folder, args.rounds)
            report(Path(args.db).name, started, figures, at_scale=False)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    for rows in (int(s) for s in args.scales.split(",") if s.strip()):
        # The same folder as bench_scale --keep: a database it built is reused.
        folder = (
            Path(args.keep) / f"synthetic-{rows}" if args.keep else Path(tempfile.mkdtemp(prefix=f"SYNTHETIC-{rows}-"))
        )
        try:
            db = folder / "SYNTHETIC_watchdog.duckdb"
            if not db.exists():
                subprocess.run(
                    [sys.executable, "-m", "bench.synthetic", "--rows", str(rows), "--out", str(folder), "--build"],
                    cwd=ROOT,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            started, figures = measure(db, app_root, folder, args.rounds)
            report(f"SYNTHETIC, {rows:,} rows", started, figures, at_scale=rows >= 1_000_000)
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
