"""`python -m ingest run` end to end against one local server playing every live source: what lands in
the database, what a rerun adds (nothing), what a failing source leaves (the last good data), and that
`--offline` rebuilds the same database from the archive alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from pytest_httpserver import HTTPServer
from werkzeug import Response

from ingest import archive, fetch, http
from ingest import db as dbmod
from ingest.sources import muckrock, socrata, usaspending

FIXTURES = Path(__file__).parent / "fixtures" / "live"
LEAK = (
    "agency,state,product vendor,listed\nDetroit Police Department,MI,Clearview AI,2020-02-27\n"
    "Springfield Police Department,,Clearview AI,2020-02-27\nAcme Widgets,TX,Clearview AI,2020-02-27\n"
)


def pdf_bytes(text: str) -> bytes:
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=11)
    doc.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def usaspending_answer(request) -> Response:
    body = request.get_json()
    if body["filters"]["award_type_codes"][0] != "A":
        name = "usaspending_empty.json"
    else:
        name = f"usaspending_page{body['page']}.json"
    return Response((FIXTURES / name).read_bytes(), content_type="application/json")


def play_every_source(server: HTTPServer) -> None:
    from tests.test_usaspending_awards import serve_usaspending

    server.expect_request("/download.csv").respond_with_data(
        (FIXTURES / "atlas_download.csv").read_bytes(), content_type="text/csv"
    )
    server.expect_request("/api/v2/search/spending_by_award/", method="POST").respond_with_handler(usaspending_answer)
    serve_usaspending(server)  # each award's detail (the search above answers first)
    server.expect_request("/resource/rsxa-ify5.json").respond_with_data(
        (FIXTURES / "chicago_contracts_page.json").read_bytes(), content_type="application/json"
    )
    server.expect_request("/resource/cqi5-hm2d.json").respond_with_json([])
    server.expect_request("/api_v2/requests/").respond_with_data(
        (FIXTURES / "muckrock_requests.json").read_bytes(), content_type="application/json"
    )
    server.expect_request("/api_v2/agencies/68/").respond_with_json(
        {"id": 68, "name": "Federal Aviation Administration", "jurisdiction": 10}
    )
    server.expect_request("/api_v2/agencies/990002/").respond_with_json(
        {"id": 990002, "name": "Detroit Police Department", "jurisdiction": 990003}
    )
    server.expect_request("/api_v2/communications/", query_string="foia=137048").respond_with_json(
        {"next": None, "results": []}
    )
    # API v2 lists a communication's files by id; their URLs come from files/?communication=.
    server.expect_request("/api_v2/communications/", query_string="foia=990001").respond_with_json(
        {"next": None, "results": [{"id": 5001, "foia": 990001, "datetime": "2023-03-01T10:00:00", "files": [1]}]}
    )
    server.expect_request("/api_v2/files/", query_string="communication=5001").respond_with_json(
        {
            "next": None,
            "results": [
                {
                    "id": 1,
                    "ffile": "https://cdn.muckrock.com/foia_files/2023/03/01/test.pdf",
                    "title": "SYNTHETIC responsive record",
                    "datetime": "2023-03-01T10:00:00",
                    "pages": 1,
                }
            ],
        }
    )
    server.expect_request("/foia_files/2023/03/01/test.pdf").respond_with_data(
        pdf_bytes(
            "SYNTHETIC TEST DOCUMENT. Detective memo: the unit purchased Clearview AI licenses in 2019 and used "
            "Clearview AI to identify suspects."
        ),
        content_type="application/pdf",
    )


NARROW = {usaspending: ["Clearview AI"], socrata: ["Clearview AI"], muckrock: ["Clearview AI"]}


@pytest.fixture(scope="module")
def narrow_catalog():
    """Ask for one vendor (one term per source) so the fixtures stay small; the code paths are the same."""
    with pytest.MonkeyPatch.context() as mp:
        for module, terms in NARROW.items():
            mp.setattr(module, "search_terms", lambda terms=terms: list(terms))
        yield


@pytest.fixture(scope="module")
def server():
    s = HTTPServer(host="127.0.0.1", port=0)
    s.start()
    play_every_source(s)
    yield s
    s.clear()
    s.stop()


def quick_client() -> http.Client:
    return http.Client(timeout=2.0, attempts=2, min_interval=0.0, wait_initial=0.01, wait_max=0.05)


def first_live_run(folder: Path) -> dict:
    """`ingest run all` of every live source against its own loopback server, with a leaked list given as a
    file: the archive, the database and each source's result. conftest.py runs it once per session."""
    leak = folder / "leaked_list.csv"
    leak.write_text(LEAK)
    options = {
        "path": str(leak),
        "mapping": {"agency": "agency", "state": "state", "vendor": "product vendor", "date": "listed"},
        "name": "SYNTHETIC leaked client list",
    }
    root, database = folder / "archive", folder / "watchdog.duckdb"
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        play_every_source(server)
        with pytest.MonkeyPatch.context() as mp:
            for module, terms in NARROW.items():
                mp.setattr(module, "search_terms", lambda terms=terms: list(terms))
            results = fetch.run(
                "all",
                base_url=server.url_for("/").rstrip("/"),
                db_path=database,
                root=root,
                options=options,
                client=quick_client(),
            )
    finally:
        server.clear()
        server.stop()
    return {"root": root, "db": database, "results": {r.source_id: r for r in results}, "options": options}


