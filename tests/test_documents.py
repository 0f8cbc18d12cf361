"""Request letters, hearing briefs and table downloads, built from the bundled database."""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest

from dashboard import queries
from dashboard.documents.brief import brief_markdown, brief_pdf_file, build_brief
from dashboard.documents.jurisdiction import Place
from dashboard.documents.letter import build_letter, law_from_row
from dashboard.documents.pdf import text_to_pdf
from dashboard.exports import to_csv, to_json, to_parquet

TODAY = date(2026, 11, 28)


def letter_for(agency_id: str) -> str:
    agency = queries.agency(agency_id)
    state = agency["state"] if isinstance(agency["state"], str) else "US"
    return build_letter(
        agency, queries.agency_claims(agency_id), law_from_row(queries.records_law(state), state), TODAY
    )


def test_letter_cites_the_state_law_and_asks_for_the_records():
    letter = letter_for("MI8234900")
    assert "Michigan Freedom of Information Act, MCL 15.231 et seq. (response: MCL 15.235)" in letter
    assert "Detroit Police Department" in letter and "November 28, 2026" in letter
    for ask in ("Contracts, purchase orders", "free trial", "Search logs", "Policies", "Audits", "DataWorks Plus"):
        assert ask in letter
    # Michigan's 5 days are business days (MCL 15.235(2), a correction with its source): the due date counts them.
    assert "within 5 business days, that is by December 4, 2026" in letter


def test_federal_agencies_get_foia_with_business_days():
    letter = letter_for("fed-federal-bureau-of-investigation-department-of-justice")
    assert "Freedom of Information Act (5 U.S.C. § 552)" in letter
    assert "within 20 business days" in letter


def test_a_state_with_no_known_deadline_is_said_plainly():
    law = law_from_row(queries.records_law("AL"), "AL")
    assert law.response_days is None
    assert "no fixed response deadline" in law.deadline_sentence()


def test_letter_pdf_is_a_pdf():
    pdf = text_to_pdf("Public records request", letter_for("MI8234900"))
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b", pdf)) >= 1


def brief_for(level, name, state):
    evidence = queries.jurisdiction_evidence(level, name, state)
    return build_brief(
        f"{name}, {state}" if level != "state" else state,
        evidence,
        queries.jurisdiction_policies(level, name, state),
        queries.source("fr_bans_iff"),
        TODAY,
        flags=queries.flags_for(evidence["agency_id"].unique().tolist()),
        requests=queries.jurisdiction_requests(level, name, state),
        coverage=queries.jurisdiction_coverage(level, name, state),
        coverage_sources=[queries.source("fbi_cde_agencies"), queries.source("atlas_2020_full")],
    ), evidence


@pytest.mark.parametrize(
    "level, name, state",
    [
        ("state", "TX", "TX"),
        ("city", "Detroit", "MI"),
        ("city", "Boston", "MA"),
        ("state", "CA", "CA"),
        ("city", "San Francisco", "CA"),
    ],
)
def test_every_brief_line_cites_sources_that_resolve(db, level, name, state):
    brief, evidence = brief_for(level, name, state)
    assert brief.lines()
    numbers = {c.number for c in brief.citations}
    for line in brief.lines():
        assert line.cites, line.text
        assert set(line.cites) <= numbers, line.text
    for c in brief.citations:
        if c.kind == "evidence":
            url = db.execute("SELECT source_url FROM views.evidence WHERE evidence_id = ?", [c.ref]).fetchone()
        elif c.kind == "policy":
            url = db.execute("SELECT source_url FROM views.policies WHERE policy_id = ?", [c.ref]).fetchone()
        elif c.kind == "request":
            url = db.execute("SELECT url FROM views.records_requests WHERE request_id = ?", [c.ref]).fetchone()
        else:
            url = db.execute("SELECT url FROM views.sources WHERE source_id = ?", [c.ref]).fetchone()
        assert url is not None and url[0] == c.url, c
    text = brief_markdown(brief)
    assert all(f"[{n}]" in text for n in numbers)


def test_brief_raises_questions_from_gaps_not_verdicts():
    brief, _ = brief_for("state", "TX", "TX")
    questions = dict(brief.sections)["Questions for the hearing"]
    assert any("no procurement record" in q.text and q.text.rstrip().endswith("?") for q in questions)
    assert all("?" in q.text for q in questions)
    boston, _ = brief_for("city", "Boston", "MA")
    policy = dict(boston.sections)["Policy status"]
    assert any("Boston, Massachusetts: Ban" in line.text for line in policy)


def test_brief_asks_about_use_after_a_ban():
    brief, _ = brief_for("city", "San Francisco", "CA")
    questions = [line.text for line in dict(brief.sections)["Questions for the hearing"]]
    assert any("after the San Francisco, California ban" in q and q.endswith("?") for q in questions)


def test_brief_pdf_with_its_map(tmp_path):
    brief, _ = brief_for("state", "TX", "TX")
    pdf = brief_pdf_file(Place("state", "TX", "TX"), brief)  # the map drawn in the page, as the download makes it
    pages = len(re.findall(rb"/Type /Page\b", pdf))
    assert pdf.startswith(b"%PDF") and 1 <= pages <= 3
    assert b"/Subtype /Image" not in pdf  # vector shapes, no picture from a browser


def test_csv_downloads_neutralise_spreadsheet_formulas():
    frame = pd.DataFrame(
        {"name": ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "plain", "\tx"], "n": [1, 2, 3, 4, 5, 6]}
    )
    cells = pd.read_csv(io.BytesIO(to_csv(frame)))["name"].tolist()
    assert cells[:4] == ['\'=HYPERLINK("http://evil")', "'+1", "'-2+3", "'@SUM(A1)"]
    assert cells[4] == "plain"
    assert pd.read_json(io.BytesIO(to_json(frame)))["n"].tolist() == [1, 2, 3, 4, 5, 6]
    assert pd.read_parquet(io.BytesIO(to_parquet(frame))).equals(frame)


def test_brief_says_how_much_of_the_place_is_covered(db):
    brief, _ = brief_for("city", "Detroit", "MI")
    line = next(line for line in dict(brief.sections)["Summary"] if line.text.startswith("Coverage:"))
    registry = db.execute(
        "SELECT count(*) FROM views.agencies WHERE state = 'MI' AND lower(city) = 'detroit'"
    ).fetchone()[0]
    assert f"of the {registry} agencies in our registry here" in line.text and line.cites
