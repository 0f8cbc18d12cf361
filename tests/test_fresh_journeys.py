"""The three journeys on freshly ingested data: `python -m ingest run all` against one loopback server playing
every live source (with records requests), then the pages a citizen, a council member and a reporter use, read
from that new database. Every request, agency and document here that is not in data/ is SYNTHETIC."""

from __future__ import annotations

import json
import os
import re

import pytest
from pytest_httpserver import HTTPServer
from streamlit.testing.v1 import AppTest

from ingest import db as dbmod
from ingest import fetch
from tests.apptest import page, page_html, text_of
from tests.test_ingest_live import FIXTURES, LEAK, narrow_catalog, play_every_source, quick_client  # noqa: F401

# A SYNTHETIC request to an agency with no evidence (Dearborn PD, MI), answered "no documents".
ASKED = {
    "id": 990005,
    "title": "SYNTHETIC TEST REQUEST: facial recognition records, Dearborn Police Department",
    "slug": "synthetic-test-request-2",
    "status": "no_docs",
    "embargo_status": "public",
    "user": 1,
    "agency": 990006,
    "datetime_submitted": "2021-02-01T10:00:00",
    "datetime_done": "2021-03-01T10:00:00",
    "datetime_updated": "2021-03-01T10:00:00",
    "tags": [],
    "absolute_url": "https://www.muckrock.com/foi/synthetic-test-request-990005/",
}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, narrow_catalog):  # noqa: F811
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    page = json.loads((FIXTURES / "muckrock_requests.json").read_text())
    page["results"].append(ASKED)
    server.expect_request("/api_v2/requests/").respond_with_json(page)  # before the default page: matched first
    server.expect_request("/api_v2/agencies/990006/").respond_with_json(
        {"id": 990006, "name": "Dearborn Police Department", "jurisdiction": 990007}
    )
    play_every_source(server)
    folder = tmp_path_factory.mktemp("fresh")
    (folder / "leak.csv").write_text(LEAK)
    options = {
        "path": str(folder / "leak.csv"),
        "name": "SYNTHETIC leaked client list",
        "mapping": {"agency": "agency", "state": "state", "vendor": "product vendor", "date": "listed"},
    }
    database = folder / "watchdog.duckdb"
    results = fetch.run(
        "all",
        base_url=server.url_for("/").rstrip("/"),
        db_path=database,
        root=folder / "archive",
        options=options,
        client=quick_client(),
    )
    server.stop()
    assert all(r.status == "ok" for r in results), [(r.source_id, r.error) for r in results]
    old = os.environ["WATCHDOG_DB"]
    os.environ["WATCHDOG_DB"] = str(database)
    yield database
    os.environ["WATCHDOG_DB"] = old


def test_the_fresh_database_holds_the_requests_and_the_gap(fresh):
    con = dbmod.connect(fresh, read_only=True)
    try:
        coverage = con.execute("SELECT research_status FROM views.coverage WHERE agency_id = 'MI8234300'").fetchone()
        gaps = con.execute(
            "SELECT gap, product, request_id FROM views.request_gaps WHERE agency_id = 'MI8234900'"
        ).fetchall()
    finally:
        con.close()
    assert coverage == ("asked: no documents",)
    # Detroit PD's released page names Clearview AI, not DataWorks Plus, which a 2019 source says it procured.
    assert ("request_documents_silent", "DataWorks Plus (product not named)", "muckrock:990001") in gaps


def test_citizen_sees_who_was_asked_and_how_much_is_covered(fresh):
    text = text_of(page("app_pages/place.py", q="Dearborn"))
    assert "agencies that serve Dearborn, MI" in text
    assert "asked through a records request and nothing found yet (1 no documents)" in text
    # The requests as the public place page lists them (through st.html): who was asked, what came of it
    body = page_html(page("app_pages/place.py", q="Dearborn"))
    asked = body[body.index("Records requests about facial recognition") :]
    assert re.findall(r"<li>([^<]*) · <strong>([^<]*)</strong>", asked) == [
        ("Dearborn Police Department", "no documents")
    ]


def test_citizen_agency_page_shows_the_request_and_the_question(fresh):
    at = page("app_pages/agency.py", agency="MI8234900")
    text = text_of(at)
    assert "Records requests about facial recognition (1)" in text
    assert "none of the 1 released pages we read names DataWorks Plus" in text
    assert '<a href="https://www.muckrock.com/foi/synthetic-test-request-990001/"' in page_html(at)


def test_council_brief_cites_the_request_and_every_citation_resolves(fresh):
    at = page("app_pages/brief.py", state="MI", level="city", name="Detroit")
    text = text_of(at)
    assert "### Records requests" in text and "Were all responsive records released?" in text
    sources = text[text.index("### Sources") :]
    url = "https://www.muckrock.com/foi/synthetic-test-request-990001/"
    assert f"Records request muckrock:990001 (MuckRock): [{url}]({url})" in sources  # a link, from the URL field


def test_reporter_sees_procured_but_absent_from_the_records_responses(fresh):
    at = AppTest.from_file("../dashboard/app.py", default_timeout=60)
    at.switch_page("app_pages/reporter.py")
    at.run()
    at.file_uploader[0].set_value(("leak.csv", b"Agency,State\nDetroit Police Department,MI\n", "text/csv"))
    at.run()
    assert not at.exception, at.exception
    gaps = next(df.value for df in at.dataframe if "question" in df.value.columns)
    assert gaps["name"].tolist() == ["Detroit Police Department"]
    assert "DataWorks Plus" in gaps["question"].iloc[0]


def test_map_counts_and_draws_the_asked_agencies(fresh):
    at = AppTest.from_file("../dashboard/app.py", default_timeout=60)
    at.query_params["state"], at.query_params["coverage"] = "MI", "1"
    at.run()  # the map is the default page: it reads the link on the first run, as a browser opening it would
    assert not at.exception, at.exception
    assert "1 asked through a records request with no evidence yet" in text_of(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    grey = next(t for t in spec["data"] if t["name"] == "researched or asked, nothing found")
    drawn = {row[1]: row[2] for row in grey["customdata"]}
    assert drawn["Dearborn Police Department"] == "records request: no documents, no face-recognition evidence found"
    assert any(v.startswith("researched (Atlas lists ") for v in drawn.values())
