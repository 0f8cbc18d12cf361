"""The reporter's review, in a real browser on the bundled data (issue 16): a leak uploaded through the page's file
uploader, its ambiguous row left "to review" until a person picks the agency in a searchable list, the counts
following the decision, and the downloaded CSV saying so, with the agency's id and name."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, download
from tests.test_browser import server  # noqa: F401 (server is a fixture)

LEAK = Path(__file__).parent / "fixtures" / "leak_workbench" / "SYNTHETIC_leak.csv"
SPRINGFIELD_IL = "IL0840200"


def metrics(page) -> dict[str, str]:
    out = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        out[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return out


def wait_for_metric(page, label: str, value: str) -> None:
    page.wait_for_function(
        """([label, value]) => [...document.querySelectorAll('[data-testid="stMetric"]')].some(m =>
               m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() === label &&
               m.querySelector('[data-testid="stMetricValue"]')?.innerText.trim() === value)""",
        arg=[label, value],
        timeout=60_000,
    )


def download_csv(page, counts: str) -> list[dict[str, str]]:
    """The reviewed list as the page's CSV button downloads it, once the page says it holds `counts`."""
    page.get_by_role("tab", name="Every row, reviewed").click()
    page.get_by_text(f"The download holds 7 rows: {counts}.").wait_for(timeout=60_000)
    got = download(page, page.get_by_role("button", name="Download the reviewed list as CSV"))
    text = Path(got.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.browser
def test_an_upload_reviewed_and_exported_in_chromium(server, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
            page.goto(f"{server}/reporter")
            page.locator('input[type="file"]').set_input_files(str(LEAK))
            page.get_by_text("Where the leak meets the public record").first.wait_for(timeout=90_000)
            wait_for_metric(page, "To review", "1")
            assert metrics(page) == {"Matched": "5", "To review": "1", "Rejected by you": "0", "No match": "1"}
            body = page.locator("body").inner_text()
            # The question names the row by its own text and says the file gives it no state.
            assert "Row 2: “Springfield Police Department”, no state in the file" in body
            assert "()" not in body.split("Row 2:")[1].split("\n")[0]

            # Unreviewed, the ambiguous row is exported as "to review", never as rejected.
            before = {
                row["file_row"]: row for row in download_csv(page, "5 matched, 1 to review, 0 rejected, 1 no match")
            }
            assert before["2"]["status"] == "to review" and not before["2"]["agency_id"]
            assert "IL0840200" in before["2"]["candidates"]
            assert (
                before["3"]["status"] == "matched"
                and "Immigration and Customs Enforcement" in (before["3"]["agency_name"])
            )
            assert before["4"]["agency_id"] == "FL0130000" and before["4"]["state_used"] == "FL"
            assert before["8"]["status"] == "no match"
            assert "rejected" not in {row["status"] for row in before.values()}

            # The candidates are one searchable list: typing narrows it, and the reviewer picks Springfield, IL.
            picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="Row 2:")
            picker.locator("input").click()
            page.keyboard.type(SPRINGFIELD_IL)
            options = page.get_by_role("option")
            options.first.wait_for(timeout=30_000)
            assert options.count() == 1, options.all_inner_texts()
            options.first.click()
            wait_for_metric(page, "Matched", "6")
            assert metrics(page) == {"Matched": "6", "To review": "0", "Rejected by you": "0", "No match": "1"}

            after = {
                row["file_row"]: row for row in download_csv(page, "6 matched, 0 to review, 0 rejected, 1 no match")
            }
            assert after["2"]["status"] == "matched" and after["2"]["method"] == "reviewed"
            assert after["2"]["agency_id"] == SPRINGFIELD_IL
            assert after["2"]["agency_name"] == "Springfield Police Department"
            assert after["2"]["agency_state"] == "IL"
            assert page.locator(".stException").count() == 0

            # "None of these" is a decision too: only then is the row rejected.
            picker.locator("input").click()
            page.keyboard.type("None of these")
            page.get_by_role("option").first.click()
            wait_for_metric(page, "Rejected by you", "1")
            rejected = {
                row["file_row"]: row for row in download_csv(page, "5 matched, 0 to review, 1 rejected, 1 no match")
            }
            assert rejected["2"]["status"] == "rejected" and not rejected["2"]["agency_id"]
        finally:
            browser.close()
