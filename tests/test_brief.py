"""The hearing brief (issue 16): Miami-Dade fits two pages, a document behind many rows is cited once, the
questions are numbered, contracts say amount, date and payer, systems are named, and a place is found by name
in any state."""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest

from dashboard import queries
from dashboard.data import query
from dashboard.documents.brief import QUESTIONS, brief_for, brief_markdown, brief_pdf_file, build_brief
from dashboard.documents.jurisdiction import Place, find
from dashboard.documents.words import agency_list, join_words

TODAY = date(2026, 12, 6)
MIAMI_DADE = Place("county", "Miami-Dade County", "FL")


@pytest.fixture(scope="module")
def miami_dade():
    return brief_for(MIAMI_DADE, TODAY)


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def section(brief, title: str) -> list:
    return dict(brief.sections)[title]


def test_miami_dade_fits_two_pages(miami_dade):
    pdf = brief_pdf_file(MIAMI_DADE, miami_dade)
    assert pdf.startswith(b"%PDF") and pages(pdf) <= 2


def test_one_document_behind_many_rows_is_one_citation_and_cited_once_per_line(miami_dade):
    documents = [c.url for c in miami_dade.citations if c.kind == "evidence"]
    assert len(documents) == len(set(documents))
    faces = [c for c in miami_dade.citations if "aamva.org" in c.url]
    assert len(faces) == 1 and faces[0].rows == 26
    for line in miami_dade.lines():
        assert line.cites == sorted(set(line.cites)), line.text
    assert len(miami_dade.citations) <= 8
    markdown = brief_markdown(miami_dade)
    assert not re.search(r"(\[\d+\]) \1", markdown)  # the old brief printed [1] twenty-six times in a row


def test_the_summary_says_the_document_is_one_source_and_counts_it_over_the_database(miami_dade):
    summary = " ".join(line.text for line in section(miami_dade, "Summary"))
    assert "26 of the 31 evidence rows here (26 agencies) rest on one document" in summary
    assert "across the database it stands behind 246 evidence rows" in summary
    assert "It is one source, not 26." in summary


def test_systems_are_named(miami_dade):
    products = " ".join(line.text for line in section(miami_dade, "Products and vendors"))
    assert "through the Face Analysis Comparison & Examination System (FACES)" in products
    asked = " ".join(line.text for line in section(miami_dade, QUESTIONS))
    assert "Face Analysis Comparison & Examination System (FACES)" in asked


def test_a_county_of_agencies_is_a_sentence_not_a_page(miami_dade):
    idemia = next(line.text for line in section(miami_dade, "Products and vendors") if line.text.startswith("IDEMIA"))
    assert "the police departments of Aventura, Bay Harbor Islands, Coral Gables" in idemia
    assert idemia.count("Police Department") == 0
    assert "used, not documented since 2019" in idemia.lower()


def test_a_contract_shown_once_with_who_paid_when_and_its_amount(miami_dade):
    contracts = section(miami_dade, "Contracts and spend")
    assert len(contracts) == 1  # one Atlas sentence listed under three agencies is one contract
    line = contracts[0].text
    assert line.count("In 2017, Miami-Dade County signed a contract") == 1
    for payer, day in (
        ("Miami-Dade County Police Department", "2017-02-07"),
        ("Miami-Dade Corrections and Rehabilitation", "2018-02-07"),
        ("Miami-Dade Juvenile Services Department", "2019-02-07"),
    ):
        assert f"{payer} (earliest source {day})" in line
    assert "paid by" in line and "amount: not stated in the source" in line


def test_amounts_are_shown_and_added_up():
    fbi = "fed-federal-bureau-of-investigation-department-of-justice"
    evidence = queries.agency_evidence(fbi).assign(
        agency_id=fbi,
        agency_name="Federal Bureau of Investigation (Department of Justice)",
        status="procured",
        contested=False,
        last_documented=pd.Timestamp("2023-01-26"),
    )
    brief = build_brief("the FBI", evidence, pd.DataFrame(columns=["policy_id"]), queries.source("fr_bans_iff"), TODAY)
    lines = [line.text for line in section(brief, "Contracts and spend")]
    assert lines[0].startswith("Spend on record: $377,000 over 2 payments")
    assert any(
        "paid by Federal Bureau of Investigation (Department of Justice) ($18,000, award start 2022-01-01)" in t
        for t in lines
    )
    assert not any("not stated in the source" in t for t in lines)


