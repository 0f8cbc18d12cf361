"""HTTP fault matrix: each connector that fetches over HTTP, against each fault, served by a real server on
127.0.0.1 (a raw socket, so that it can reset a connection, stall, or cut a body short).

Every case ends one of three ways:
- recovered: a transient fault (429 with Retry-After, 500, 503, reset, timeout, a cut body) once, then the
  good answer: the run succeeds and archives exactly what a run without the fault archives;
- failed: the same fault every time, or a bad answer (invalid JSON, for the Atlas CSV a body cut inside a
  quoted field; an HTML page; a renamed field): the source fails with a message naming the cause, and the
  archive is exactly what the last good run left (nothing partial, the cursor unmoved);
- empty: 200 with no results succeeds with zero records and loses nothing.
The last tests build the database over failing and empty sources: its records stay as they were.
"""

from __future__ import annotations

import http as http_status
import json
import shutil
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ingest import archive, fetch, http, registry
from ingest.build import build
from ingest.sources import socrata
from tests.test_ingest_connectors import one_term_and_no_waits  # noqa: F401  (autouse: one search term, no waits)
from tests.test_ingest_live import FINGERPRINT, narrow_catalog, query  # noqa: F401
from tests.test_usaspending_awards import usaspending_answer

FIXTURES = Path(__file__).parent / "fixtures" / "live"
ATLAS_CSV = (FIXTURES / "atlas_download.csv").read_bytes()
AGENCIES = {"68": "Federal Aviation Administration", "990002": "Detroit Police Department"}
STALL = 5.0  # how long a stalled answer waits; far beyond the client's timeout
CLIENT_TIMEOUT = 0.5

Answer = tuple[int, str, bytes]  # status, content type, body


def good_answer(method: str, path: str, body: bytes) -> Answer:
    """Every live source as it answers on a good day, from tests/fixtures/live/."""
    if path == "/download.csv":
        return 200, "text/csv", ATLAS_CSV
    if path == "/api_v2/requests/":
        return 200, "application/json", (FIXTURES / "muckrock_requests.json").read_bytes()
    if path.startswith("/api_v2/agencies/"):
        ref = path.strip("/").split("/")[-1]
        return 200, "application/json", json.dumps({"id": int(ref), "name": AGENCIES.get(ref)}).encode()
    if path == "/api_v2/communications/":
        return 200, "application/json", b'{"next": null, "results": []}'
    if path == "/resource/rsxa-ify5.json":
        return 200, "application/json", (FIXTURES / "chicago_contracts_page.json").read_bytes()
    if path.startswith("/resource/"):
        return 200, "application/json", b"[]"
    status, answer = usaspending_answer(method, path, json.loads(body) if body else None)
    return status, "application/json", answer


# --- the connectors and what a bad answer looks like for each ---------------------------------------
@dataclass(frozen=True)
class Connector:
    source_id: str
    path: str  # where its faults are served
    content_type: str
    empty: bytes  # 200 with no results
    invalid: bytes  # a body that does not parse
    invalid_cause: str
    renamed: tuple[bytes, bytes]  # a field renamed upstream: (old, new), replaced in the good body
    field: str  # how the error names that field

    def __str__(self) -> str:
        return self.source_id


CONNECTORS = [
    Connector(
        "atlas",
        "/download.csv",
        "text/csv",
        ATLAS_CSV.split(b"\n", 1)[0] + b"\n",
        ATLAS_CSV[: ATLAS_CSV.index(b'"The Texas Department') + 20],
        "cut short",
        (b'"Technology"', b'"Tech"'),
        "'Technology'",
    ),
    Connector(
        "usaspending",
        "/api/v2/search/spending_by_award/",
        "application/json",
        (FIXTURES / "usaspending_empty.json").read_bytes(),
        b'{"results": [{"Award ID": "70CMSD25P',
        "invalid JSON",
        (b'"Award ID"', b'"Award Id"'),
        "'Award ID'",
    ),
    Connector(
        "muckrock",
        "/api_v2/requests/",
        "application/json",
        b'{"next": null, "previous": null, "results": []}',
        b'{"next": null, "results": [{"id": 1370',
        "invalid JSON",
        (b'"title"', b'"request_title"'),
        "'title'",
    ),
    Connector(
        "socrata_chicago_contracts",
        "/resource/rsxa-ify5.json",
        "application/json",
        b"[]",
        b'[{":id": "row-test-0001", "vendor_na',
        "invalid JSON",
        (b'"vendor_name"', b'"vendor"'),
        "'vendor_name'",
    ),
]


# --- the faults -------------------------------------------------------------------------------------
def send(
    conn: socket.socket,
    status: int,
    content_type: str,
    body: bytes,
    headers: dict | None = None,
    length: int | None = None,
) -> None:
    head = [
        f"HTTP/1.1 {status} {http_status.HTTPStatus(status).phrase}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body) if length is None else length}",
        "Connection: close",
        *(f"{k}: {v}" for k, v in (headers or {}).items()),
    ]
    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)


