"""Each connector's faults against a local server, without a build: what a bad response does to a run
(the source fails with a message naming the problem, and nothing of the run reaches the archive)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest import archive, fetch, http, registry
from ingest.sources import muckrock, socrata, usaspending

FIXTURES = Path(__file__).parent / "fixtures" / "live"


@pytest.fixture(autouse=True)
def one_term_and_no_waits(monkeypatch):
    monkeypatch.setattr(usaspending, "search_terms", lambda: ["Clearview AI"])
    monkeypatch.setattr(socrata, "search_terms", lambda: ["Clearview AI"])
    monkeypatch.setattr(muckrock, "search_terms", lambda: ["Clearview AI"])
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    return waits


def run_one(source_id: str, server, root: Path, options: dict | None = None) -> fetch.RunResult:
    source = next(s for s in registry.load() if s.source_id == source_id)
    with http.Client(timeout=1.0, attempts=2, min_interval=0.0, wait_initial=0.01) as client:
        return fetch.fetch_source(client, source, root, base_url=server.url_for("/").rstrip("/"), options=options)


def assert_failed_and_left_nothing(result, root: Path, source_id: str, *words: str) -> None:
    assert result.status == "failed"
    for word in words:
        assert word in result.error, result.error
    assert archive.responses(root, source_id) == []
    assert not list((root / source_id).glob(".partial-*"))
    logged = archive.read_runs(root)[-1]
    assert logged["source_id"] == source_id and logged["status"] == "failed" and logged["error"] == result.error


def spending_page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_usaspending_pages_until_has_next_is_false(httpserver, tmp_path):
    pages = iter(
        [spending_page("usaspending_page1.json"), spending_page("usaspending_page2.json")]
        + [spending_page("usaspending_empty.json")] * 2
    )
    httpserver.expect_request("/api/v2/search/spending_by_award/").respond_with_handler(
        lambda request: __import__("werkzeug").Response(next(pages), content_type="application/json")
    )
    result = run_one("usaspending", httpserver, tmp_path)
    assert result.status == "ok" and result.fetched == 4
    bodies = [json.loads(r.get_data()) for r, _ in httpserver.log if r.path.endswith("/spending_by_award/")]
    assert [b["page"] for b in bodies] == [1, 2, 1, 1]
    assert bodies[0]["filters"]["recipient_search_text"] == ["Clearview AI"] and bodies[0]["limit"] == 100
    assert archive.read_cursor(tmp_path, "usaspending")["through"]


def test_usaspending_429_with_retry_after_is_waited_for(httpserver, tmp_path, one_term_and_no_waits):
    httpserver.expect_ordered_request("/api/v2/search/spending_by_award/").respond_with_data(
        "", status=429, headers={"Retry-After": "3"}
    )
    httpserver.expect_request("/api/v2/search/spending_by_award/").respond_with_data(
        spending_page("usaspending_empty.json"), content_type="application/json"
    )
    assert run_one("usaspending", httpserver, tmp_path).status == "ok"
    assert 3.0 in one_term_and_no_waits


@pytest.mark.parametrize(
    "body,words",
    [
        (b'{"results": [{"Award ID": "x"', ("invalid JSON",)),  # truncated
        (b"not json at all", ("invalid JSON",)),
        (b"<!DOCTYPE html><html><body>Service Unavailable</body></html>", ("HTML page",)),
        (
            json.dumps(
                {
                    "results": [
                        {
                            k.replace("Award ID", "Award Id"): v
                            for k, v in json.loads(spending_page("usaspending_page1.json"))["results"][0].items()
                        }
                    ],
                    "page_metadata": {"hasNext": False},
                }
            ).encode(),
            ("SchemaDrift", "'Award ID'"),
        ),  # renamed field
        (b'{"detail": "ok", "page_metadata": {"hasNext": false}}', ("SchemaDrift", "'results'")),
    ],
)
def test_usaspending_bad_bodies_fail_the_source_and_archive_nothing(httpserver, tmp_path, body, words):
    httpserver.expect_request("/api/v2/search/spending_by_award/").respond_with_data(
        body, content_type="application/json"
    )
    assert_failed_and_left_nothing(run_one("usaspending", httpserver, tmp_path), tmp_path, "usaspending", *words)


def test_usaspending_500_every_time_fails_with_the_status(httpserver, tmp_path):
    httpserver.expect_request("/api/v2/search/spending_by_award/").respond_with_data("oops", status=500)
    assert_failed_and_left_nothing(run_one("usaspending", httpserver, tmp_path), tmp_path, "usaspending", "HTTP 500")


def test_atlas_renamed_column_names_the_column(httpserver, tmp_path):
    text = (FIXTURES / "atlas_download.csv").read_text().replace("Technology", "Tech", 1)
    httpserver.expect_request("/download.csv").respond_with_data(text, content_type="text/csv")
    assert_failed_and_left_nothing(run_one("atlas", httpserver, tmp_path), tmp_path, "atlas", "'Technology'")


def test_atlas_body_cut_inside_a_quoted_field_is_not_loaded(httpserver, tmp_path):
    text = (FIXTURES / "atlas_download.csv").read_text()
    httpserver.expect_request("/download.csv").respond_with_data(
        text[: text.index("Summary") + 2000], content_type="text/csv"
    )
    result = run_one("atlas", httpserver, tmp_path)
    assert_failed_and_left_nothing(result, tmp_path, "atlas", "cut short")


def test_atlas_same_file_twice_adds_no_archive_run(httpserver, tmp_path):
    httpserver.expect_request("/download.csv").respond_with_data((FIXTURES / "atlas_download.csv").read_bytes())
    assert run_one("atlas", httpserver, tmp_path).archive_run
    again = run_one("atlas", httpserver, tmp_path)
    assert again.status == "ok" and again.archive_run is None and "same file" in again.notes[0]
    assert len(archive.runs_of(tmp_path, "atlas")) == 1


def test_a_killed_fetchs_partial_run_is_removed_by_the_next_fetch_not_a_running_ones(httpserver, tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)  # that process has exited: its partial run can never be finished
    folder = tmp_path / "atlas"
    killed = folder / f"{archive.PARTIAL_PREFIX}20260101T000000000000Z-{dead_pid}"
    running = folder / f"{archive.PARTIAL_PREFIX}20260101T000000000001Z-{os.getppid()}"  # pytest's parent: alive
    unnamed = folder / f"{archive.PARTIAL_PREFIX}20260101T000000000002Z"  # no process id: kept
    for partial in (killed, running, unnamed):
        partial.mkdir(parents=True)
        (partial / "1.csv").write_text("half a response")
    httpserver.expect_request("/download.csv").respond_with_data((FIXTURES / "atlas_download.csv").read_bytes())
    result = run_one("atlas", httpserver, tmp_path)
    assert result.status == "ok" and result.archive_run
    assert not killed.exists() and running.exists() and unnamed.exists()
    assert any(killed.name in note and "killed" in note for note in result.notes), result.notes
    assert [r.name for r in archive.runs_of(tmp_path, "atlas")] == [result.archive_run]  # partials are never runs


def test_socrata_pages_with_limit_offset_and_sends_the_token_in_a_header(httpserver, tmp_path, monkeypatch):
    monkeypatch.setenv("SOCRATA_APP_TOKEN", "app-token-xyz")
    monkeypatch.setattr(socrata, "PAGE_SIZE", 2)
    rows = json.loads((FIXTURES / "chicago_contracts_page.json").read_text())[:2]
    httpserver.expect_ordered_request("/resource/rsxa-ify5.json").respond_with_json(rows)
    httpserver.expect_ordered_request("/resource/rsxa-ify5.json").respond_with_json([])
    result = run_one("socrata_chicago_contracts", httpserver, tmp_path)
    assert result.status == "ok" and result.fetched == 2
    first, second = (r for r, _ in httpserver.log)
    assert first.args["$offset"] == "0" and second.args["$offset"] == "2" and first.args["$order"] == ":id"
    assert "upper(vendor_name) like '%CLEARVIEW AI%'" in first.args["$where"]
    assert first.headers["X-App-Token"] == "app-token-xyz" and "app-token-xyz" not in first.url
    meta = (next(p for p in (tmp_path / "socrata_chicago_contracts").rglob("1.meta.json"))).read_text()
    assert "app-token-xyz" not in meta
    assert archive.read_cursor(tmp_path, "socrata_chicago_contracts")["updated_at"] == "2024-03-02T10:00:00.000Z"


def test_socrata_renamed_vendor_column_names_it(httpserver, tmp_path):
    rows = [
        {k.replace("vendor_name", "vendor"): v for k, v in r.items()}
        for r in json.loads((FIXTURES / "chicago_contracts_page.json").read_text())[:2]
    ]
    httpserver.expect_request("/resource/rsxa-ify5.json").respond_with_json(rows)
    assert_failed_and_left_nothing(
        run_one("socrata_chicago_contracts", httpserver, tmp_path),
        tmp_path,
        "socrata_chicago_contracts",
        "'vendor_name'",
    )


def test_muckrock_html_instead_of_json(httpserver, tmp_path):
    httpserver.expect_request("/api_v2/requests/").respond_with_data("<html><body>Login</body></html>", status=200)
    assert_failed_and_left_nothing(run_one("muckrock", httpserver, tmp_path), tmp_path, "muckrock", "HTML page")


def test_muckrock_follows_next_on_our_host_and_sends_the_token(httpserver, tmp_path, monkeypatch):
    monkeypatch.setenv("MUCKROCK_TOKEN", "mr-secret")
    page2 = "https://www.muckrock.com/api_v2/requests/?cursor=abc"
    httpserver.expect_ordered_request("/api_v2/requests/").respond_with_json({"next": page2, "results": []})
    httpserver.expect_ordered_request("/api_v2/requests/", query_string="cursor=abc").respond_with_json(
        {"next": None, "results": []}
    )
    result = run_one("muckrock", httpserver, tmp_path)
    assert result.status == "ok"
    assert [r.headers.get("Authorization") for r, _ in httpserver.log] == ["Bearer mr-secret"] * 2
    assert "mr-secret" not in "".join(p.read_text() for p in tmp_path.rglob("*.json"))


def archived_text(root: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in root.rglob("*") if p.is_file())


def test_muckrock_renews_an_expired_token_and_asks_again(httpserver, tmp_path, monkeypatch):
    monkeypatch.setenv("MUCKROCK_TOKEN", "mr-access-old")
    monkeypatch.setenv("MUCKROCK_REFRESH_TOKEN", "mr-refresh-1")
    httpserver.expect_ordered_request(
        "/api_v2/requests/", headers={"Authorization": "Bearer mr-access-old"}
    ).respond_with_json({"detail": "Token is expired"}, status=401)
    httpserver.expect_ordered_request(
        "/api/refresh/", method="POST", json={"refresh": "mr-refresh-1"}
    ).respond_with_json({"access": "mr-access-new", "refresh": "mr-refresh-2"})
    httpserver.expect_ordered_request(
        "/api_v2/requests/", headers={"Authorization": "Bearer mr-access-new"}
    ).respond_with_json({"next": None, "results": []})
    result = run_one("muckrock", httpserver, tmp_path)
    assert result.status == "ok", result.error
    httpserver.check_assertions()
    # The page is archived; the accounts service's answer (it holds tokens) is not, and no token is anywhere.
    (page,) = archive.responses(tmp_path, "muckrock")
    assert page.meta["url"].startswith(httpserver.url_for("/api_v2/requests/")) and page.meta["status"] == 200
    written = archived_text(tmp_path)
    assert not any(t in written for t in ("mr-access-old", "mr-access-new", "mr-refresh-1", "mr-refresh-2"))


def test_muckrock_signs_in_with_username_and_password_and_renews_mid_run(httpserver, tmp_path, monkeypatch):
    monkeypatch.delenv("MUCKROCK_TOKEN", raising=False)
    monkeypatch.setenv("MUCKROCK_USERNAME", "watchdog-reader")
    monkeypatch.setenv("MUCKROCK_PASSWORD", "mr-password")
    httpserver.expect_ordered_request(
        "/api/token/", method="POST", json={"username": "watchdog-reader", "password": "mr-password"}
    ).respond_with_json({"access": "mr-a1", "refresh": "mr-r1"})
    httpserver.expect_ordered_request("/api_v2/requests/", headers={"Authorization": "Bearer mr-a1"}).respond_with_json(
        {"next": "https://www.muckrock.com/api_v2/requests/?cursor=x", "results": []}
    )
    httpserver.expect_ordered_request(
        "/api_v2/requests/", query_string="cursor=x", headers={"Authorization": "Bearer mr-a1"}
    ).respond_with_data("", status=403)  # the token expired between two pages
    httpserver.expect_ordered_request("/api/refresh/", method="POST", json={"refresh": "mr-r1"}).respond_with_json(
        {"access": "mr-a2", "refresh": "mr-r2"}
    )
    httpserver.expect_ordered_request(
        "/api_v2/requests/", query_string="cursor=x", headers={"Authorization": "Bearer mr-a2"}
    ).respond_with_json({"next": None, "results": []})
    result = run_one("muckrock", httpserver, tmp_path)
    assert result.status == "ok", result.error
    httpserver.check_assertions()
    assert len(archive.responses(tmp_path, "muckrock")) == 2
    assert not any(t in archived_text(tmp_path) for t in ("mr-password", "mr-a1", "mr-a2", "mr-r1", "mr-r2"))


def test_muckrock_expired_refresh_token_fails_the_source_saying_so(httpserver, tmp_path, monkeypatch):
    monkeypatch.setenv("MUCKROCK_TOKEN", "mr-access-old")
    monkeypatch.setenv("MUCKROCK_REFRESH_TOKEN", "mr-refresh-stale")
    httpserver.expect_request("/api_v2/requests/").respond_with_data("", status=401)
    httpserver.expect_request("/api/refresh/", method="POST").respond_with_json({"detail": "expired"}, status=401)
    result = run_one("muckrock", httpserver, tmp_path)
    assert_failed_and_left_nothing(result, tmp_path, "muckrock", "MUCKROCK_REFRESH_TOKEN may have expired", "HTTP 401")
    assert "mr-refresh-stale" not in result.error and "mr-access-old" not in result.error


def test_file_import_needs_its_mapped_columns(httpserver, tmp_path):
    leak = tmp_path / "list.csv"
    leak.write_text("Agency,ST,Vendor\nDetroit Police Department,MI,Clearview AI\n")
    result = run_one(
        "file",
        httpserver,
        tmp_path / "archive",
        {"path": str(leak), "mapping": {"agency": "Agency", "state": "State", "vendor": "Vendor"}},
    )
    assert_failed_and_left_nothing(result, tmp_path / "archive", "file", "'State'")


def test_file_import_reads_xlsx(httpserver, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Agency", "State", "Vendor"])
    book.active.append(["Detroit Police Department", "MI", "Clearview AI"])
    book.save(tmp_path / "list.xlsx")
    result = run_one(
        "file",
        httpserver,
        tmp_path / "archive",
        {"path": str(tmp_path / "list.xlsx"), "mapping": {"agency": "Agency", "state": "State", "vendor": "Vendor"}},
    )
    assert result.status == "ok" and result.fetched == 1
    (item,) = archive.responses(tmp_path / "archive", "file")
    from ingest.sources import file

    assert file.archived_rows(item) == [
        {"Agency": "Detroit Police Department", "State": "MI", "Vendor": "Clearview AI"}
    ]
    assert item.meta["sha256"] == __import__("hashlib").sha256((tmp_path / "list.xlsx").read_bytes()).hexdigest()


def test_cli_run_exits_non_zero_when_a_source_fails(httpserver, tmp_path, monkeypatch):
    from ingest import cli

    monkeypatch.setenv("WATCHDOG_ARCHIVE", str(tmp_path / "archive"))
    monkeypatch.setattr(fetch, "build", lambda *a, **kw: [])  # the build is tested elsewhere
    monkeypatch.setattr(fetch, "add_counts", lambda *a, **kw: None)
    httpserver.expect_request("/download.csv").respond_with_data("<html>down</html>", status=200)
    code = cli.main(
        ["run", "atlas", "--base-url", httpserver.url_for("/").rstrip("/"), "--db", str(tmp_path / "x.duckdb")]
    )
    assert code == 1


@pytest.mark.live
@pytest.mark.skipif(os.environ.get("WATCHDOG_LIVE") != "1", reason="talks to the real hosts: set WATCHDOG_LIVE=1")
def test_live_hosts_still_answer_in_the_shapes_we_read(tmp_path):
    for source_id in ("atlas", "usaspending", "socrata_chicago_contracts", "socrata_sf_supplier_contracts", "muckrock"):
        source = next(s for s in registry.load() if s.source_id == source_id)
        with http.Client() as client:
            result = fetch.fetch_source(client, source, tmp_path)
        assert result.status == "ok", (source_id, result.error)
