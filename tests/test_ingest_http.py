"""The shared HTTP client against a real server on 127.0.0.1: retries, waits, timeouts, secrets."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC

import pytest
from werkzeug import Response

from ingest import http
from ingest.archive import RunArchive


@pytest.fixture
def waits(monkeypatch):
    """Every sleep the client asks for, recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(time, "sleep", lambda s: asked.append(s))
    return asked


def client(**kw) -> http.Client:
    return http.Client(**{"timeout": 2.0, "attempts": 3, "min_interval": 0.0, "wait_initial": 0.5, **kw})


def test_429_waits_what_retry_after_says_then_succeeds(httpserver, waits):
    httpserver.expect_ordered_request("/x").respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    httpserver.expect_ordered_request("/x").respond_with_json({"ok": True})
    with client() as c:
        assert c.get(httpserver.url_for("/x")).json() == {"ok": True}
    assert waits == [7.0]


def test_500_then_success_backs_off_and_retries(httpserver, waits):
    httpserver.expect_ordered_request("/x").respond_with_data("boom", status=500)
    httpserver.expect_ordered_request("/x").respond_with_data("boom", status=503)
    httpserver.expect_ordered_request("/x").respond_with_json([1])
    with client() as c:
        assert c.get(httpserver.url_for("/x")).json() == [1]
    assert len(waits) == 2 and all(w > 0 for w in waits)


def test_500_every_time_fails_after_the_attempts_with_the_status(httpserver, waits):
    httpserver.expect_request("/x").respond_with_data("boom", status=500)
    with client() as c, pytest.raises(http.FetchError, match="HTTP 500.*3 attempt"):
        c.get(httpserver.url_for("/x"))
    assert len(httpserver.log) == 3


def test_404_is_not_retried(httpserver, waits):
    httpserver.expect_request("/x").respond_with_data("no", status=404)
    with client() as c, pytest.raises(http.FetchError, match="HTTP 404"):
        c.get(httpserver.url_for("/x"))
    assert len(httpserver.log) == 1


def test_a_timeout_is_retried_then_reported(httpserver, waits):
    def slow(request):
        threading.Event().wait(0.6)  # not time.sleep: that is patched for the client
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with client(timeout=0.2, attempts=2) as c, pytest.raises(http.FetchError, match="Timeout"):
        c.get(httpserver.url_for("/slow"))
    threading.Event().wait(0.7)  # let the server finish the abandoned request before the next test


def serve_raw(responses: list[bytes]) -> tuple[str, threading.Thread]:
    """A one-request-per-answer server that writes exactly these bytes: a body shorter than its
    Content-Length is what a dropped connection looks like, and no framework would send one."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def answer():
        for payload in responses:
            conn, _ = listener.accept()
            conn.recv(65536)
            conn.sendall(payload)
            conn.close()
        listener.close()

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", thread


def test_a_body_cut_short_is_a_transport_error_and_retried(waits):
    cut = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"results": [1, 2'
    body = b'{"results": [1]}'
    whole = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    base, thread = serve_raw([cut, whole])
    with client() as c:
        assert c.get(base + "/x").json() == {"results": [1]}
    thread.join(2)
    assert len(waits) == 1


def test_requests_to_one_host_are_spaced_by_the_rate_limit(httpserver, waits):
    httpserver.expect_request("/x").respond_with_data("ok")
    with client(min_interval=5.0) as c:
        c.get(httpserver.url_for("/x"))
        c.get(httpserver.url_for("/x"))
    assert len(waits) == 1 and 4.0 < waits[0] <= 5.0


def test_user_agent_names_the_project(httpserver):
    httpserver.expect_request("/x").respond_with_data("ok")
    with client() as c:
        c.get(httpserver.url_for("/x"))
    assert "WhosWatching" in httpserver.log[0][0].headers["User-Agent"]


def test_tokens_never_reach_the_archive_or_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCRATA_APP_TOKEN", "s3cr3t-token")
    run = RunArchive(tmp_path, "x")
    saved = run.save(
        b"[]",
        url="http://h/x?$$app_token=s3cr3t-token",
        ext="json",
        params={"$$app_token": "s3cr3t-token", "$where": "a = 's3cr3t-token'", "$limit": 5},
    )
    assert "s3cr3t-token" not in saved.path.with_name("1.meta.json").read_text()
    assert saved.meta["params"] == {"$where": "a = '[secret]'", "$limit": "5"}
    assert http.scrub("failed with token s3cr3t-token") == "failed with token [secret]"


def test_retry_after_as_an_http_date():
    from datetime import datetime

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert http.retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert http.retry_after_seconds("999999") == 999999.0
    assert http.retry_after_seconds("soon") is None


def test_a_retry_after_beyond_the_limit_fails_at_once_instead_of_waiting(httpserver, waits):
    httpserver.expect_request("/x").respond_with_data("down for the day", status=503, headers={"Retry-After": "86400"})
    with client() as c, pytest.raises(http.FetchError, match=r"HTTP 503 .*86400 s: treated as down\) after 1 attempt"):
        c.get(httpserver.url_for("/x"))
    assert waits == [] and len(httpserver.log) == 1


def test_the_interval_between_requests_to_one_host_can_be_set_for_a_mirror(monkeypatch):
    monkeypatch.setenv("WATCHDOG_HTTP_INTERVAL", "0")
    assert http.Client().rate.interval == 0.0
    monkeypatch.delenv("WATCHDOG_HTTP_INTERVAL")
    assert http.Client().rate.interval == http.DEFAULT_INTERVAL


def test_base_url_replaces_scheme_and_host_only(monkeypatch):
    assert (
        http.rebase("https://api.usaspending.gov/api/v2/x/?a=1", "http://127.0.0.1:8080")
        == "http://127.0.0.1:8080/api/v2/x/?a=1"
    )
    monkeypatch.setenv("WATCHDOG_ATLAS_BASE_URL", "http://127.0.0.1:9")
    assert http.base_url_for("atlas") == "http://127.0.0.1:9"
    assert http.base_url_for("atlas", "http://127.0.0.1:1") == "http://127.0.0.1:1"
    assert http.base_url_for("socrata") is None
