"""Every status carries its date, the year filter keys on any dated evidence, and one document behind many rows
is said so and cited once (issue 15): the queries, the map's hover, the pages, the brief and the letter."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts, queries
from dashboard.documents.brief import brief_markdown, build_brief
from dashboard.documents.letter import build_letter, law_from_row
from rules import documented
from tests.apptest import no_exception, open_page, page, text_of

AAMVA = "061013_10_30_FR_Complete.pdf"  # the 2013 Pinellas FACES presentation behind ~246 Florida rows
SAN_DIEGO = "CA0330000"  # one Atlas row: dated 2012 by its earliest link, with a 2019 article too


def faces_agency(db) -> str:
    return db.execute(
        "SELECT min(agency_id) FROM core.evidence WHERE source_url LIKE ? AND summary LIKE '%(FACES)%'", [f"%{AAMVA}"]
    ).fetchone()[0]


def test_the_year_filter_keeps_a_claim_with_any_evidence_dated_in_the_range():
    narrowed = queries.map_agencies(queries.Filters(year_from=2019, year_to=2020))
    assert SAN_DIEGO in set(narrowed["agency_id"])  # the old filter read only the row's earliest link, 2012
    assert SAN_DIEGO not in set(queries.map_agencies(queries.Filters(year_from=2021, year_to=2021))["agency_id"])
    counts = queries.headline(queries.Filters(year_from=2019, year_to=2020))
    assert counts["agencies"] == len(narrowed)


def test_hiding_claims_not_documented_in_five_years(db):
    since = documented.stale_before(dt.date(2026, 12, 6))
    recent = queries.map_agencies(queries.Filters(documented_since=since))
    assert len(recent) < len(queries.map_agencies(queries.Filters()))
    assert faces_agency(db) not in set(recent["agency_id"])
    assert (recent["last_documented"].dropna() >= pd.Timestamp(since)).all()


def test_the_map_hover_says_when_each_status_was_last_documented(db):
    agencies = queries.map_agencies(queries.Filters())
    assert "last_documented" in agencies
    fig = charts.agency_map(agencies)
    hovers = [t.hovertemplate for t in fig.data]
    points = [row for t in fig.data for row in t.customdata]
    assert any(", %{customdata[6]}" in h for h in hovers)
    assert any(str(p[6]).startswith("not documented since") for p in points)
    faded = [o for t in fig.data for o in (t.marker.opacity if isinstance(t.marker.opacity, tuple) else ())]
    assert 0.3 in faded


def test_the_map_page_hides_old_claims_from_its_url():
    everything, recent = open_page(), open_page(recent="1")  # the map is the default page
    no_exception(recent)
    assert recent.checkbox(key="f_recent").value is True
    metric = {m.label: m.value for m in recent.metric}
    assert int(metric["Agencies with evidence"]) < int(
        {m.label: m.value for m in everything.metric}["Agencies with evidence"]
    )


def test_the_agency_page_gives_dates_and_names_the_shared_document(db):
    text = text_of(page("app_pages/agency.py", agency=faces_agency(db)))
    assert "not documented since 2019" in text  # FACES rows: 2013 presentation, 2016 report, 2019 article
    assert "One document stands behind" in text
    assert "Face Analysis Comparison & Examination System (FACES)" in text


def test_the_place_page_cards_carry_the_date():
    text = text_of(page("app_pages/place.py", q="San Diego"))
    assert "not documented since" in text or "last documented" in text


def brief_for_florida():
    evidence = queries.jurisdiction_evidence("state", "FL", "FL")
    return build_brief(
        "FL",
        evidence,
        queries.jurisdiction_policies("state", "FL", "FL"),
        queries.source("fr_bans_iff"),
        dt.date(2026, 12, 6),
    ), evidence


def test_the_brief_lists_one_citation_per_document_and_names_the_system():
    brief, evidence = brief_for_florida()
    shared = [c for c in brief.citations if AAMVA in c.url]
    assert len(shared) == 1 and shared[0].rows >= 200
    assert len(brief.citations) == len({c.url for c in brief.citations if c.kind == "evidence"}) + sum(
        c.kind != "evidence" for c in brief.citations
    )
    summary = " ".join(line.text for line in dict(brief.sections)["Summary"])
    assert "rest on one document" in summary and "Face Analysis Comparison & Examination System (FACES)" in summary
    products = " ".join(line.text for line in dict(brief.sections)["Products and vendors"])
    assert "used, not documented since" in products
    assert f"behind {shared[0].rows} evidence rows" in brief_markdown(brief)


def test_the_letter_gives_each_claim_its_date(db):
    agency_id = faces_agency(db)
    agency = queries.agency(agency_id)
    letter = build_letter(
        agency, queries.agency_claims(agency_id), law_from_row(queries.records_law("FL"), "FL"), dt.date(2026, 12, 6)
    )
    assert "not documented since 2019" in letter
