"""The one way tests start the real dashboard and a real browser: `streamlit run` with the project's own config on
a free local port, and Debian chromium kept off every host but ours."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Chromium itself looks up Google hosts; refuse every name but ours so nothing leaves the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)")
    pytest.skip(reason)


def require_browser() -> None:
    if not CHROMIUM.exists():
        unavailable("no /usr/bin/chromium: install Debian chromium: apt-get install chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("playwright is not installed: make test installs it from requirements-dev.txt")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(base: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{base}/_stcore/health", timeout=2).text.strip() == "ok"
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def streamlit(db: Path, log: Path, **env: str) -> Iterator[str]:
    """`streamlit run dashboard/app.py` reading `db` (and any other settings given), until the block ends;
    yields its base URL once its health check answers."""
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port)],
            cwd=ROOT,
            env=dict(os.environ, WATCHDOG_DB=str(db), **env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not healthy(base):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian chromium through playwright, kept off every host but ours (CHROMIUM_ARGS), until the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# The script has finished its run: no running-man widget on the page.
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


def settle(page) -> None:
    """Wait until the script's run has ended and no second one started right after (an upload or a decision starts
    one): a click during a run can be lost when the run ends."""
    page.wait_for_function(IDLE, timeout=60_000)
    page.wait_for_timeout(500)
    page.wait_for_function(IDLE, timeout=60_000)


def download(page, button, attempts: int = 3):
    """What clicking a download button downloads, once the page is idle. A run can start right after another ends
    (a decision, a rerun); a click inside it holds a file id that run revoked (Streamlit says "Failed to generate
    file for download"), and a person clicks again: so does this."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        settle(page)
        try:
            with page.expect_download(timeout=30_000) as got:
                button.click()
            return got.value
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
