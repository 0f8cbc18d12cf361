"""The baked public site in Debian chromium, opened from disk (file://) and served by `python -m http.server` on
127.0.0.1: index -> state -> place -> agency by their links, the offline search finds Miami, hostile source text
runs nothing, and no page asks any other host for anything."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port, healthy, require_browser
from tests.test_site import DETROIT_PD, MIAMI_PD, bake, hostile_db  # noqa: F401  (hostile_db: a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(built_db, tmp_path_factory) -> Path:
    require_browser()
    out = tmp_path_factory.mktemp("site-browser") / "public"
    done = bake(built_db, out)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@contextlib.contextmanager
def http_server(folder: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(base + "/site.css", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("python -m http.server did not start")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A fresh page that records every request it makes, every dialog (alert) and every script error."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close(self):
        self.context.close()

    def elsewhere(self, allowed_scheme: str, allowed_host: str = "") -> list[str]:
        """Requests to anything but the site itself."""
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme != allowed_scheme or (allowed_host and urlsplit(u).netloc != allowed_host)
        ]


def walk(visit: Visit, start: str) -> None:
    """index -> Florida -> Miami -> Miami Police Department, by clicking the pages' own links."""
    page = visit.page
    page.goto(start)
    assert "Which agencies used or trialled facial recognition" in page.locator("h1").inner_text()
    assert page.locator("svg.map circle").count() > 100  # the map, drawn at bake time
    assert page.locator('svg.map a[href^="agency/"]').count() > 100  # each dot opens its agency
    page.locator('a[href="state/FL.html"]').first.click()
    page.wait_for_url("**/state/FL.html")
    assert page.locator("h1").inner_text() == "Florida"
    page.locator('a[href="../place/FL/miami.html"]').first.click()
    page.wait_for_url("**/place/FL/miami.html")
    assert page.locator("h1").inner_text() == "Miami, FL"
    page.locator(f'a[href="../../agency/{MIAMI_PD}.html"]').first.click()
    page.wait_for_url(f"**/agency/{MIAMI_PD}.html")
    assert page.locator("h1").inner_text() == "Miami Police Department"
    assert page.locator("span.status").count() >= 1
    # and back up: the agency page links to its city
    page.locator('a[href="../place/FL/miami.html"]').first.click()
    page.wait_for_url("**/place/FL/miami.html")


def search(visit: Visit, start: str) -> None:
    page = visit.page
    page.goto(start)
    page.locator("#q").fill("Miami")
    result = page.locator('#results a[href="place/FL/miami.html"]')
    result.wait_for()
    assert result.inner_text() == "Miami"
    assert "matches" in page.locator("#count").inner_text()
    result.click()
    page.wait_for_url("**/place/FL/miami.html")
    assert page.locator("h1").inner_text() == "Miami, FL"


def test_the_site_opened_from_disk_links_index_state_place_agency_and_searches(site, browser):
    visit = Visit(browser)
    try:
        walk(visit, (site / "index.html").as_uri())
        search(visit, (site / "search.html").as_uri())
        assert visit.errors == []
        assert visit.elsewhere("file") == []
    finally:
        visit.close()


def test_the_site_served_by_a_static_server_asks_no_other_host(site, browser):
    with http_server(site) as base:
        visit = Visit(browser)
        try:
            walk(visit, f"{base}/index.html")
            search(visit, f"{base}/search.html")
            assert visit.errors == []
            assert len(visit.requests) >= 6
            assert visit.elsewhere("http", urlsplit(base).netloc) == []
        finally:
            visit.close()


@pytest.fixture(scope="module")
def hostile_site(hostile_db, tmp_path_factory) -> Path:  # noqa: F811
    require_browser()
    out = tmp_path_factory.mktemp("hostile-browser") / "public"
    done = bake(hostile_db, out)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_hostile_source_text_runs_nothing_and_loads_nothing(hostile_site, browser):
    with http_server(hostile_site) as base:
        visit = Visit(browser)
        try:
            for path in (f"agency/{DETROIT_PD}.html", "place/MI/detroit.html", "state/MI.html", "index.html"):
                visit.page.goto(f"{base}/{path}")
                assert visit.page.locator("script").count() == 0
            visit.page.goto(f"{base}/agency/{DETROIT_PD}.html")
            assert "<script>alert('xss')</script>" in visit.page.locator("h1").inner_text()
            assert visit.page.locator('a[href^="javascript:"]').count() == 0
            visit.page.goto(f"{base}/search.html")
            visit.page.locator("#q").fill("Detroit PD")
            hit = visit.page.locator(f'#results a[href="agency/{DETROIT_PD}.html"]')
            hit.wait_for()
            assert "<img src=x" in hit.inner_text()  # the name, as text
            assert visit.page.locator("#results img").count() == 0
            time.sleep(0.3)  # an onerror would fire at once
            assert visit.dialogs == [] and visit.errors == []
            assert visit.elsewhere("http", urlsplit(base).netloc) == []
        finally:
            visit.close()


# ------------------------------------------------------------------------------- the same HTML in Streamlit

SHOWN = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from public import render
st.html(render.agency_html({agency!r}))
st.html(render.state_html("FL"))
"""


def test_streamlit_shows_the_same_html_with_its_map_and_colours(built_db, tmp_path, browser):
    """A page hands render's HTML to st.html: it shows, styled, and its map survives st.html's sanitising (which
    removes inline SVG: the fragment draws the same map as an image)."""
    app = tmp_path / "shown.py"
    app.write_text(SHOWN.format(root=str(Path(__file__).resolve().parent.parent), agency=MIAMI_PD))
    port = free_port()
    log = tmp_path / "streamlit.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port)],
            cwd=Path(__file__).resolve().parent.parent,
            env=dict(os.environ, WATCHDOG_DB=str(built_db)),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    visit = Visit(browser)
    try:
        deadline = time.monotonic() + 60
        while not healthy(base):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.25)
        visit.page.goto(base)
        visit.page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        assert visit.page.locator("h1").all_inner_texts()[:2] == ["Miami Police Department", "Florida"]
        badge = visit.page.locator("span.status").first
        assert badge.evaluate("e => getComputedStyle(e).display") == "inline-block"  # the stylesheet applies
        drawn = visit.page.locator("img.map")
        drawn.wait_for()
        assert drawn.evaluate("e => e.complete && e.naturalWidth") > 0
        assert visit.page.locator(f'a[href="agency?agency={MIAMI_PD}"]').count() >= 1  # links to its own pages
        assert visit.elsewhere("http", f"127.0.0.1:{port}") == []
    finally:
        visit.close()
        proc.terminate()
        proc.wait(timeout=15)
