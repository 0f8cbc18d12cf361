"""The three journeys driven through query parameters with AppTest, as a shared link would open them."""

from __future__ import annotations

import re

from tests.apptest import page, page_html, text_of


def test_citizen_zip_lookup_and_letter():
    at = page("app_pages/place.py", q="48226")
    text = text_of(at)
    assert re.search(r"3 of the \d+ agencies that serve ZIP code 48226 \(Detroit, Wayne County, MI\) have public", text)
    assert "Detroit Police Department" in text
    letter = at.text_area[0].value
    assert "Michigan Freedom of Information Act" in letter and "Detroit Police Department" in letter
    # The letter's agency is in the URL too, so the link reopens the same letter.
    assert at.query_params["agency"] in ("MI8234900", ["MI8234900"])


def test_citizen_letter_for_a_chosen_agency_from_the_link():
    at = page("app_pages/place.py", q="48226", agency="MI3300100")
    assert "Michigan State Police" in at.text_area[0].value


def test_citizen_unknown_zip_and_hostile_text():
    assert "not a US ZIP code" in text_of(page("app_pages/place.py", q="00000"))
    at = page("app_pages/place.py", q="' OR 1=1; DROP TABLE core.evidence; --")
    assert "No agency matching" in text_of(at)


def test_council_brief_from_the_link():
    at = page("app_pages/brief.py", state="MI", level="city", name="Detroit")
    text = text_of(at)
    assert "Facial recognition in Detroit, MI: the public record" in text
    assert "Questions for the hearing" in text and "### Sources" in text
    # its map is the PDF's own drawing, as an SVG picture: no chart library, nothing fetched
    (picture,) = at.get("image")
    assert picture.proto.imgs[0].url.startswith("data:image/svg+xml") and not at.get("plotly_chart")


def test_council_brief_for_a_whole_state_lists_policies_with_caveats():
    text = text_of(page("app_pages/brief.py", state="CA", level="state", name="CA"))
    assert "AB 1215" in text and "Caveat" in text


def test_vendors_page_counts_only_face_recognition_vendors():
    at = page("app_pages/vendors.py")
    vendors = at.dataframe[0].value["vendor"].tolist()
    assert "Clearview AI" in vendors and "IDEMIA" in vendors
    assert not any(v in vendors for v in ("Motorola Solutions", "Cellebrite", "Axon Enterprise", "Palantir"))


def test_whats_new_filters_by_state_from_the_link():
    at = page("app_pages/whats_new.py", state="MI")
    frames = [df.value for df in at.dataframe]
    assert frames and all(set(f["state"]) == {"MI"} for f in frames)


def test_whats_new_watchlist_from_the_page(tmp_path, monkeypatch):
    monkeypatch.setenv("WATCHDOG_WATCHLISTS", str(tmp_path / "watchlists.json"))
    at = page("app_pages/whats_new.py")
    at.text_input[0].set_value("Detroit")
    at.selectbox[0].set_value("city")
    at.text_input[1].set_value("Detroit")
    at.button[0].click().run()
    assert not at.exception
    assert (tmp_path / "watchlists.json").exists() and "Detroit" in (tmp_path / "watchlists.json").read_text()
    at = page("app_pages/whats_new.py", watch="Detroit")
    assert at.selectbox(key="new_watch").value == "Detroit"
    frames = [df.value for df in at.dataframe]
    assert all(set(f["state"]) <= {"MI"} for f in frames)


def test_citizen_tracks_a_request_and_sees_its_due_date(tmp_path, monkeypatch):
    monkeypatch.setenv("WATCHDOG_REQUESTS", str(tmp_path / "requests.json"))
    at = page("app_pages/place.py", q="Federal Bureau of Investigation")
    at.button[0].click().run()
    assert not at.exception
    at = page("app_pages/requests.py")
    table = at.dataframe[0].value
    assert table.loc[0, "state"] == "US" and table.loc[0, "status"] == "sent"
    assert "20 business days" in table.loc[0, "deadline"] and table.loc[0, "due"] is not None


def test_citizen_can_ask_an_agency_with_no_evidence():
    """No evidence is a reason to ask: every registry agency of the place can be sent the letter."""
    at = page("app_pages/place.py", q="Dearborn", agency="MI8234300")
    assert "agencies that serve Dearborn, MI" in text_of(at)
    # The public place page (through st.html): Dearborn's police with no claim under them, and the coverage
    body = page_html(at)
    police = body[body.index("<strong>Dearborn Police Department</strong>") :]
    assert 'class="status' not in police[: police.index("</li>")], "no evidence on record: no claim's badge"
    assert "Coverage of the" in text_of(at) and "registry agencies that serve Dearborn, Michigan" in text_of(at)
    assert "researched by the Atlas of Surveillance with nothing found" in text_of(at)
    letter = at.text_area[0].value
    assert "Dearborn Police Department" in letter and "Michigan Freedom of Information Act" in letter
    assert "Public sources indicate" not in letter  # nothing is claimed about an agency without evidence


def test_citizen_zip_lookup_shows_the_city_ban():
    text = text_of(page("app_pages/place.py", q="94103"))
    assert "San Francisco, California" in text and "Ban" in text
