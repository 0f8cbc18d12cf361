"""USAspending award detail and sub-awards, and one award from two sources, against a local server.

The connector asks for every award's detail (GET /api/v2/awards/{id}/) and every grant's sub-awards
(POST /api/v2/subawards/); the transform takes the detail's description and place of performance, links a
sub-award to a local agency only when the matcher places its sub-recipient by rule, and reads an award held
both in the bundled file and in a live response once, from the live record. Fixtures: tests/fixtures/live/
(the grant, its detail and its sub-awards are SYNTHETIC)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from ingest import archive, fetch, http, registry
from ingest.sources import usaspending
from ingest.transform.usaspending import place_subrecipients
from rules.matching import from_database

FIXTURES = Path(__file__).parent / "fixtures" / "live"
DETAILS = json.loads((FIXTURES / "usaspending_award_details.json").read_text())
GRANT = "ASST_NON_SYNTHETIC15PBJA0001_1550"
SEARCH_PAGES = {"A": "usaspending_page{page}.json", "02": "usaspending_grants_page.json"}


def usaspending_answer(method: str, path: str, body: dict | None, details: dict = DETAILS) -> tuple[int, bytes]:
    """What the USAspending API answers, from the fixtures: contracts on two pages, one grant, each award's
    detail, the grant's sub-awards. Shared with the fault matrix, whose server is not werkzeug."""
    if path == "/api/v2/search/spending_by_award/":
        name = SEARCH_PAGES.get(body["filters"]["award_type_codes"][0], "usaspending_empty.json")
        return 200, (FIXTURES / name.format(page=body["page"])).read_bytes()
    if path == "/api/v2/subawards/":
        found = body["award_id"] == GRANT
        return 200, (FIXTURES / ("usaspending_subawards.json" if found else "usaspending_empty.json")).read_bytes()
    detail = re.fullmatch(r"/api/v2/awards/([^/]+)/", path)
    if method == "GET" and detail and unquote(detail.group(1)) in details:
        return 200, json.dumps(details[unquote(detail.group(1))]).encode()
    return 404, b'{"detail": "Not found."}'


def serve_usaspending(server: HTTPServer, details: dict = DETAILS) -> None:
    def answer(request) -> Response:
        status, body = usaspending_answer(request.method, request.path, request.get_json(silent=True), details)
        return Response(body, status=status, content_type="application/json")

    server.expect_request(
        re.compile(r"^/api/v2/(search/spending_by_award|subawards|awards/[^/]+)/$")
    ).respond_with_handler(answer)


def quick_client() -> http.Client:
    return http.Client(timeout=2.0, attempts=2, min_interval=0.0, wait_initial=0.01, wait_max=0.05)


@pytest.fixture(autouse=True)
def one_term(monkeypatch):
    monkeypatch.setattr(usaspending, "search_terms", lambda: ["Clearview AI"])


def fetch_usaspending(server: HTTPServer, root: Path) -> fetch.RunResult:
    with quick_client() as client:
        return fetch.fetch_source(client, registry.get("usaspending"), root, base_url=server.url_for("/").rstrip("/"))


def lookups(root: Path) -> list[archive.Archived]:
    return [item for item in archive.responses(root, "usaspending") if item.kind == "lookup"]


def test_every_award_gets_its_detail_and_the_grant_its_subawards_archived_unedited(httpserver, tmp_path):
    serve_usaspending(httpserver)
    result = fetch_usaspending(httpserver, tmp_path)
    assert result.status == "ok" and result.fetched == 5, result.error
    details = {item.meta["award_id"]: item for item in lookups(tmp_path) if "award_id" in item.meta}
    assert set(details) == set(DETAILS)
    for award_id, item in details.items():
        assert item.path.read_bytes() == usaspending_answer("GET", f"/api/v2/awards/{award_id}/", None)[1]
    (subawards,) = [item for item in lookups(tmp_path) if "prime_award_id" in item.meta]
    assert subawards.meta["prime_award_id"] == GRANT
    assert subawards.path.read_bytes() == (FIXTURES / "usaspending_subawards.json").read_bytes()
    asked = [json.loads(r.get_data()) for r, _ in httpserver.log if r.path == "/api/v2/subawards/"]
    assert asked == [{"award_id": GRANT, "page": 1, "limit": 100, "sort": "subaward_number", "order": "desc"}]
    assert [row["prime_award_id"] for row in usaspending.archived_rows(subawards)] == [GRANT] * 3


