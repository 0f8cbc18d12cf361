"""Secrets stay with their host, and every CSV the project writes opens in a spreadsheet as text.

Redirects are tried against two real loopback servers on different hosts (127.0.0.1 and 127.0.0.2): a
request that carries a token is never sent on to the other host, one that carries none is followed and the
run says so. CSV formulas are tried through the shared neutraliser and through real subprocesses of each
command that writes a CSV.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pytest_httpserver import HTTPServer

from dashboard import exports
from ingest import archive, fetch, http, registry
from ingest.sources import muckrock
from rules import csvsafe

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "live"
TOKEN = "secret-redirect-token-7d41e0"


# ------------------------------------------------------------------------------ two loopback hosts


@pytest.fixture
def home():
    """The host a token is for."""
    s = HTTPServer(host="127.0.0.1", port=0)
    s.start()
    yield s
    s.clear()
    s.stop()


@pytest.fixture
def other():
    """Another host, that a redirect points to: it must never see a token."""
    s = HTTPServer(host="127.0.0.2", port=0)
    s.start()
    yield s
    s.clear()
    s.stop()


@pytest.fixture
def no_tokens(monkeypatch):
    for name in (*http.SECRET_ENV, "MUCKROCK_USERNAME", "MUCKROCK_AUTH_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(muckrock, "search_terms", lambda: ["Clearview AI"])


def quick_client() -> http.Client:
    return http.Client(timeout=2.0, attempts=2, min_interval=0.0, wait_initial=0.01, wait_max=0.05)


def redirect(server: HTTPServer, path: str, to: str, status: int = 302) -> None:
    server.expect_request(path).respond_with_data("", status=status, headers={"Location": to})


def seen_by(server: HTTPServer) -> list[str]:
    """Everything a server received, headers and body, as text to search for a token."""
    return [f"{req.method} {req.full_path}\n{req.headers}\n{req.get_data(as_text=True)}" for req, _ in server.log]


def base(server: HTTPServer) -> str:
    return server.url_for("/").rstrip("/")


# ------------------------------------------------------------------------------------ the client


@pytest.mark.parametrize(
    "header", [{"X-App-Token": TOKEN}, {"Authorization": f"Bearer {TOKEN}"}], ids=["x-app-token", "bearer"]
)
def test_a_token_is_not_sent_on_to_another_host(home, other, header, no_tokens):
    redirect(home, "/data", other.url_for("/data"))
    other.expect_request("/data").respond_with_json([])
    with quick_client() as client, pytest.raises(http.FetchError, match="not followed") as refused:
        client.get(home.url_for("/data"), headers=header)
    assert other.log == [], seen_by(other)
    assert TOKEN in seen_by(home)[0]  # the token did go where it belongs
    message = str(refused.value)
    assert TOKEN not in message and "127.0.0.2" in message and "only for 127.0.0.1" in message


def test_a_password_in_a_body_is_not_posted_on_to_another_host(home, other, no_tokens, monkeypatch):
    monkeypatch.setenv("MUCKROCK_PASSWORD", TOKEN)
    redirect(home, "/token/", other.url_for("/token/"), status=307)  # 307 resends the body
    other.expect_request("/token/").respond_with_json({"access": "x"})
    with quick_client() as client, pytest.raises(http.FetchError, match="not followed"):
        client.post(home.url_for("/token/"), json={"username": "me", "password": TOKEN})
    assert other.log == [], seen_by(other)


def test_a_redirect_on_the_same_host_keeps_the_token(home, no_tokens):
    redirect(home, "/old", home.url_for("/new"), status=301)
    home.expect_request("/new").respond_with_json({"ok": True})
    with quick_client() as client:
        response = client.get(home.url_for("/old"), headers={"X-App-Token": TOKEN})
    assert response.json() == {"ok": True} and len(response.history) == 1
    assert all(TOKEN in seen for seen in seen_by(home))
    assert http.left_host(response) is None


def test_a_request_without_a_token_follows_a_redirect_and_knows_where_it_went(home, other, no_tokens):
    redirect(home, "/file.pdf", other.url_for("/cdn/file.pdf"))
    other.expect_request("/cdn/file.pdf").respond_with_data(b"%PDF-1.4", content_type="application/pdf")
    with quick_client() as client:
        response = client.get(home.url_for("/file.pdf"))
    assert response.content == b"%PDF-1.4"
    assert http.left_host(response) == (f"127.0.0.1:{home.port}", f"127.0.0.2:{other.port}")


def test_a_redirect_loop_ends_with_a_sentence(home, no_tokens):
    redirect(home, "/loop", home.url_for("/loop"))
    with quick_client() as client, pytest.raises(http.FetchError, match="redirected more than 10 times"):
        client.get(home.url_for("/loop"))


# ------------------------------------------------------------------------------- whole source runs


def run_source(source_id: str, server: HTTPServer, root: Path) -> fetch.RunResult:
    with quick_client() as client:
        return fetch.fetch_source(client, registry.get(source_id), root, base_url=base(server))


def last_run_line(root: Path) -> dict:
    return archive.read_runs(root)[-1]


def test_socrata_redirected_elsewhere_keeps_its_token_and_its_last_good_data(
    home, other, no_tokens, monkeypatch, tmp_path
):
    monkeypatch.setenv("SOCRATA_APP_TOKEN", TOKEN)
    path = "/resource/rsxa-ify5.json"
    home.expect_request(path).respond_with_data(
        (FIXTURES / "chicago_contracts_page.json").read_bytes(), content_type="application/json"
    )
    good = run_source("socrata_chicago_contracts", home, tmp_path)
    assert good.status == "ok" and good.fetched > 0, good.error
    home.clear()
    redirect(home, path, other.url_for(path))
    other.expect_request(path).respond_with_data("[]", content_type="application/json")

    result = run_source("socrata_chicago_contracts", home, tmp_path)

    assert result.status == "failed" and "not followed" in result.error, result
    assert other.log == [], seen_by(other)
    assert TOKEN in seen_by(home)[0]
    assert archive.runs_of(tmp_path, "socrata_chicago_contracts") == [
        tmp_path / "socrata_chicago_contracts" / good.archive_run
    ]
    line = last_run_line(tmp_path)
    assert line["status"] == "failed" and f"127.0.0.2:{other.port}" in line["error"]
    assert TOKEN not in (tmp_path / "runs.jsonl").read_text()


def test_muckrock_with_a_token_is_not_archived_from_another_host(home, other, no_tokens, monkeypatch, tmp_path):
    monkeypatch.setenv("MUCKROCK_TOKEN", TOKEN)
    redirect(home, "/api_v2/requests/", other.url_for("/api_v2/requests/"))
    other.expect_request("/api_v2/requests/").respond_with_json({"next": None, "results": []})

    result = run_source("muckrock", home, tmp_path)

    assert result.status == "failed" and result.archive_run is None
    assert "not followed, since the token" in result.error and "only for 127.0.0.1" in result.error
    assert other.log == [], seen_by(other)
    assert f"Bearer {TOKEN}" in seen_by(home)[0]
    assert archive.runs_of(tmp_path, "muckrock") == []
    assert TOKEN not in (tmp_path / "runs.jsonl").read_text()


def test_muckrock_without_a_token_follows_and_says_where_the_answer_came_from(home, other, no_tokens, tmp_path):
    redirect(home, "/api_v2/requests/", other.url_for("/api_v2/requests/"))
    other.expect_request("/api_v2/requests/").respond_with_json({"next": None, "results": []})

    result = run_source("muckrock", home, tmp_path)

    assert result.status == "ok", result.error
    asked, came = f"127.0.0.1:{home.port}", f"127.0.0.2:{other.port}"
    assert any(asked in n and f"came from {came} after a redirect" in n for n in result.notes), result.notes
    assert last_run_line(tmp_path)["notes"] == result.notes
    saved = archive.responses(tmp_path, "muckrock")
    assert saved and all(came in i.meta["url"] for i in saved)
    assert all(asked in i.meta["redirected_from"] for i in saved)


# --------------------------------------------------------------------------------- the neutraliser

DANGEROUS = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    " =1+1",
    "   =1+1",
    "\t=1+1",
    "\t",
    "\r=1+1",
    "\n=1+1",
    "\rtext",
    "\ntext",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(A1)",
    " ＝1+1",
    "\u200b=1+1",
    "\u200c=1+1",
    "\u200d=1+1",
    "\ufeff=1+1",
    "\u2060=1+1",
    " \u200b\t=1+1",
    "\u00a0=1+1",
    "\u3000=1+1",
    "\u200b+1",
    "\ufeff@SUM(A1)",
    "\u2060-1",
]
SAFE = [
    "plain",
    " plain",
    "a=b",
    "",
    "Detroit Police Department",
    "x-1",
    "\u200bplain",
    "'already quoted",
    "https://example.org/?a=1",
]

# Written out here, not taken from the module under test: what a spreadsheet may read as a formula start.
SIGNS = set("=+-@＝＋－＠")
HIDDEN = set(" \t\r\n\u00a0\u3000\u200b\u200c\u200d\ufeff\u2060")


def opens_as_formula(cell: str) -> bool:
    if cell.startswith("'"):
        return False
    if cell[:1] in ("\t", "\r", "\n"):
        return True
    rest = cell.lstrip("".join(HIDDEN))
    return rest[:1] in SIGNS


@pytest.mark.parametrize("value", DANGEROUS, ids=[repr(v) for v in DANGEROUS])
def test_every_formula_start_is_quoted(value):
    assert opens_as_formula(value)
    assert csvsafe.neutralise(value) == "'" + value
    assert not opens_as_formula(csvsafe.neutralise(value))


@pytest.mark.parametrize("value", SAFE, ids=[repr(v) for v in SAFE])
def test_plain_text_is_left_alone(value):
    assert csvsafe.neutralise(value) == value


@pytest.mark.parametrize("value", [5, -5, 1.5, -2.0, None, True, date(2020, 1, 1)])
def test_values_that_are_not_text_are_left_alone(value):
    assert csvsafe.neutralise(value) is value


def test_the_page_downloads_use_the_same_neutraliser():
    assert exports.neutralise is csvsafe.neutralise
    frame = pd.DataFrame({"\u200b=head": DANGEROUS, "fine": ["plain"] * len(DANGEROUS)})
    rows = list(csv.reader(io.StringIO(exports.to_csv(frame).decode("utf-8"), newline="")))
    assert rows[0] == ["'\u200b=head", "fine"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in DANGEROUS]
    assert not any(opens_as_formula(c) for r in rows for c in r)


def test_the_cli_module_does_not_load_the_dashboard():
    code = (
        "import sys, ingest.cli, rules.csvsafe; print(any(m.split('.')[0] in ('dashboard', 'streamlit') "
        "for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


# --------------------------------------------------------------------------- CSV from the command line


def ingest(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", *args], cwd=ROOT, capture_output=True, timeout=180)


def cells(text: str) -> list[list[str]]:
    """The file as a spreadsheet splits it: rows at unquoted line breaks only."""
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_inert(rows: list[list[str]]) -> None:
    bad = [c for r in rows for c in r if opens_as_formula(c)]
    assert not bad, bad


AGENCY_NAMES = {
    "MI8234900": '=HYPERLINK("http://evil.example","click")',
    "NY0303000": " ＝1+1",
    "IL0840200": "\u200b=cmd|' /C calc'!A0",
}


@pytest.fixture
def hostile_db(built_db, tmp_path) -> Path:
    """A copy of the session's database where some agencies' names are formulas."""
    copy = tmp_path / "hostile.duckdb"
    shutil.copyfile(built_db, copy)
    con = duckdb.connect(str(copy))
    try:
        for agency_id, name in AGENCY_NAMES.items():
            con.execute("UPDATE core.agencies SET name = ? WHERE agency_id = ?", [name, agency_id])
        changed = con.execute(
            "SELECT count(*) FROM views.claims WHERE agency_name IN (SELECT unnest(?))", [list(AGENCY_NAMES.values())]
        ).fetchone()[0]
        assert changed > 0
    finally:
        con.close()
    return copy


def test_claims_output_quotes_formulas(hostile_db, tmp_path):
    out = tmp_path / "claims.csv"
    result = ingest("claims", "--output", str(out), "--db", str(hostile_db))
    assert result.returncode == 0, result.stderr.decode()
    rows = cells(out.read_bytes().decode("utf-8"))
    assert_inert(rows)
    names = {r[0]: r[2] for r in rows[1:]}
    for agency_id, name in AGENCY_NAMES.items():
        if agency_id in names:
            assert names[agency_id] == "'" + name
    assert names["MI8234900"] == "'" + AGENCY_NAMES["MI8234900"]
    # On standard output too, the same rule.
    assert_inert(cells(ingest("claims", "--db", str(hostile_db)).stdout.decode("utf-8")))


def test_match_agencies_output_quotes_formulas_from_the_input(built_db, tmp_path):
    source = tmp_path / "names.csv"
    source.write_text(
        "name,state,\u200b=note\n"
        'NYPD,,"=HYPERLINK(""http://evil.example"",""x"")"\n'
        " =1+1,MI,＠SUM(A1)\n"
        '"Detroit Police Dept.",MI,"ok\r=2+3"\n',
        encoding="utf-8",
    )
    out = tmp_path / "matched.csv"
    result = ingest("match-agencies", str(source), "--output", str(out), "--db", str(built_db))
    assert result.returncode == 0, result.stderr.decode()
    rows = cells(out.read_bytes().decode("utf-8"))
    assert len(rows) == 4, rows  # a CR inside a cell does not start a row
    assert rows[0][:3] == ["name", "state", "'\u200b=note"]
    assert [r[2] for r in rows[1:]] == ['\'=HYPERLINK("http://evil.example","x")', "'＠SUM(A1)", "ok\r=2+3"]
    assert rows[2][0] == "' =1+1"
    assert_inert(rows)


def test_classify_output_quotes_formulas_from_the_input(tmp_path):
    source = tmp_path / "lines.csv"
    source.write_text(
        "vendor,description,amount\n"
        'Clearview AI,＝HYPERLINK("http://evil.example"),-5\n'
        "\u2060@Acme,\tsearch licenses,+1\n",
        encoding="utf-8",
    )
    result = ingest("classify", str(source))
    assert result.returncode == 0, result.stderr.decode()
    rows = cells(result.stdout.decode("utf-8"))
    assert len(rows) == 3
    assert rows[1][1] == '\'＝HYPERLINK("http://evil.example")' and rows[1][2] == "'-5"
    assert rows[2][:3] == ["'\u2060@Acme", "'\tsearch licenses", "'+1"]
    assert_inert(rows)