# A fault is what the server does instead of sending the good answer.
Wire = Callable[[socket.socket, Answer, Connector, threading.Event], None]


def status(code: int, **headers) -> Wire:
    return lambda conn, good, c, stop: send(conn, code, "text/plain", b"try again later", headers)


def reset(conn, good, c, stop) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close sends RST


def stall(conn, good, c, stop) -> None:
    stop.wait(STALL)


def cut_body(conn, good, c, stop) -> None:
    code, content_type, body = good
    send(conn, code, content_type, body[: len(body) // 2], length=len(body))  # promises more than it sends


def answer_with(make: Callable[[Connector, bytes], tuple[str, bytes]]) -> Wire:
    def wire(conn, good, c, stop):
        content_type, body = make(c, good[2])
        send(conn, 200, content_type, body)

    return wire


HTML = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


@dataclass(frozen=True)
class Fault:
    name: str
    wire: Wire
    cause: str  # what the error must say; {invalid} and {field} come from the connector
    transient: bool = False

    def __str__(self) -> str:
        return self.name

    def expected(self, c: Connector) -> str:
        return self.cause.format(invalid=c.invalid_cause, field=c.field)


RETRY_AFTER = 7
TRANSIENT = [
    Fault("429", status(429, **{"Retry-After": str(RETRY_AFTER)}), "HTTP 429", transient=True),
    Fault("500", status(500), "HTTP 500", transient=True),
    Fault("503", status(503), "HTTP 503", transient=True),
    Fault("reset", reset, "connection reset", transient=True),
    Fault("timeout", stall, "timed out", transient=True),
    Fault("cut body", cut_body, "response body cut short", transient=True),
]
BAD_ANSWERS = [
    Fault("invalid body", answer_with(lambda c, good: (c.content_type, c.invalid)), "{invalid}"),
    Fault("HTML page", answer_with(lambda c, good: ("text/html", HTML)), "HTML page"),
    Fault("renamed field", answer_with(lambda c, good: (c.content_type, good.replace(*c.renamed))), "{field}"),
]
EMPTY = Fault("no results", answer_with(lambda c, good: (c.content_type, c.empty)), "")


# --- the server -------------------------------------------------------------------------------------
@dataclass
class Plan:
    """Which requests to a connector's path get the fault: from the `start`-th on, `times` of them (None: all)."""

    fault: Fault
    connector: Connector
    start: int = 1
    times: int | None = None
    seen: int = 0

    def applies(self) -> bool:
        self.seen += 1
        n = self.seen - self.start
        return n >= 0 and (self.times is None or n < self.times)


@dataclass
class LoopbackServer:
    plans: dict[str, Plan] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.lock = threading.Lock()
        self.accepting = threading.Thread(target=self._accept, daemon=True)
        self.accepting.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            method, path, body = read_request(conn)
            good = good_answer(method, path, body)
            with self.lock:
                plan = self.plans.get(path)
                faulted = plan is not None and plan.applies()
            if faulted:
                plan.fault.wire(conn, good, plan.connector, self.stop)
            else:
                send(conn, *good)

    def close(self) -> None:
        self.stop.set()
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close() alone does not
        self.listener.close()
        self.accepting.join(5)
        assert not self.accepting.is_alive()


def read_request(conn: socket.socket) -> tuple[str, str, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    length = next(
        (int(v) for k, _, v in (line.partition(":") for line in lines[1:]) if k.strip().lower() == "content-length"), 0
    )
    while len(body) < length:
        body += conn.recv(65536)
    return method, urlsplit(target).path, body


@pytest.fixture
def server():
    s = LoopbackServer()
    yield s
    s.close()


# --- running a source and reading what it left -----------------------------------------------------
def run_source(source_id: str, server: LoopbackServer, root: Path) -> fetch.RunResult:
    with http.Client(timeout=CLIENT_TIMEOUT, attempts=2, min_interval=0.0, wait_initial=0.01) as client:
        return fetch.fetch_source(client, registry.get(source_id), root, base_url=server.url)


def archived(root: Path, source_id: str) -> list[tuple[str, str, bytes]]:
    """What a source's committed runs hold: (kind, path asked for, body) per response, in order."""
    return [(i.kind, urlsplit(i.meta["url"]).path, i.path.read_bytes()) for i in archive.responses(root, source_id)]


def files(root: Path) -> dict[str, bytes]:
    """Every file of the archive but the run log, which rightly gains a line per run."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != "runs.jsonl"}


@pytest.fixture(scope="module")
def seed(tmp_path_factory, narrow_catalog) -> Path:  # noqa: F811
    """An archive holding one good run of every connector: the last good data a fault must not lose."""
    root = tmp_path_factory.mktemp("seed") / "archive"
    s = LoopbackServer()
    try:
        for c in CONNECTORS:
            result = run_source(c.source_id, s, root)
            assert result.status == "ok" and result.fetched > 0, (c.source_id, result.error)
    finally:
        s.close()
    return root


def copy_of(seed: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(seed, tmp_path / "archive"))


def matrix(connectors, faults):
    return [pytest.param(c, f, id=f"{c}-{f}") for c in connectors for f in faults]


# --- the matrix -------------------------------------------------------------------------------------
@pytest.mark.parametrize("connector,fault", matrix(CONNECTORS, TRANSIENT))
def test_a_transient_fault_is_retried_and_the_run_archives_what_a_clean_run_does(
    connector,
    fault,
    server,
    seed,
    tmp_path,
    one_term_and_no_waits,  # noqa: F811  (the autouse fixture, by name)
):
    server.plans[connector.path] = Plan(fault, connector, times=1)
    result = run_source(connector.source_id, server, tmp_path)
    assert result.status == "ok", result.error
    assert archived(tmp_path, connector.source_id) == archived(seed, connector.source_id)
    assert not list(tmp_path.rglob(".partial-*"))
    if fault.name == "429":
        assert RETRY_AFTER in one_term_and_no_waits


@pytest.mark.parametrize("connector,fault", matrix(CONNECTORS, TRANSIENT + BAD_ANSWERS))
def test_a_fault_that_persists_fails_the_source_naming_its_cause_and_loses_nothing(
    connector, fault, server, seed, tmp_path
):
    root = copy_of(seed, tmp_path)
    before = files(root)
    server.plans[connector.path] = Plan(fault, connector)
    result = run_source(connector.source_id, server, root)
    assert result.status == "failed"
    assert fault.expected(connector) in result.error, result.error
    assert files(root) == before, "the last good run, its cursor and nothing else"
    logged = archive.read_runs(root)[-1]
    assert (logged["source_id"], logged["status"], logged["error"]) == (connector.source_id, "failed", result.error)


@pytest.mark.parametrize("connector", CONNECTORS, ids=str)
def test_200_with_no_results_succeeds_with_zero_records_and_loses_nothing(connector, server, seed, tmp_path):
    root = copy_of(seed, tmp_path)
    before = files(root)
    server.plans[connector.path] = Plan(EMPTY, connector)
    result = run_source(connector.source_id, server, root)
    assert result.status == "ok" and result.fetched == 0, result.error
    after = files(root)
    assert {k: after.get(k) for k in before} == before
    assert archived(root, connector.source_id)[: len(archived(seed, connector.source_id))] == archived(
        seed, connector.source_id
    )


@pytest.mark.parametrize(
    "connector", [c for c in CONNECTORS if c.source_id in ("usaspending", "socrata_chicago_contracts")], ids=str
)
def test_a_fault_on_a_later_page_leaves_no_partial_run(connector, server, seed, tmp_path, monkeypatch):
    monkeypatch.setattr(socrata, "PAGE_SIZE", 2)  # the Chicago page holds three rows: a second page is asked for
    root = copy_of(seed, tmp_path)
    before = files(root)
    server.plans[connector.path] = Plan(BAD_ANSWERS[1], connector, start=2)
    result = run_source(connector.source_id, server, root)
    assert result.status == "failed" and "HTML page" in result.error
    assert files(root) == before


# --- the database over failing and empty sources ----------------------------------------------------
@pytest.fixture(scope="module")
def built(seed, tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("db") / "watchdog.duckdb"
    build(database, archive=seed)
    return database


def fingerprint(database: Path) -> list:
    return [query(database, sql) for sql in FINGERPRINT]


@pytest.mark.parametrize("fault", [BAD_ANSWERS[1], EMPTY], ids=str)
def test_a_run_where_every_source_fails_or_finds_nothing_leaves_the_database_records_as_they_were(
    fault, built, seed, server, tmp_path
):
    root, database = copy_of(seed, tmp_path), Path(shutil.copyfile(built, tmp_path / "watchdog.duckdb"))
    server.plans.update({c.path: Plan(fault, c) for c in CONNECTORS})
    with http.Client(timeout=CLIENT_TIMEOUT, attempts=2, min_interval=0.0, wait_initial=0.01) as client:
        results = {
            r.source_id: r for r in fetch.run("all", base_url=server.url, db_path=database, root=root, client=client)
        }
    expected = "failed" if fault is not EMPTY else "ok"
    assert {c.source_id: results[c.source_id].status for c in CONNECTORS} == {c.source_id: expected for c in CONNECTORS}
    assert all(results[c.source_id].new == 0 for c in CONNECTORS)
    assert fingerprint(database) == fingerprint(built)