def test_a_failed_detail_is_noted_and_the_search_results_are_kept(httpserver, tmp_path):
    broken = "CONT_AWD_70CMSD21P00000127_7012_-NONE-_-NONE-"
    httpserver.expect_request(f"/api/v2/awards/{broken}/").respond_with_data(
        "<!DOCTYPE html><html><body>504 Gateway Time-out</body></html>", content_type="text/html"
    )
    serve_usaspending(httpserver)
    result = fetch_usaspending(httpserver, tmp_path)
    assert result.status == "ok" and result.fetched == 5
    (note,) = [n for n in result.notes if broken in n]
    assert "keeps its search-page row" in note and "HTML page" in note
    assert broken not in {item.meta.get("award_id") for item in lookups(tmp_path)}
    assert len([i for i in archive.responses(tmp_path, "usaspending") if i.kind == "page"]) == 4


def test_after_too_many_failures_no_more_details_are_asked_for(httpserver, tmp_path, monkeypatch):
    monkeypatch.setattr(usaspending, "MAX_EXTRA_FAILURES", 2)
    serve_usaspending(httpserver, details={})  # every detail is a 404
    result = fetch_usaspending(httpserver, tmp_path)
    assert result.status == "ok"
    assert len([r for r, _ in httpserver.log if r.path.startswith("/api/v2/awards/")]) == 2
    assert "3 award(s) left without detail" in result.notes[-1]


def test_subawards_are_archived_whole_or_not_at_all(httpserver, tmp_path):
    page1 = json.loads((FIXTURES / "usaspending_subawards.json").read_text())
    page1["page_metadata"].update(hasNext=True, next=2)
    httpserver.expect_oneshot_request("/api/v2/subawards/").respond_with_json(page1)
    httpserver.expect_oneshot_request("/api/v2/subawards/").respond_with_data(
        '{"results": [', content_type="application/json"
    )
    serve_usaspending(httpserver)
    result = fetch_usaspending(httpserver, tmp_path)
    assert result.status == "ok"
    assert any(f"sub-awards of {GRANT} not fetched" in n and "invalid JSON" in n for n in result.notes)
    assert not [item for item in lookups(tmp_path) if "prime_award_id" in item.meta]


def test_a_subrecipient_is_only_placed_by_rule_within_the_grants_state(db):
    placed, no_state, look_alike = place_subrecipients(
        *from_database(db),
        ["DETROIT POLICE DEPARTMENT", "DETROIT POLICE DEPARTMENT", "SPRINGFIELD POLICE DEPARTMENT"],
        ["MI", None, "MI"],
    )
    assert placed[:2] == ("MI8234900", "exact_name")
    assert no_state[0] is None and "no place-of-performance state" in no_state[3]
    assert look_alike[0] is None and "look-alikes not taken: Springfield Township Police Department" in look_alike[3]


# --- one build: details, sub-awards and the bundled duplicates --------------------------------------
MOTOROLA = "CONT_AWD_70US0920F1DHS0136_7009_70B04C19D00000010_7014"
NO_DETAIL = "CONT_AWD_70CMSD21P00000127_7012_-NONE-_-NONE-"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    details = copy.deepcopy(DETAILS)
    details.pop(NO_DETAIL)
    details[MOTOROLA]["description"] = "20-DV-RCB-APX RADIOS&SUPPLIES (SYNTHETIC TEST DETAIL: LONGER TEXT)"
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    serve_usaspending(server, details)
    folder = tmp_path_factory.mktemp("awards")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(usaspending, "search_terms", lambda: ["Clearview AI"])
        (result,) = fetch.run(
            "usaspending",
            base_url=server.url_for("/").rstrip("/"),
            db_path=folder / "w.duckdb",
            root=folder / "archive",
            client=quick_client(),
        )
    server.stop()
    assert result.status == "ok", result.error
    return folder / "w.duckdb"


