"""The dashboard is single-user, and says so: tracked requests and watchlists are stored on the machine that
runs it. A visitor can download the requests as JSON and upload that file to restore them."""

from __future__ import annotations

import json

import pytest

from dashboard import tracker
from tests.browser import CHROMIUM, CHROMIUM_ARGS, settle
from tests.test_state_files_browser import no_exception, open_page, state_server  # noqa: F401 (a fixture)

DETROIT = {
    "agency_id": "MI8234900",
    "agency_name": "Detroit Police Department",
    "state": "MI",
    "sent_on": "2026-11-02",
    "status": "acknowledged",
    "note": "asked for contracts <b>and</b> policies",
}


def test_a_downloaded_requests_file_restores_the_same_requests(tmp_path):
    file = tmp_path / "requests.json"
    requests = [tracker.parse(DETROIT)]
    data = tracker.export_json(requests)
    assert json.loads(data) == [DETROIT]
    tracker.replace_all(tracker.import_json(data), file)
    assert tracker.load(file) == requests


@pytest.mark.parametrize(
    "data, said",
    [
        (b"\xff\xfe not text", "the file is not a requests list in JSON"),
        (b'{"agency_id": "x"}', "the file holds no list of requests"),
        (b"[" * 100_000, "the file is not a requests list in JSON"),
        (json.dumps([DETROIT, {**DETROIT, "sent_on": "2026-13-45"}]).encode(), "request 2 of the file does not"),
        (json.dumps([{**DETROIT, "status": "won"}]).encode(), "the status must be one of"),
        (b" " * (tracker.MAX_UPLOAD + 1), "larger than 1 MB"),
    ],
)
def test_a_file_that_is_not_a_requests_list_is_refused_with_a_sentence(tmp_path, data, said):
    file = tmp_path / "requests.json"
    tracker.save([tracker.parse(DETROIT)], file)
    with pytest.raises(tracker.EntryError, match=said):
        tracker.import_json(data)
    assert tracker.load(file) == [tracker.parse(DETROIT)]  # nothing was replaced


def open_own_copy(page) -> None:
    page.locator('[data-testid="stExpander"] summary', has_text="Keep your own copy").first.click()
    page.get_by_role("button", name="Download my requests (JSON)").wait_for(timeout=30_000)


@pytest.mark.browser
def test_the_pages_say_they_are_single_user_and_the_requests_come_back_from_a_download(state_server, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    base, folder = state_server
    requests = folder / "requests.json"
    requests.write_text(json.dumps([DETROIT]), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = open_page(browser, f"{base}/requests", "This dashboard is single-user")
            assert "anyone using this dashboard can see and change them" in page.locator("body").inner_text()
            page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)  # the run has finished
            open_own_copy(page)
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name="Download my requests (JSON)").click()
            assert download.value.suggested_filename == "my-requests.json"
            kept = tmp_path / download.value.suggested_filename
            download.value.save_as(kept)
            assert json.loads(kept.read_bytes()) == [DETROIT]

            # Another visitor empties the shared list; the first restores theirs from the download.
            requests.write_text("[]", encoding="utf-8")
            page.reload()
            page.get_by_text("No requests tracked yet").first.wait_for(timeout=60_000)
            open_own_copy(page)
            page.locator('input[type="file"]').set_input_files(str(kept))
            page.get_by_text("my-requests.json").first.wait_for(timeout=30_000)  # uploaded before the click
            settle(page)
            page.get_by_role("button", name="Replace the tracked requests with this file").click()
            page.get_by_text("Restored 1 request(s) from the file.").first.wait_for(timeout=60_000)
            page.locator('td[role="gridcell"]', has_text="Detroit Police Department").first.wait_for(
                state="attached", timeout=30_000
            )
            assert json.loads(requests.read_text(encoding="utf-8")) == [DETROIT]
            no_exception(page)

            # A file that is not a requests list is refused with a sentence and nothing is replaced.
            bad = tmp_path / "bad.json"
            bad.write_text(json.dumps([{**DETROIT, "sent_on": "someday"}]), encoding="utf-8")
            if not page.get_by_role("button", name="Download my requests (JSON)").is_visible():
                open_own_copy(page)
            page.locator('input[type="file"]').set_input_files(str(bad))
            page.get_by_text("bad.json").first.wait_for(timeout=30_000)
            settle(page)
            page.get_by_role("button", name="Replace the tracked requests with this file").click()
            page.get_by_text("The requests were not restored: request 1 of the file does not check out").first.wait_for(
                timeout=60_000
            )
            assert json.loads(requests.read_text(encoding="utf-8")) == [DETROIT]
            no_exception(page)
            page.close()

            page = open_page(browser, f"{base}/new", "This dashboard is single-user: watchlists are stored")
            no_exception(page)
            page.close()
        finally:
            browser.close()
