"""The real dashboard in a real browser: `streamlit run` on a free local port, driven by Debian chromium.

It checks what AppTest cannot: that plotly.js actually draws the map, that its outlines come from our own
/app/static/topojson/, and that the page talks to no host but ours (reporters protect their sources).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, require_browser, streamlit

POINTS = ".js-plotly-plot .scattergeo path.point"


@pytest.fixture(scope="module")
def server(built_db, tmp_path_factory):
    """The dashboard on 127.0.0.1, reading the session's database; stopped afterwards."""
    require_browser()
    with streamlit(built_db, tmp_path_factory.mktemp("streamlit") / "streamlit.log") as base:
        yield base


@pytest.mark.browser
def test_map_and_agency_pages_in_chromium(server, db):
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda request: requests.append(request.url))

            # The Map page: plotly.js draws the US outlines and a point per placed agency and located policy.
            with page.expect_response(lambda r: "/app/static/topojson/" in r.url, timeout=60_000) as outline:
                page.goto(f"{server}/map")
                page.wait_for_selector(".js-plotly-plot g.geo path", timeout=60_000)
                page.wait_for_selector(POINTS, timeout=60_000)
            assert outline.value.status == 200, outline.value.url
            assert urlsplit(outline.value.url).path == "/app/static/topojson/usa_110m.json"
            assert page.locator(".stException").count() == 0

            drawn = page.locator(POINTS).count()
            expected = db.execute("""
                SELECT (SELECT count(*) FROM views.agencies WHERE latitude IS NOT NULL AND longitude IS NOT NULL
                          AND agency_id IN (SELECT agency_id FROM views.evidence))
                     + (SELECT count(*) FROM views.policies WHERE latitude IS NOT NULL AND longitude IS NOT NULL)
            """).fetchone()[0]
            assert drawn > 0
            assert drawn == expected, f"{drawn} points drawn, {expected} agencies and policies have a location"

            # A shared link with a filter opens the filtered map.
            in_texas = db.execute("""
                SELECT (SELECT count(*) FROM views.agencies WHERE state = 'TX' AND latitude IS NOT NULL
                          AND longitude IS NOT NULL AND agency_id IN (SELECT agency_id FROM views.evidence))
                     + (SELECT count(*) FROM views.policies WHERE state = 'TX' AND latitude IS NOT NULL
                          AND longitude IS NOT NULL)
            """).fetchone()[0]
            assert 0 < in_texas < drawn
            page.goto(f"{server}/map?state=TX")
            page.wait_for_function(f"document.querySelectorAll('{POINTS}').length === {in_texas}", timeout=60_000)
            assert "TX" in page.locator('[data-testid="stMultiSelect"]').first.inner_text()
            assert page.locator(".stException").count() == 0

            # One agency's page, straight from its link.
            page.goto(f"{server}/agency?agency=MI8234900")
            page.get_by_role("heading", name="Detroit Police Department").first.wait_for(timeout=30_000)
            page.get_by_text("Evidence timeline").first.wait_for(timeout=30_000)
            assert page.get_by_text("Detroit Police Department").count() >= 1
            assert page.locator(".stException").count() == 0
        finally:
            browser.close()

    assert any(urlsplit(u).path.startswith("/app/static/topojson/") for u in requests)
    elsewhere = sorted(
        {
            u
            for u in requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname not in LOCAL_HOSTS
        }
    )
    assert not elsewhere, f"the page called other hosts: {elsewhere}"
    assert not [u for u in requests if "cdn.plot.ly" in u]


def test_brief_pdf_download_and_leak_upload_in_chromium(server, tmp_path):
    """The council member's PDF and the reporter's upload, through the real page."""
    from playwright.sync_api import sync_playwright

    leak = tmp_path / "leak.csv"
    leak.write_text(
        "Agency,State,Contact email\nNYPD,NY,jane.roe@nypd.example.org\n"
        "Springfield Police Department,,x@y.example.com\nAtlanta Police Department,GA,\n",
        encoding="utf-8",
    )
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.on("request", lambda request: requests.append(request.url))

            page.goto(f"{server}/brief?state=MI&level=city&name=Detroit")
            page.get_by_text("Facial recognition in Detroit, MI: the public record").first.wait_for(timeout=60_000)
            with page.expect_download(timeout=120_000) as download:
                page.get_by_role("button", name="Download the brief as PDF").click()
            pdf = Path(download.value.path()).read_bytes()
            assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf
            assert download.value.suggested_filename.endswith(".pdf")

            page.goto(f"{server}/reporter")
            page.locator('input[type="file"]').set_input_files(str(leak))
            page.get_by_text("Where the leak meets the public record").first.wait_for(timeout=60_000)
            page.get_by_text("Review: 1 row").first.wait_for(timeout=30_000)
            body = page.locator("body").inner_text()
            assert "jane.roe" not in body and "redacted" in body
            assert page.locator(".stException").count() == 0
        finally:
            browser.close()
    elsewhere = sorted(
        {
            u
            for u in requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname not in LOCAL_HOSTS
        }
    )
    assert not elsewhere, f"the page called other hosts: {elsewhere}"
