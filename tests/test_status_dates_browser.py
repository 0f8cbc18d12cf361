"""Every status carries its date, in a real browser (issue 15): the map's hover says when each status was last
documented, ?recent=1 hides claims not documented in five years, and an agency page whose rows rest on one
shared document says so."""

from __future__ import annotations

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.test_browser import POINTS, server  # noqa: F401 (server is a fixture)


@pytest.mark.browser
def test_map_hover_dates_and_hiding_old_claims_in_chromium(server, db):  # noqa: F811
    from playwright.sync_api import sync_playwright

    faces = db.execute(
        "SELECT min(agency_id) FROM core.evidence WHERE summary LIKE '%(FACES)%' AND source_url LIKE '%aamva%'"
    ).fetchone()[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server}/map")
            page.wait_for_selector(POINTS, timeout=60_000)
            everything = page.locator(POINTS).count()
            # What plotly.js shows on hover: the status line of every point carries its date.
            page.locator(POINTS).first.hover(force=True)
            page.wait_for_function(
                "document.querySelector('.hoverlayer') && /documented/.test(document.querySelector('.hoverlayer').textContent)",
                timeout=30_000,
            )
            hover = page.evaluate("document.querySelector('.hoverlayer').textContent")
            assert "status:" in hover and "documented" in hover, hover

            page.goto(f"{server}/map?recent=1")
            page.wait_for_function(
                f"document.querySelectorAll('{POINTS}').length > 0 && "
                f"document.querySelectorAll('{POINTS}').length < {everything}",
                timeout=60_000,
            )
            assert page.locator(".stException").count() == 0

            page.goto(f"{server}/agency?agency={faces}")
            page.get_by_text("One document stands behind").first.wait_for(timeout=30_000)
            body = page.locator("body").inner_text()
            assert "not documented since 2019" in body
            assert "Face Analysis Comparison & Examination System (FACES)" in body
        finally:
            browser.close()
