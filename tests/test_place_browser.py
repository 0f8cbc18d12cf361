"""The Place page in a real browser, a place typed each way a person types it: "Washington County" asks which
one and a click answers, "Burlington, VT" is "Burlington VT", "Springfield" asks, "St. Louis" is "Saint Louis",
a ZIP code, a state's name and an agency's name. What each should show is read from the bundled database."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import LOCAL_HOSTS, chromium, require_browser, streamlit

WAIT = 60_000


@pytest.fixture(scope="module")
def server(built_db, tmp_path_factory):
    require_browser()
    with streamlit(built_db, tmp_path_factory.mktemp("place-browser") / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as launched:
        yield launched


@pytest.fixture
def place(browser, server):
    """The Place page, open and empty; closed after the test."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/place")
    page.get_by_text("Look up a place").first.wait_for(timeout=WAIT)
    yield page
    assert page.locator(".stException").count() == 0
    assert page.get_by_text("could not be shown").count() == 0
    page.close()


def one(db, sql: str, *params):
    return db.execute(sql, list(params)).fetchone()[0]


def type_place(page, text: str, expect: str) -> None:
    box = page.locator('[data-testid="stTextInput"] input')
    box.fill(text)
    box.press("Enter")
    page.get_by_text(expect).first.wait_for(timeout=WAIT)
    settle(page)


def settle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT)


def in_table(page, text: str) -> None:
    """Listed on the page: a city's, a county's or a ZIP code's agencies are the public place page's (HTML in the
    page), a state's or an agency-name search's a table (a canvas grid, with an accessible copy of its cells)."""
    public_page = page.locator(".ww ul.agencies > li", has_text=text)
    cell = page.locator('[data-testid="stDataFrame"] td[role="gridcell"]', has_text=text)
    public_page.or_(cell).first.wait_for(state="attached", timeout=WAIT)


def query_of(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def letter_to(page) -> str:
    """The records-request letter as drafted for the agency the selector holds."""
    letter = page.locator('[data-testid="stTextArea"] textarea').last
    letter.wait_for(timeout=WAIT)
    return letter.input_value()


@pytest.mark.browser
def test_washington_county_asks_which_then_lists_that_county(place, db):
    n = one(db, "SELECT count(DISTINCT state) FROM views.places WHERE kind = 'county' AND name = 'Washington County'")
    type_place(place, "Washington County", f"{n} counties are called Washington County")
    assert place.locator('[data-testid="stDataFrame"]').count() == 0, "no agencies until a county is chosen"
    assert place.get_by_text("Agency to write to").count() == 0, "no letter to anyone before the choice"
    sheriff = one(
        db,
        "SELECT name FROM views.agencies WHERE state = 'OR' AND agency_kind = 'County' "
        "AND upper(county) LIKE 'WASHINGTON%' ORDER BY name LIMIT 1",
    )
    place.get_by_role("button", name=re.compile(r"^Washington County, OR · \d+ agenc")).click()
    place.get_by_text("agencies that serve Washington County, OR").first.wait_for(timeout=WAIT)
    settle(place)
    in_table(place, sheriff)
    assert query_of(place)["q"] == "Washington County, OR"  # the choice is the link
    assert "Pierce County" not in place.locator("body").inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("typed", ["Burlington, VT", "Burlington VT"])
def test_burlington_with_or_without_the_comma(place, db, typed):
    police = one(
        db, "SELECT name FROM views.agencies WHERE state = 'VT' AND city = 'Burlington' AND agency_kind = 'Municipal'"
    )
    type_place(place, typed, "agencies that serve Burlington, VT")
    in_table(place, police)
    assert police in letter_to(place), "the city's own police get the letter"
    assert query_of(place)["q"] == typed


@pytest.mark.browser
def test_springfield_asks_and_a_choice_answers(place, db):
    type_place(place, "Springfield", "places are called Springfield: which one do you mean?")
    for state in ("IL", "MA", "MO"):
        choice = place.get_by_role("button", name=re.compile(rf"^Springfield, {state} · \d+ agenc"))
        choice.first.wait_for(timeout=WAIT)
        assert choice.count() == 1
    police = one(
        db, "SELECT name FROM views.agencies WHERE state = 'IL' AND city = 'Springfield' AND agency_kind = 'Municipal'"
    )
    place.get_by_role("button", name=re.compile(r"^Springfield, IL · ")).click()
    place.get_by_text("agencies that serve Springfield, IL").first.wait_for(timeout=WAIT)
    settle(place)
    in_table(place, police)
    assert police in letter_to(place)
    assert query_of(place)["q"] == "Springfield, IL"


@pytest.mark.browser
def test_saint_louis_and_st_louis_are_one_place(place, db):
    type_place(place, "Saint Louis", "agencies that serve St. Louis, MO")
    saint = place.get_by_text(re.compile("agencies that serve St. Louis, MO")).first.inner_text()
    type_place(place, "St. Louis", "agencies that serve St. Louis, MO")
    assert place.get_by_text(re.compile("agencies that serve St. Louis, MO")).first.inner_text() == saint
    police = one(
        db, "SELECT name FROM views.agencies WHERE state = 'MO' AND city = 'St. Louis' AND agency_kind = 'Municipal'"
    )
    in_table(place, police)


@pytest.mark.browser
def test_a_zip_code_a_state_and_an_agency_name(place, db):
    type_place(place, "48226", "agencies that serve ZIP code 48226 (Detroit, Wayne County, MI)")
    in_table(place, "Detroit Police Department")
    assert "Detroit Police Department" in letter_to(place)
    n = one(db, "SELECT count(*) FROM views.agencies WHERE state = 'VT'")
    type_place(place, "Vermont", "agencies that serve Vermont")
    assert f"{n} agencies that serve Vermont" in place.locator("body").inner_text()
    type_place(place, "Detroit Police", "matching “Detroit Police”")
    in_table(place, "Detroit Police Department")
    # Each row links to the agency's page (the grid's accessible copy holds the link's address)
    in_table(place, "/agency?agency=MI8234900")
    headings = place.locator('[data-testid="stDataFrame"] th').all_inner_texts()
    assert "agency" in headings and "evidence and sources" in headings and "placement" not in headings


@pytest.mark.browser
def test_a_shared_link_reopens_the_answer_and_miami_is_florida(browser, server, db):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{server}/place?q=Miami")
        page.get_by_text("agencies that serve Miami, FL").first.wait_for(timeout=WAIT)
        settle(page)
        in_table(page, "Miami Police Department")
        assert "Miami Police Department" in letter_to(page)
        others = one(db, "SELECT count(DISTINCT state) FROM views.places WHERE kind = 'place' AND name = 'Miami'") - 1
        page.get_by_text(f"Other places called Miami ({others})").first.wait_for(timeout=WAIT)
        assert page.locator(".stException").count() == 0
        elsewhere = {urlsplit(u).hostname for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
        assert elsewhere <= LOCAL_HOSTS, f"the page called other hosts: {elsewhere - LOCAL_HOSTS}"
    finally:
        page.close()