@pytest.fixture(scope="module")
def first_run(live_first_run):
    """The session's one live run (tests/conftest.py), shared by every module that reads it."""
    return live_first_run


def query(database: Path, sql: str, params=None):
    con = dbmod.connect(database, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_every_live_source_ran_and_was_archived(first_run):
    results = first_run["results"]
    assert {s: r.status for s, r in results.items()} == {s: "ok" for s in results}, {
        s: r.error for s, r in results.items()
    }
    assert results["atlas"].fetched == 6 and results["usaspending"].fetched == 4
    for source_id in ("atlas", "usaspending", "socrata_chicago_contracts", "muckrock", "file"):
        items = archive.responses(first_run["root"], source_id)
        assert items, source_id
        for item in items:
            assert item.meta["sha256"] and item.meta["url"] and item.meta["fetched_at"]
    assert not list(first_run["root"].glob("*/.partial-*"))


def test_runs_are_recorded_with_counts(first_run):
    runs = dict(
        query(
            first_run["db"],
            "SELECT source_id, (status, fetched, new) FROM meta.ingest_runs WHERE archive_run IS NOT NULL",
        )
    )
    assert runs["atlas"] == ("ok", 6, 6)
    assert runs["usaspending"][2] == 4 + 4  # four awards, and the detail of each
    assert first_run["results"]["socrata_chicago_contracts"].rejected == 1  # the row that is not an object


def test_atlas_live_rows_become_evidence_by_ori(first_run):
    rows = query(first_run["db"], "SELECT agency_id, agency_match FROM core.evidence WHERE source_id = 'atlas'")
    assert ("TX0430600", "ori") in rows
    assert query(first_run["db"], "SELECT count(*) FROM raw.records WHERE source_id = 'atlas'")[0][0] == 6


def test_usaspending_live_rows_go_through_the_classifier(first_run):
    verdicts = dict(
        query(first_run["db"], "SELECT award_id, fr_verdict FROM core.procurement WHERE source_id = 'usaspending'")
    )
    assert verdicts["70CMSD25P00000111"] == "yes" and verdicts["70US0920F1DHS0136"] == "no"
    evidence = query(first_run["db"], "SELECT kind, source_url FROM core.evidence WHERE source_id = 'usaspending'")
    assert len(evidence) == 3 and all(k == "procured" for k, _ in evidence)
    assert all(u.startswith("https://www.usaspending.gov/award/CONT_AWD_") for _, u in evidence)


def test_socrata_contract_rows_are_procurement_and_only_yes_is_evidence(first_run):
    rows = dict(
        query(
            first_run["db"],
            "SELECT award_id, (fr_verdict, awarding_subagency) FROM core.procurement "
            "WHERE source_id = 'socrata_chicago_contracts'",
        )
    )
    assert rows["TEST-0001"] == ("yes", "CHICAGO POLICE DEPARTMENT")
    assert rows["TEST-0002"][0] == "no"
    ev = query(
        first_run["db"],
        "SELECT e.kind, a.state, a.city FROM core.evidence e JOIN core.agencies a USING (agency_id) "
        "WHERE e.source_id = 'socrata_chicago_contracts'",
    )
    assert ev == [("procured", "IL", "Chicago")]


def test_muckrock_requests_are_not_evidence_but_document_pages_can_be(first_run):
    requests = dict(query(first_run["db"], "SELECT request_id, (agency_name, agency_id) FROM core.records_requests"))
    assert requests["muckrock:137048"][0] == "Federal Aviation Administration"
    ev = query(first_run["db"], "SELECT kind, summary, source_url FROM core.evidence WHERE source_id = 'muckrock'")
    assert len(ev) == 1
    kind, summary, url = ev[0]
    assert kind == "procured" and "purchased Clearview AI" in summary and "page 1" in summary
    assert url.endswith("test.pdf")


def test_a_leaked_list_is_weak_evidence_and_unmatched_rows_stay_in_quarantine(first_run):
    statuses = query(
        first_run["db"],
        "SELECT c.status FROM views.claims c JOIN views.evidence e USING (agency_id) "
        "WHERE e.source_id = 'file' AND c.vendor_id = 'clearview_ai'",
    )
    assert statuses and {s for (s,) in statuses} <= {"unconfirmed", "used", "procured", "trialled", "ended"}
    weights = query(first_run["db"], "SELECT DISTINCT source_weight, kind FROM views.evidence WHERE source_id = 'file'")
    assert weights == [("weak", "used")]
    reasons = [
        r
        for (r,) in query(
            first_run["db"], "SELECT reason FROM core.quarantine WHERE source_id = 'file' ORDER BY reason"
        )
    ]
    assert any("Springfield" in r and "ambiguous" in r for r in reasons)
    assert any("Acme Widgets" in r and "no registry agency" in r for r in reasons)
    sha = query(first_run["db"], "SELECT sha256 FROM meta.file_imports")[0][0]
    assert query(first_run["db"], "SELECT DISTINCT source_url FROM core.evidence WHERE source_id = 'file'") == [
        (f"urn:sha256:{sha}",)
    ]


def test_a_rerun_adds_nothing_and_a_failing_source_keeps_its_last_good_data(first_run, server, narrow_catalog):
    before = query(first_run["db"], "SELECT source_id, count(*) FROM raw.records GROUP BY 1 ORDER BY 1")
    server.clear()
    play_every_source(server)
    # The Atlas now answers with an HTML error page: that source fails, the others run again.
    server.clear_all_handlers() if hasattr(server, "clear_all_handlers") else None
    server.expect_oneshot_request("/download.csv").respond_with_data(
        "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", content_type="text/html"
    )
    play_every_source(server)
    results = {
        r.source_id: r
        for r in fetch.run(
            "all",
            base_url=server.url_for("/").rstrip("/"),
            db_path=first_run["db"],
            root=first_run["root"],
            options=first_run["options"],
            client=quick_client(),
        )
    }
    assert results["atlas"].status == "failed" and "HTML" in results["atlas"].error
    assert results["usaspending"].status == "ok" and results["usaspending"].new == 0
    after = query(first_run["db"], "SELECT source_id, count(*) FROM raw.records GROUP BY 1 ORDER BY 1")
    assert after == before
    assert query(first_run["db"], "SELECT count(*) FROM core.evidence WHERE source_id = 'atlas'")[0][0] > 0
    assert len(archive.runs_of(first_run["root"], "atlas")) == 1
    failed = query(
        first_run["db"], "SELECT error FROM meta.ingest_runs WHERE source_id = 'atlas' AND status = 'failed'"
    )
    assert failed and "HTML" in failed[0][0]


FINGERPRINT = (
    "SELECT list((source_id, content_hash) ORDER BY source_id, content_hash) FROM raw.records",
    "SELECT list((evidence_id, agency_id, kind) ORDER BY evidence_id) FROM core.evidence",
    "SELECT list((procurement_id, fr_verdict) ORDER BY procurement_id) FROM core.procurement",
    "SELECT list(request_id ORDER BY request_id) FROM core.records_requests",
)


def test_offline_rebuilds_the_same_database_from_the_archive(first_run, tmp_path):
    again = tmp_path / "offline.duckdb"
    results = fetch.run("all", offline=True, db_path=again, root=first_run["root"])
    assert all(r.status == "skipped" for r in results)
    for sql in FINGERPRINT:
        assert query(again, sql) == query(first_run["db"], sql), sql
    assert query(again, "SELECT count(*) FROM meta.ingest_runs WHERE archive_run IS NOT NULL")[0][0] >= 6