def rows(database: Path, sql: str, params=None) -> list[tuple]:
    from ingest.db import connect

    con = connect(database, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_the_detail_gives_the_description_and_the_place_of_performance(built):
    described = dict(rows(built, "SELECT award_id, description FROM core.procurement WHERE source_id = 'usaspending'"))
    assert described["70US0920F1DHS0136"].endswith("(SYNTHETIC TEST DETAIL: LONGER TEXT)")
    assert (
        described["70CMSD21P00000127"] == "CLEARVIEW FACIAL RECOGNITION ENTERPRISE LICENSES"
    )  # no detail: search page
    summaries = dict(
        rows(
            built,
            "SELECT p.award_id, e.summary FROM core.evidence e JOIN core.procurement p "
            "ON p.procurement_id = e.evidence_id WHERE e.source_id = 'usaspending'",
        )
    )
    assert summaries["70CMSD25P00000111"].endswith("(place of performance: New York, New York County, NY)")
    assert "place of performance" not in summaries["70CMSD21P00000127"]


def test_subawards_are_procurement_linked_to_an_agency_only_when_matched(built):
    subs = {
        a: (r, v, reason)
        for a, r, v, reason in rows(
            built,
            "SELECT award_id, recipient, fr_verdict, reason FROM core.procurement WHERE award_type LIKE 'sub-award%'",
        )
    }
    assert set(subs) == {"SYNTHETIC-SUB-0001", "SYNTHETIC-SUB-0002", "SYNTHETIC-SUB-0003"}
    assert subs["SYNTHETIC-SUB-0003"][1] == "yes" and "(MI8234900), exact_name in MI" in subs["SYNTHETIC-SUB-0003"][2]
    assert subs["SYNTHETIC-SUB-0002"][1] == "no" and "(MI8218200)" in subs["SYNTHETIC-SUB-0002"][2]
    assert subs["SYNTHETIC-SUB-0001"][1] == "yes" and "not placed" in subs["SYNTHETIC-SUB-0001"][2]
    linked = dict(rows(built, "SELECT award_id, agency_id FROM core.procurement WHERE award_type LIKE 'sub-award%'"))
    assert linked == {"SYNTHETIC-SUB-0001": None, "SYNTHETIC-SUB-0002": "MI8218200", "SYNTHETIC-SUB-0003": "MI8234900"}
    evidence = rows(
        built, "SELECT agency_id, kind, kind_reason FROM core.evidence WHERE source_name LIKE '%sub-award%'"
    )
    assert [(a, k) for a, k, _ in evidence] == [("MI8234900", "procured")]
    assert "sub-award of SYNTHETIC15PBJA0001" in evidence[0][2]
    (quarantined,) = rows(built, "SELECT reason FROM core.quarantine WHERE reason LIKE 'facial-recognition sub-award%'")
    assert "SPRINGFIELD POLICE DEPARTMENT" in quarantined[0] and "look-alikes not taken" in quarantined[0]


def test_an_award_in_the_bundled_file_and_the_live_api_appears_once_from_the_live_record(built):
    for award_id in ("70CMSD25P00000111", "70CMSD21P00000127", "15F06723P0001356", "70US0920F1DHS0136"):
        assert rows(built, "SELECT source_id FROM core.procurement WHERE award_id = ?", [award_id]) == [
            ("usaspending",)
        ]
    assert rows(
        built,
        "SELECT count(*) FROM core.evidence WHERE source_id = 'usaspending_dhs_doj' "
        "AND evidence_id LIKE '%70CMSD25P00000111%'",
    ) == [(0,)]
    links = rows(
        built,
        "SELECT p.award_id, l.url, l.link_type FROM core.evidence_links l JOIN core.procurement p "
        "ON p.procurement_id = l.evidence_id ORDER BY 1",
    )
    assert [a for a, *_ in links] == ["15F06723P0001356", "70CMSD21P00000127", "70CMSD25P00000111"]
    assert all(
        url.startswith("https://www.usaspending.gov/award/CONT_AWD_") and "usaspending_dhs_doj" in kind
        for _, url, kind in links
    )
    # Awards only the bundled file holds are still read from it.
    assert rows(built, "SELECT source_id FROM core.procurement WHERE award_id = '15F06722P0000068'") == [
        ("usaspending_dhs_doj",)
    ]
