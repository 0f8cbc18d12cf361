"""Cold start: a fresh clone of this repository to the map on screen, install included, as `make run` does it.

Clones the committed HEAD into a temporary folder and times each step of `make run` there: the install (`make venv`,
with pip's cache turned off, as on a new machine), the build (`make data`), and the server's start to the map drawn
in Debian chromium. Prints one Markdown row for bench/RESULTS.md. Target (issue 17): at most 60 s here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS, free_port, healthy  # noqa: E402


def timed(command: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def map_on_screen(clone: Path, env: dict) -> float:
    """Seconds from `streamlit run` to the map's points drawn in a browser."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen(
        [str(clone / ".venv/bin/python"), "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port)],
        cwd=clone,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while not healthy(base):
            if server.poll() is not None:
                raise SystemExit("the dashboard did not start")
            time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(base)
            page.wait_for_selector(".map-frame img.map", timeout=120_000)  # the front page's map
            seconds = time.perf_counter() - start
            browser.close()
        return seconds
    finally:
        server.terminate()
        server.wait(timeout=15)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="python3", help="the Python that makes the venv (as make's PYTHON)")
    args, _ = parser.parse_known_args()  # bench.run passes every bench the same options
    work = Path(tempfile.mkdtemp(prefix="cold-start-"))
    try:
        clone = work / "whos-watching"
        cloned = timed(["git", "clone", "--quiet", str(ROOT), str(clone)], work, dict(os.environ))
        env = dict(os.environ, PIP_NO_CACHE_DIR="1", PYTHON=args.python, WATCHDOG_STATE=str(work / "state"))
        env.pop("WATCHDOG_DB", None)
        install = timed(["make", "venv", f"PYTHON={args.python}"], clone, env)
        build = timed(["make", "data"], clone, env)
        shown = map_on_screen(clone, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = cloned + install + build + shown
    print(
        f"| cold start | fresh clone of HEAD, `make run` to the map drawn in chromium (pip cache off) | {total:.0f} s "
        f"| clone {cloned:.1f} s, install {install:.0f} s, build {build:.0f} s, server start to map {shown:.1f} s; target 60 s |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
