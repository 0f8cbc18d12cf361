"""My requests and What's new in a real browser, over the local files a user keeps: a request to a territory
with no records-law row, damaged files, and watchlists whose names once shared a feed. Each page shows a
sentence, keeps working, and the damaged file is kept aside, never overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser, streamlit

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def state_server(built_db, tmp_path_factory):
    """The dashboard with its requests and watchlists files in a folder of the test's own."""
    require_browser()
    folder = tmp_path_factory.mktemp("state")
    files = {"WATCHDOG_REQUESTS": str(folder / "requests.json"), "WATCHDOG_WATCHLISTS": str(folder / "watchlists.json")}
    with streamlit(built_db, folder / "streamlit.log", **files) as base:
        yield base, folder


def open_page(browser, url: str, expect: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.get_by_text(expect).first.wait_for(timeout=60_000)
    return page


def no_exception(page) -> None:
    assert page.locator(".stException").count() == 0, page.locator(".stException").first.inner_text()


@pytest.mark.browser
def test_my_requests_and_whats_new_survive_territories_and_damaged_files(state_server):
    from playwright.sync_api import sync_playwright

    base, folder = state_server
    requests, watches = folder / "requests.json", folder / "watchlists.json"
    # Tracked as the Place page tracks a request to an agency in Puerto Rico, which has no records-law row.
    requests.write_text(
        json.dumps(
            [
                {
                    "agency_id": "PR0000000",
                    "agency_name": "Policia de Puerto Rico",
                    "state": "PR",
                    "sent_on": "2026-11-02",
                    "status": "sent",
                    "note": "",
                }
            ]
        )
    )
    # Two names with one slug, as the old code let a user save them: one feed file and one widget key.
    shared = [
        {"name": "My City", "kind": "city", "value": "Detroit"},
        {"name": "my city!", "kind": "city", "value": "Flint"},
    ]
    watches.write_text(json.dumps(shared))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = open_page(browser, f"{base}/requests", "My records requests")
            page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
            no_exception(page)
            # The sentence below the table is text.
            page.get_by_text("No deadline is known for PR: we have no public-records law on file there").first.wait_for(
                timeout=30_000
            )
            # The grid keeps an accessible copy of its cells: the request is listed.
            page.locator('td[role="gridcell"]', has_text="Policia de Puerto Rico").first.wait_for(
                state="attached", timeout=30_000
            )
            page.close()

            requests.write_text('[{"agency_id": "MI8234900", "sent_on": "2026-13-45"')
            page = open_page(browser, f"{base}/requests", "could not be used as it was")
            no_exception(page)
            assert page.get_by_text("kept aside").count() >= 1
            (aside,) = folder.glob("requests.json.damaged-*")
            assert aside.read_text() == '[{"agency_id": "MI8234900", "sent_on": "2026-13-45"'
            page.close()
            # Reloaded, the page works and still points at the copy kept aside.
            page = open_page(browser, f"{base}/requests", "A damaged copy of your requests file is kept aside")
            page.get_by_text("No requests tracked yet").first.wait_for(timeout=30_000)
            no_exception(page)
            page.close()

            page = open_page(browser, f"{base}/new", "would share the feed name")
            no_exception(page)
            (aside,) = folder.glob("watchlists.json.damaged-*")
            assert json.loads(aside.read_text()) == shared
            assert [w["name"] for w in json.loads(watches.read_text())] == ["My City"]
            page.close()
        finally:
            browser.close()


def test_the_requests_page_says_no_deadline_is_known_for_a_territory(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    file = tmp_path / "requests.json"
    file.write_text(
        json.dumps(
            [
                {
                    "agency_id": "GU0000000",
                    "agency_name": "Guam Police Department",
                    "state": "GU",
                    "sent_on": "2026-11-02",
                    "status": "sent",
                    "note": "",
                },
                {
                    "agency_id": "MI8234900",
                    "agency_name": "Detroit Police Department",
                    "state": "MI",
                    "sent_on": "2026-11-02",
                    "status": "sent",
                    "note": "",
                },
            ]
        )
    )
    monkeypatch.setenv("WATCHDOG_REQUESTS", str(file))
    at = AppTest.from_file("../dashboard/app_pages/requests.py", default_timeout=30)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    table = at.dataframe[0].value
    guam = table[table["state"] == "GU"].iloc[0]
    assert guam["deadline"].startswith("No deadline is known for GU: we have no public-records law on file")
    assert guam["due"] is None or str(guam["due"]) in ("NaT", "None")
    detroit = table[table["state"] == "MI"].iloc[0]
    assert str(detroit["due"]) not in ("NaT", "None") and not detroit["deadline"].startswith("No deadline")
    assert any("No deadline is known for GU" in i.value for i in at.info)
