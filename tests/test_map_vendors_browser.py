"""Issue 16, the map and the vendors page, in a real browser on the bundled data: /map is the map; choosing a
state (Florida, or Vermont with no evidence) frames the map on it; a national agency's state reads "national";
a click on a point opens its agency; the vendors page shows shares, dollar amounts and source links.

plotly.js keeps the layout it drew on the chart's element (`_fullLayout`): the tests read the framing there."""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, require_browser, streamlit

POINTS = ".js-plotly-plot .scattergeo path.point"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(built_db, tmp_path_factory):
    require_browser()
    with streamlit(built_db, tmp_path_factory.mktemp("streamlit") / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def new_page(chromium):
    """A page whose requests to any host but ours are refused and recorded: a link a test opens is seen leaving,
    and nothing leaves the machine."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    elsewhere: list[str] = []

    def refuse(route):
        elsewhere.append(route.request.url)
        route.abort()

    context.route(lambda url: urlsplit(url).hostname not in LOCAL_HOSTS, refuse)
    page = context.new_page()
    page.elsewhere = elsewhere
    try:
        yield page
    finally:
        context.close()


def count(db, sql: str, *params) -> int:
    return db.execute(sql, list(params)).fetchone()[0]


def points_in(db, state: str | None = None) -> int:
    """Agencies with evidence and a location, plus located policies: one point each."""
    where = "AND state = ?" if state else ""
    params = [state, state] if state else []
    return count(
        db,
        f"""SELECT (SELECT count(*) FROM views.agencies WHERE latitude IS NOT NULL AND longitude IS NOT NULL {where}
                      AND agency_id IN (SELECT agency_id FROM views.evidence))
                 + (SELECT count(*) FROM views.policies WHERE latitude IS NOT NULL AND longitude IS NOT NULL {where})""",
        *params,
    )


def geo_layout(page) -> dict:
    """The map's geo layout as plotly.js drew it."""
    return page.locator(".js-plotly-plot").first.evaluate(
        """g => ({projection: g._fullLayout.geo.projection.type, lat: g._fullLayout.geo.lataxis.range,
                  lon: g._fullLayout.geo.lonaxis.range})"""
    )


def choose_state(page, typed: str, option: str) -> None:
    """Pick a state in the map's State filter as a visitor does: open it, type, click the option whose name
    matches the pattern `option` (Enter would take "Select all matches" when several match)."""
    page.locator('[data-testid="stMultiSelect"]').first.click()
    page.keyboard.type(typed)
    page.get_by_role("option", name=re.compile(option)).first.click(timeout=30_000)
    page.keyboard.press("Escape")


def grid_text(page, n: int) -> str:
    """The n-th table's cells as text (st.dataframe draws on a canvas; its accessible table holds the values)."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(n)
    grid.locator("td").first.wait_for(state="attached", timeout=30_000)
    return grid.locator("table").first.text_content()


def column_cells(page, n: int, header: str) -> list[str]:
    grid = page.locator('[data-testid="stDataFrame"]').nth(n)
    grid.locator("td").first.wait_for(state="attached", timeout=30_000)
    headers = [h.strip() for h in grid.locator("th").all_text_contents()]
    index = headers.index(header) + 1
    return [c.strip() for c in grid.locator(f'td[aria-colindex="{index}"]').all_text_contents()]


def test_the_map_address_shows_the_map(server, db, chromium):
    """Old code: /map was "Page not found" (the map lived only at /)."""
    with new_page(chromium) as page:
        page.goto(f"{server}/map")
        page.wait_for_selector(POINTS, timeout=60_000)
        page.wait_for_function(f"document.querySelectorAll('{POINTS}').length === {points_in(db)}", timeout=60_000)
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_role("heading", name="Who's Watching").count() == 1
        assert urlsplit(page.url).path == "/map"
        assert page.locator(".stException").count() == 0
        assert page.elsewhere == []


def test_choosing_florida_frames_the_map_on_florida(server, db, chromium):
    """Old code: the national Albers view stayed (252 Florida dots in one blob)."""
    with new_page(chromium) as page:
        page.goto(f"{server}/map")
        page.wait_for_selector(POINTS, timeout=60_000)
        national = geo_layout(page)
        choose_state(page, "FL", r"\bFL\b")  # by code: the old filter listed codes only; it must fail on the framing
        page.wait_for_url(re.compile(r"state=FL"), timeout=60_000)
        page.wait_for_function(
            f"document.querySelectorAll('{POINTS}').length === {points_in(db, 'FL')}", timeout=60_000
        )
        framed = geo_layout(page)
        assert framed != national
        assert framed["projection"] == "mercator"
        # Florida runs from 24.5 N to 31 N and from 87.6 W to 80 W: the view holds it and not much more.
        (south, north), (west, east) = framed["lat"], framed["lon"]
        assert 23 <= south <= 25.5 and 30.8 <= north <= 33, framed
        assert -90 <= west <= -87.3 and -80.4 <= east <= -78, framed
        assert page.locator(".stException").count() == 0


def test_vermont_can_be_chosen_and_says_no_evidence_is_not_absence(server, db, chromium):
    """Old code: the State filter listed only states with evidence, so Vermont could not be picked."""
    assert count(db, "SELECT count(*) FROM views.evidence WHERE state = 'VT'") == 0
    with new_page(chromium) as page:
        page.goto(f"{server}/map")
        page.wait_for_selector(POINTS, timeout=60_000)
        choose_state(page, "Vermont", "Vermont")
        page.wait_for_url(re.compile(r"state=VT"), timeout=60_000)
        page.get_by_text("No documented evidence in Vermont yet").first.wait_for(timeout=60_000)
        assert page.get_by_text("No evidence is not absence").count() >= 1
        assert "Vermont (VT)" in page.locator('[data-testid="stMultiSelect"]').first.inner_text()
        page.wait_for_function(f"document.querySelectorAll('{POINTS}').length === {points_in(db, 'VT')}")
        (south, north), (west, east) = geo_layout(page)["lat"], geo_layout(page)["lon"]
        assert 41.5 <= south <= 43 and 44.8 <= north <= 46, (south, north)
        assert -74.5 <= west <= -73.2 and -71.8 <= east <= -70.5, (west, east)
        assert page.locator(".stException").count() == 0


def test_clicking_a_point_opens_its_agency(server, db, chromium):
    """Old code: a click only added a link under the map; the agency opened from that link."""
    with new_page(chromium) as page:
        page.goto(f"{server}/map?state=FL")
        page.wait_for_selector(POINTS, timeout=60_000)
        page.locator(".js-plotly-plot").first.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(1000)  # plotly.js binds its hover and click handlers after drawing
        point = page.locator(POINTS).nth(5).bounding_box()
        x, y = point["x"] + point["width"] / 2, point["y"] + point["height"] / 2
        page.mouse.move(x, y)
        hovered = page.locator(".hoverlayer").text_content(timeout=10_000)
        page.mouse.click(x, y)
        page.wait_for_url(re.compile(r"/agency\?agency="), timeout=60_000)
        agency_id = parse_qs(urlsplit(page.url).query)["agency"][0]
        name, state = db.execute("SELECT name, state FROM views.agencies WHERE agency_id = ?", [agency_id]).fetchone()
        assert state == "FL" and name in hovered, (agency_id, name, hovered)
        page.get_by_role("heading", name=name).first.wait_for(timeout=60_000)
        assert page.locator(".stException").count() == 0

        # Back returns to the Florida map the click left (Streamlit alone gave the national map with ?agency=).
        page.go_back()
        page.wait_for_url(re.compile(r"/map\?state=FL$"), timeout=60_000)
        page.wait_for_function(
            f"document.querySelectorAll('{POINTS}').length === {points_in(db, 'FL')}", timeout=60_000
        )


def test_a_national_agency_state_reads_national_not_none(server, chromium):
    """Old code: the FBI's and ICE's state showed as "None" in the map's table."""
    with new_page(chromium) as page:
        page.goto(f"{server}/map?kind=Federal")
        page.wait_for_selector(POINTS, state="attached", timeout=60_000)
        names = column_cells(page, 0, "name")
        states = column_cells(page, 0, "state")
        assert any("Federal Bureau of Investigation" in n for n in names)
        fbi = states[next(i for i, n in enumerate(names) if "Federal Bureau of Investigation" in n)]
        assert fbi == "national"
        assert "None" not in states and "" not in states, states


def test_vendors_page_shows_shares_dollars_and_source_links(server, db, chromium):
    """Old code: the share chart plotted counts, spend read "None" or 6430495, and sources were plain text."""
    spend = count(db, "SELECT sum(amount)::BIGINT FROM views.evidence WHERE vendor = 'Clearview AI'")
    with new_page(chromium) as page:
        page.goto(f"{server}/vendors")
        page.get_by_role("heading", name="Vendors").first.wait_for(timeout=60_000)

        # The share chart: a percentage axis and percentage labels on the bars.
        chart = page.locator(".js-plotly-plot").first
        chart.wait_for(timeout=60_000)
        assert chart.evaluate("g => g._fullLayout.xaxis.tickformat") == ".0%"
        labels = chart.locator(".bars text").all_text_contents()
        assert labels and all(re.fullmatch(r"\d+(\.\d)?%", t) for t in labels), labels

        spend_cells = column_cells(page, 0, "spend on record")
        assert f"${spend:,}" in spend_cells, spend_cells
        assert "not reported" in spend_cells
        assert not {"None", "nan", ""} & set(spend_cells), spend_cells
        amounts = column_cells(page, 1, "amount")
        assert amounts and all(re.fullmatch(r"\$\d{1,3}(,\d{3})*", a) for a in amounts), amounts
        assert set(column_cells(page, 1, "state")) == {"national"}

        # A source cell is a link: clicking it opens the award's page (refused here: nothing leaves the machine).
        sources = column_cells(page, 1, "source")
        assert sources and all(s.startswith("https://www.usaspending.gov/") for s in sources)
        grid = page.locator('[data-testid="stDataFrame"]').nth(1)
        grid.evaluate("e => e.scrollIntoView({block: 'center'})")
        box = grid.bounding_box()
        # The source column is the last one; its first row sits under the 35-pixel header.
        x, y = box["x"] + box["width"] - 190, box["y"] + 35 + 17
        page.mouse.move(x, y)
        page.wait_for_timeout(500)  # the grid finds the link under the pointer on hover, then opens it on click
        page.mouse.click(x, y)
        for _ in range(50):
            if page.elsewhere:
                break
            page.wait_for_timeout(100)
        assert page.elsewhere and page.elsewhere[0] == sources[0], page.elsewhere
        assert page.locator(".stException").count() == 0