def test_questions_are_a_numbered_list_of_questions(miami_dade):
    asked = section(miami_dade, QUESTIONS)
    assert asked and all("?" in line.text and line.cites for line in asked)
    markdown = brief_markdown(miami_dade)
    numbered = re.findall(
        r"^(\d+)\. .*\?", markdown.split("### Questions for the hearing")[1].split("### Sources")[0], re.M
    )
    assert numbered == [str(n) for n in range(1, len(asked) + 1)]
    assert any("states no amount" in line.text for line in asked)
    assert any("no public record in the last five years" in line.text for line in asked)


def test_every_line_is_cited_and_dated(miami_dade):
    for line in miami_dade.lines():
        assert line.cites, line.text
    products = " ".join(line.text for line in section(miami_dade, "Products and vendors"))
    assert "not documented since" in products


@pytest.mark.parametrize(
    "typed, wanted",
    [
        ("Miami-Dade", Place("county", "Miami-Dade County", "FL")),
        ("miami-dade county, florida", Place("county", "Miami-Dade County", "FL")),
        ("Springfield, IL", Place("city", "Springfield", "IL")),
        ("Travis County, TX", Place("county", "Travis County", "TX")),
        ("FL", Place("state", "FL", "FL")),
        ("Texas", Place("state", "TX", "TX")),
        ("Saint Louis, MO", Place("city", "St. Louis", "MO")),
        ("48226", Place("city", "Detroit", "MI")),
    ],
)
def test_a_place_is_found_by_typing_it_in_any_state(typed, wanted):
    found = find(typed, query)  # the Place page's lookup, one reading of a typed place everywhere
    assert found.place == wanted, found.sentence


def test_a_name_several_states_share_asks_for_the_state():
    found = find("Springfield", query)
    assert found.place is None and "Springfield, IL" in found.choices and "which one" in found.sentence
    # each choice is itself a place to look up
    assert find("Springfield, IL", query).place == Place("city", "Springfield", "IL")
    found = find("Nowheresville", query)
    assert found.place is None and not found.choices and "Nowheresville" in found.sentence
    found = find("Detroit Police", query)
    assert found.place is None and "names agencies, not a place" in found.sentence


def test_lists_read_as_english():
    assert join_words([]) == "" and join_words(["A"]) == "A"
    assert join_words(["A", "B"]) == "A and B" and join_words(["A", "B", "C"]) == "A, B and C"
    assert agency_list(["X Police Department", "Y Police Department"]) == "X Police Department and Y Police Department"
    assert (
        agency_list(["C Police Department", "A Police Department", "B Police Department", "Sheriff's Office"])
        == "Sheriff's Office; the police departments of A, B and C"
    )
    sheriffs = [f"{c} County Sheriff's Office" for c in ("Polk", "Bay", "Lee")]
    assert agency_list(sheriffs) == "the county sheriff's offices of Bay, Lee and Polk"


def test_the_brief_page_finds_a_place_typed_in_any_state_and_shows_typed_text_as_text():
    from tests.apptest import no_exception, open_page, text_of

    at = open_page("app_pages/brief.py")
    at.text_input(key="brief_find").set_value("Miami-Dade").run()
    no_exception(at)
    assert "Facial recognition in Miami-Dade County, FL: the public record" in text_of(at)
    assert dict(at.query_params) == {"state": "FL", "level": "county", "name": "Miami-Dade County"}
    at.text_input(key="brief_find").set_value("[x](javascript:alert(1)) *Miami*").run()
    no_exception(at)
    labels = [s.label for s in at.selectbox] + [str(i.value) for i in at.info]
    assert not any("[x](javascript" in label for label in labels)


def test_a_place_with_no_evidence_still_cites_every_line_and_asks():
    brief = brief_for(Place("city", "Springfield", "CO"), TODAY)
    assert brief.lines() and all(line.cites for line in brief.lines())
    summary = " ".join(line.text for line in section(brief, "Summary"))
    assert "of the 1 agency in our registry here" in summary and "1 was researched" in summary
    asked = section(brief, QUESTIONS)
    assert len(asked) == 1 and asked[0].text.startswith("Has any agency here used") and "?" in asked[0].text
