"""The Place page shows the public place page (public/render.py `place_html`, the static page's own function and
context) in a real browser: Miami's agencies grouped by the level at which each serves it, its links opening the
dashboard's agency pages, and the tools around it (the letter, the downloads) still there."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser, settle, streamlit

WAIT = 60_000
MIAMI_PD = "FL0130600"
SITE = "https://watch.example.org/public/"


@pytest.fixture(scope="module")
def server(built_db, tmp_path_factory):
    require_browser()
    log = tmp_path_factory.mktemp("place-html-browser") / "streamlit.log"
    with streamlit(built_db, log, WATCHDOG_SITE_URL=SITE) as base:
        yield base


@pytest.fixture
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = chromium.new_page(viewport={"width": 1400, "height": 1000})
            yield page
            assert page.locator(".stException").count() == 0
        finally:
            chromium.close()


def open_place(page, server: str, q: str) -> None:
    page.goto(f"{server}/place?q={q}")
    page.locator(".ww h1").first.wait_for(timeout=WAIT)
    settle(page)


@pytest.mark.browser
def test_the_place_page_is_the_public_place_page_with_its_links_and_tools(page, server, db):
    open_place(page, server, "Miami")
    assert page.locator(".ww h1").inner_text() == "Miami, FL"
    sections = page.locator(".ww h3").all_inner_texts()
    # The city's own agencies, then its county's, then the statewide ones: the lookup's one rule, grouped
    assert [re.sub(r" \(\d+\)$", "", s) for s in sections] == [
        "Miami's own agencies",
        "Miami-Dade County's own agencies",
        "Statewide agencies of Florida",
    ]
    listed = page.locator(".ww ul.agencies > li > a")
    assert listed.first.inner_text() == "Miami Police Department"
    statewide = db.execute(
        "SELECT a.name FROM views.agencies a JOIN served.agency_map USING (agency_id) "
        "WHERE a.state = 'FL' AND a.agency_kind = 'State' ORDER BY a.name LIMIT 1"
    ).fetchone()[0]
    assert statewide in page.locator(".ww ul.agencies").nth(2).inner_text()
    # The tools around it: the static page on the published site, the letter, the downloads
    public = page.get_by_role("link", name="Miami, FL's page on the public site")
    assert public.get_attribute("href") == f"{SITE}place/FL/miami.html"
    assert "Miami Police Department" in page.locator('[data-testid="stTextArea"] textarea').last.input_value()
    assert page.get_by_role("button", name=re.compile("Its agencies as CSV")).count() == 1
    assert page.locator('[data-testid="stDataFrame"]').count() == 0, "the public page instead of a table"
    # An agency's link opens the dashboard's agency page
    listed.first.click()
    page.wait_for_url(re.compile(r"/agency\?agency="), timeout=WAIT)
    assert parse_qs(urlsplit(page.url).query)["agency"] == [MIAMI_PD]
    page.locator(".ww h1", has_text="Miami Police Department").first.wait_for(timeout=WAIT)


@pytest.mark.browser
def test_a_zip_code_shows_its_city_and_a_county_its_own_then_its_cities(page, server):
    open_place(page, server, "33130")
    assert page.locator(".ww h1").inner_text() == "Miami, FL"
    page.get_by_text("agencies that serve ZIP code 33130 (Miami, Miami-Dade County, FL)").first.wait_for(timeout=WAIT)
    open_place(page, server, "Miami-Dade%20County")
    assert page.locator(".ww h1").inner_text() == "Miami-Dade County, FL"
    sections = [re.sub(r" \(\d+\)$", "", s) for s in page.locator(".ww h3").all_inner_texts()]
    assert sections[:2] == ["Miami-Dade County's own agencies", "Agencies of its cities and towns"]
    hrefs = page.locator(".ww ul.agencies > li > a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("agency?agency=") for h in hrefs), "links stay in the dashboard"
    # The hearing brief for the county, from the page's tools bar
    brief = page.locator(".ww .tools a", has_text="Hearing brief").get_attribute("href")
    assert brief == "brief?state=FL&level=county&name=Miami-Dade+County"
