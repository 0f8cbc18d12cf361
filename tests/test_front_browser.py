"""Issue 17 in chromium: the dashboard's front page is the public front page (render.map_html, the HTML the static
site bakes into index.html), its map a picture with a link over every dot; an old shared link to the filtered map
(/?state=TX) still opens it; the brief's map is the PDF's own drawing, with no chart library on the page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser import chromium, require_browser, settle, streamlit

pytestmark = pytest.mark.browser
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@pytest.fixture(scope="module")
def server(built_db, tmp_path_factory):
    require_browser()
    with streamlit(built_db, tmp_path_factory.mktemp("front-browser") / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def drawn_dots() -> list:
    """The dots the public front page draws, with their links, as the static site's index draws them."""
    from dashboard import queries
    from public import render

    rows = [a for a in render.agency_rows(queries.site_agencies()) if a.get("status")]
    return [d for d in render.national_map(rows, render.Links(in_dashboard=True))["dots"] if d.href]


def test_the_front_page_is_the_public_map_and_a_dot_opens_its_agency(server, browser):
    from public import geo

    dots = drawn_dots()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if urlsplit(r.url).netloc != urlsplit(server).netloc else None)
    page.goto(f"{server}/")
    page.locator(".map-frame img.map").wait_for(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_role("heading", name=re.compile("Which agencies used or trialled facial recognition")).wait_for()
    spots = page.locator(".map-frame a.spot")
    assert spots.count() == len(dots) > 300
    assert page.locator(".js-plotly-plot").count() == 0  # no chart library on the front page

    # A link sits over its own dot: its centre, in the picture's units, is where the SVG draws the dot.
    picture = page.locator(".map-frame img.map").bounding_box()
    by_title = {d.title: d for d in dots}
    for i in (0, len(dots) // 2, len(dots) - 1):
        spot = spots.nth(i)
        box, dot = spot.bounding_box(), by_title[spot.get_attribute("title")]
        x = (box["x"] + box["width"] / 2 - picture["x"]) / picture["width"] * geo.NATIONAL_SIZE[0]
        y = (box["y"] + box["height"] / 2 - picture["y"]) / picture["height"] * geo.NATIONAL_SIZE[1]
        assert abs(x - dot.x) < 3 and abs(y - dot.y) < 3, (spot.get_attribute("title"), x, y, dot)

    # A click on a dot opens its agency; Back returns to the front page.
    spot = next(s for s in (spots.nth(i) for i in range(spots.count())) if "agency=" in s.get_attribute("href"))
    name = spot.get_attribute("title").split(":")[0]
    spot.click()
    page.wait_for_url(re.compile(r"/agency\?agency="), timeout=60_000)
    page.get_by_role("heading", name=name).first.wait_for(timeout=60_000)
    page.go_back()
    page.locator(".map-frame img.map").wait_for(timeout=60_000)
    assert page.locator(".stException").count() == 0
    assert not elsewhere, elsewhere


def test_a_link_shared_to_the_old_filtered_front_page_opens_the_map_page(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/?state=TX&status=used")
    page.wait_for_url(re.compile(r"/map\?"), timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    settle(page)
    chosen = page.locator('[data-testid="stMultiSelect"]')
    assert "TX" in chosen.nth(0).inner_text() and "used" in chosen.nth(2).inner_text()
    query = urlsplit(page.url).query
    assert "state=TX" in query and "status=used" in query


def test_the_brief_shows_the_pdfs_map_as_a_picture(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/brief?state=FL&level=county&name=Miami-Dade%20County")
    page.get_by_text("Facial recognition in Miami-Dade County, FL: the public record").first.wait_for(timeout=60_000)
    picture = page.locator('[data-testid="stImage"] img').first
    picture.wait_for(timeout=60_000)
    assert picture.get_attribute("src").startswith("data:image/svg+xml")
    assert picture.evaluate("img => img.naturalWidth") > 0  # the browser could draw it
    assert page.locator(".js-plotly-plot").count() == 0
    assert page.locator(".stException").count() == 0
