"""Issue 16 through the real pages in chromium: a brief found by typing a county's name, downloaded as a PDF of at
most two pages; and a records request downloaded from the Place page, addressed and covering its evidence."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.browser import chromium, download, require_browser, streamlit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(built_db, tmp_path_factory):
    require_browser()
    with streamlit(built_db, tmp_path_factory.mktemp("brief-browser") / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def test_a_brief_typed_by_name_downloads_as_two_pages_at_most(server, browser):
    from pypdf import PdfReader

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(f"{server}/brief")
    box = page.get_by_label("Find a city, county or state by name, in any state")
    box.wait_for(timeout=60_000)
    box.fill("Miami-Dade")
    box.press("Enter")
    page.get_by_text("Facial recognition in Miami-Dade County, FL: the public record").first.wait_for(timeout=60_000)
    body = page.locator("body").inner_text()
    assert "Face Analysis Comparison & Examination System (FACES)" in body
    assert "amount: not stated in the source" in body
    got = download(page, page.get_by_role("button", name="Download the brief as PDF"))
    pdf = Path(got.path()).read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    assert pdf.startswith(b"%PDF") and 1 <= len(reader.pages) <= 2
    assert "Miami-Dade County, FL" in reader.pages[0].extract_text()
    assert got.suggested_filename == "brief-Miami-Dade County-FL.pdf"
    assert page.locator(".stException").count() == 0


def test_a_letter_from_the_place_page_is_addressed_and_covers_its_evidence(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1400}, accept_downloads=True)
    page.goto(f"{server}/place?q=Miami%2C%20FL&agency=FL0130600")  # Miami Police Department
    page.get_by_role("button", name="Download as text").wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download as text").click()
    letter = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Miami Police Department\n400 NW 2nd Avenue\nMiami, Florida 33128" in letter
    assert "(address as of 2017, check it" in letter
    assert "earliest record 2013" in letter
    start = re.search(r"from January 1, (\d{4}) to the date of this request", letter)
    assert start and int(start.group(1)) < 2013
    assert page.locator(".stException").count() == 0
