"""Hostile input through the real code paths: uploads in odd encodings, huge and enormous files, embedded
newlines, spreadsheet formulas, markup and script in record text, SQL metacharacters in every place a
visitor can type or put in a URL, and tokens in the environment that must never reach the database.

Files are generated in tmp at test time; nothing large is committed.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import exports, queries, workbench
from dashboard.data import query
from dashboard.lookup import lookup
from ingest.db import connect
from ingest.transform import materialize
from public import render
from tests.apptest import html_text, no_exception, open_page

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30
DETROIT_PD = "MI8234900"
SQL_METACHARACTERS = [
    "'; DROP TABLE core.agencies; --",
    "' OR '1'='1",
    '" OR ""="',
    "%",
    "_%_",
    "\\",
    "$q",
    "?",
    ":id",
    "); SELECT 1; --",
    "a\x00b",
    "Detroit' UNION SELECT * FROM raw.records --",
    "x" * 5000,
]


# ------------------------------------------------------------------------------------------ uploads

LEAK_ROWS = [
    ("Detroit Police Department", "MI", "Jane Roe", "jane.roe@example.org", "Peñuelas ñ façade · trial"),
    ("NYPD", "NY", "John Doe", "(212) 555-0147", "Clearview pilot ¿sí?"),
    ("Acme Widgets Inc", "TX", "", "", "not an agency"),
]


def leak_csv(encoding: str) -> bytes:
    frame = pd.DataFrame(LEAK_ROWS, columns=["Agency", "State", "Officer", "Contact", "Notes"])
    text = frame.to_csv(index=False)
    # Windows tools write UTF-16 with a BOM and CRLF; Python's "utf-16" codec writes the BOM.
    return text.replace("\n", "\r\n").encode(encoding) if encoding == "utf-16" else text.encode(encoding)


@pytest.fixture(scope="module")
def matcher(built_db):
    from rules.matching import from_database

    con = connect(built_db, read_only=True)
    try:
        return from_database(con)
    finally:
        con.close()


@pytest.mark.parametrize("encoding, note", [("latin-1", "Read as latin-1."), ("utf-16", "Read as utf-16.")])
def test_latin1_and_utf16_uploads_are_read_redacted_and_matched(encoding, note, matcher):
    data = leak_csv(encoding)
    if encoding == "utf-16":
        assert data.startswith(b"\xff\xfe"), "the test file must carry a BOM"
    upload = workbench.read_upload(f"leak-{encoding}.csv", data)
    assert note in upload.notes
    frame = upload.frame
    assert list(frame.columns) == ["Agency", "State", "Officer", "Contact", "Notes"]
    assert frame["Notes"].tolist()[0] == "Peñuelas ñ façade · trial"  # not mojibake ("PeÃ±uelas")
    text = frame.to_csv()
    for secret in ("Jane Roe", "jane.roe@", "555-0147", "John Doe"):
        assert secret not in text, f"{secret!r} survived redaction"
    matched = workbench.match(frame, *matcher, name_col="Agency", state_col="State")
    assert matched.loc[0, "status"] == "matched" and matched.loc[0, "agency_id"] == DETROIT_PD
    assert matched.loc[2, "status"] == "unmatched"  # a company is never guessed onto an agency


def test_a_50_mb_upload_is_read_whole(matcher):
    # Long free-text cells are what makes real leaks large; 50 MB stays under MAX_ROWS.
    filler = "records request follow-up; see attached memo. " * 20
    row = f"Detroit Police Department,MI,{filler},call 313-555-0199\n"
    count = 50 * 1024 * 1024 // len(row.encode()) + 1
    data = ("Agency,State,Notes,Remarks\n" + row * count).encode()
    assert len(data) >= 50 * 1024 * 1024 and count <= workbench.MAX_ROWS
    started = time.perf_counter()
    upload = workbench.read_upload("big.csv", data)
    elapsed = time.perf_counter() - started
    assert len(upload.frame) == count
    assert upload.frame["Remarks"].iloc[-1] == "call [phone redacted]"
    assert elapsed < 60, f"reading a 50 MB upload took {elapsed:.1f} s"


def test_a_million_row_file_is_refused_with_a_sentence_and_quickly():
    # read_upload caps uploads at MAX_ROWS (pandas reads MAX_ROWS + 1 rows and stops): a million rows must
    # get the cap's clear message, not a long stall or a MemoryError.
    data = ("Agency,State\n" + "Springfield Police Department,IL\n" * 1_000_000).encode()
    started = time.perf_counter()
    with pytest.raises(workbench.UploadError, match=r"more than 200,000 rows: split it"):
        workbench.read_upload("million.csv", data)
    assert time.perf_counter() - started < 20


def test_exactly_max_rows_is_accepted():
    data = ("Agency,State\n" + "Springfield Police Department,IL\n" * workbench.MAX_ROWS).encode()
    assert len(workbench.read_upload("max.csv", data).frame) == workbench.MAX_ROWS


def test_embedded_newlines_stay_inside_their_cell():
    data = (
        b'Agency,State,Notes\n"Detroit\nPolice Department",MI,"line one\r\nline two, with a comma"\n'
        b'NYPD,NY,"quote ""inside"" and\nnewline"\n'
    )
    frame = workbench.read_upload("multiline.csv", data).frame
    assert len(frame) == 2
    assert frame["Notes"].tolist() == ["line one\r\nline two, with a comma", 'quote "inside" and\nnewline']
    back = pd.read_csv(io.BytesIO(exports.to_csv(frame)), dtype=str)
    assert back["Notes"].tolist()[1] == 'quote "inside" and\nnewline'


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("unbalanced.csv", b'Agency,State\n"Detroit Police,MI\nNYPD,NY\n', "could not be read as a table"),
        ("ragged.csv", b"Agency,State\nDetroit,MI\nNYPD,NY,extra,cells\n", "Row 3 has 4 cells but the header has 2"),
        ("binary.csv", bytes(range(256)) * 10, ""),
        ("leak.exe", b"MZ\x90\x00", "upload a CSV or an XLSX file"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "could not be read as a table"),
    ],
)
def test_broken_uploads_get_one_sentence(name, data, message):
    try:
        upload = workbench.read_upload(name, data)
    except workbench.UploadError as exc:
        assert message in str(exc) and "\n" not in str(exc) and "Traceback" not in str(exc)
    else:  # bytes that decode as Latin-1 text may well be a (silly) table: never a crash
        assert message == "" and isinstance(upload.frame, pd.DataFrame)


def test_a_row_longer_than_the_header_is_not_silently_shifted():
    try:
        frame = workbench.read_upload("ragged.csv", b"Agency,State\nDetroit,MI,extra,cells\n").frame
    except workbench.UploadError:
        return  # refusing it with a sentence is right too
    assert frame["Agency"].tolist() == ["Detroit"]


# --------------------------------------------------------------------------------- formula injection

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "=1+1\n",
]


def test_csv_exports_neutralise_formulas_in_cells_and_headers():
    frame = pd.DataFrame({"=danger": FORMULAS, "fine": ["plain"] * len(FORMULAS), "amount": [-5.0] * len(FORMULAS)})
    back = pd.read_csv(io.BytesIO(exports.to_csv(frame)), dtype=str, keep_default_na=False)
    assert list(back.columns) == ["'=danger", "fine", "amount"]
    assert back["'=danger"].tolist() == ["'" + f for f in FORMULAS]
    assert set(back["fine"]) == {"plain"}
    assert set(back["amount"]) == {"-5.0"}  # a number stays a number: only text is neutralised
    # JSON and Parquet are data formats, not spreadsheets: they keep the exact text.
    assert [r["=danger"] for r in json.loads(exports.to_json(frame))] == FORMULAS


def test_a_carriage_return_cannot_start_a_new_row_with_a_formula():
    frame = pd.DataFrame({"agency": ["Detroit Police Department"], "notes": ["note\r=cmd|' /C calc'!A0"]})
    text = exports.to_csv(frame).decode()
    rows = list(csv.reader(io.StringIO(text, newline="")))  # how a spreadsheet splits the file
    assert len(rows) == 2, rows
    assert not any(cell.startswith(exports.FORMULA_START) for row in rows for cell in row), rows


def test_a_leak_with_formulas_is_neutralised_in_the_workbench_export(matcher):
    data = (
        "Agency,State,Notes\n"
        + "\n".join(f'Detroit Police Department,MI,"{f.replace(chr(34), 2 * chr(34))}"' for f in FORMULAS[:4])
    ).encode()
    upload = workbench.read_upload("formulas.csv", data)
    matched = workbench.match(upload.frame, *matcher, name_col="Agency", state_col="State")
    back = pd.read_csv(io.BytesIO(exports.to_csv(matched)), dtype=str, keep_default_na=False)
    assert all(v.startswith("'") for v in back["Notes"])


# ----------------------------------------------------------------------------- markup in record text

SCRIPT = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(document.cookie)"


@pytest.fixture(scope="module")
def hostile_db(built_db, tmp_path_factory) -> Path:
    """The session's database with Detroit's evidence rewritten the way a hostile source would write it."""
    path = tmp_path_factory.mktemp("hostile") / "watchdog.duckdb"
    shutil.copyfile(built_db, path)
    con = connect(path)
    try:
        for table in ("core.evidence", "meta.changes"):
            con.execute(
                f"UPDATE {table} SET summary = ?, source_url = ? WHERE agency_id = ?",
                [f"Bought it. {SCRIPT} [click me]({JS_URL})", JS_URL, DETROIT_PD],
            )
        con.execute("UPDATE core.evidence SET source_name = ? WHERE agency_id = ?", ["<b>bold</b>](x) [", DETROIT_PD])
        materialize.run(con)  # the pages read the stored copies, refreshed as the build's last step does
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def test_pages_never_allow_raw_html():
    # Streamlit escapes HTML in markdown unless a page opts out; none of ours may. The one HTML a page shows is the
    # public pages' rendering (public/render.py: Jinja2 with autoescaping on), handed to st.html whole.
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in (ROOT / "dashboard").rglob("*.py")
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if re.search(r"unsafe_allow_html|st\.html\(|components\.v1|components\.html", line)
        and not re.fullmatch(r"\s*st\.html\(render\.\w+_html\([\w, ]*\)\)", line)
    ]
    assert offenders == []
    assert render.environment().autoescape


# Streamlit reads these calls' text as Markdown: a value put into it must be escaped (ui.md, ui.link, ui.code,
# ui.status_badge), a number (len, sum, int, count, or a format spec such as {n:,} or {when:%Y}) or a constant.
MARKDOWN_CALLS = {"markdown", "title", "caption", "write", "header", "subheader", "info", "warning", "error", "success"}
MARKDOWN_CALLS |= {"button", "expander"}
SAFE_CALLS = {"md", "link", "code", "status_badge", "len", "sum", "int", "count"}
# Values read by hand, none of them text from a source: (file, the value as written).
READ_BY_HAND = {
    ("map.py", "where"),  # " in " + ui.md(the chosen state codes)
    ("map.py", "narrowed_by"),  # our own words, or ""
    ("place.py", "evidence"),  # ", N with evidence" (a count), or ""
    ("reporter.py", "upload.sha256[:16]"),  # hexadecimal digits we computed
    ("reporter.py", "'s' if len(queue) != 1 else ''"),
    ("requests.py", "restored"),  # a count
    ("whats_new.py", "added"),  # a count
    ("whats_new.py", "removed"),  # a count
}


def unescaped_in_markdown(path) -> list[str]:
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MARKDOWN_CALLS
            and getattr(node.func.value, "id", None) == "st"
            and node.args
            and isinstance(node.args[0], ast.JoinedStr)
        ):
            continue
        for value in (v for v in node.args[0].values if isinstance(v, ast.FormattedValue)):
            called = value.value.func if isinstance(value.value, ast.Call) else None
            name = getattr(called, "attr", None) or getattr(called, "id", None)
            constant = isinstance(value.value, ast.Attribute) and value.value.attr.isupper()
            if name in SAFE_CALLS or value.format_spec is not None or constant:
                continue
            if (path.name, ast.unparse(value.value)) not in READ_BY_HAND:
                found.append(f"{path.parent.name}/{path.name}:{node.lineno} {ast.unparse(value.value)}")
    return found


def test_every_value_put_into_markdown_is_escaped_or_a_number():
    offenders = [o for p in sorted((ROOT / "dashboard").rglob("*.py")) for o in unescaped_in_markdown(p)]
    assert offenders == [], "wrap text in ui.md (or read it by hand and list it in READ_BY_HAND)"


def test_the_markdown_guard_finds_a_name_put_in_unescaped(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('import streamlit as st\nst.caption(f"**{row.name}** {ui.md(row.note)} {len(rows):,}")\n')
    assert [o.split(" ", 1)[1] for o in unescaped_in_markdown(page)] == ["row.name"]


def markdown_elements(at: AppTest) -> list:
    return [*at.markdown, *at.caption, *at.get("blockquote")]


def test_script_in_record_text_stays_text_on_the_agency_page(hostile_db, monkeypatch):
    monkeypatch.setenv("WATCHDOG_DB", str(hostile_db))
    at = open_page("app_pages/agency.py", agency=DETROIT_PD)
    no_exception(at)
    shown = markdown_elements(at)
    assert not any(m.proto.allow_html for m in shown), "a markdown element allows raw HTML"
    # The facts are the public page's HTML: the hostile summary is in it as escaped text, never as markup.
    (page_html,) = [e.proto.body for e in at.get("html")]
    assert "&lt;script&gt;" in page_html and "<script" not in page_html.lower()
    # The javascript: URL is never a link target (a link is made of an http(s) URL only); it is shown as text.
    assert not any(h.strip().lower().startswith("javascript:") for h in re.findall(r'href="([^"]*)"', page_html))
    assert html.escape(JS_URL) in page_html or JS_URL in html_text(page_html)


def test_script_in_record_text_is_inert_in_the_brief_and_exports(hostile_db, monkeypatch):
    monkeypatch.setenv("WATCHDOG_DB", str(hostile_db))
    at = open_page("app_pages/brief.py", state="MI", level="city", name="Detroit")
    no_exception(at)
    assert not any(m.proto.allow_html for m in markdown_elements(at))
    frame = queries.agency_evidence(DETROIT_PD)
    assert (frame["source_url"] == JS_URL).all()
    assert SCRIPT in exports.to_csv(frame).decode()  # data is exported as data, unchanged, never run


def test_no_javascript_url_reaches_a_link_column(hostile_db, monkeypatch):
    monkeypatch.setenv("WATCHDOG_DB", str(hostile_db))
    at = open_page("app_pages/whats_new.py", state="MI")
    no_exception(at)
    for table in at.dataframe:
        links = [
            c
            for c, cfg in json.loads(table.proto.columns or "{}").items()
            if cfg.get("type_config", {}).get("type") == "link"
        ]
        for column in links:
            if column in table.value.columns:
                values = table.value[column].dropna().astype(str)
                assert not values.str.lower().str.strip().str.startswith("javascript:").any(), column


# ----------------------------------------------------------------------------------- SQL metacharacters


@pytest.mark.parametrize("text", SQL_METACHARACTERS)
def test_every_query_binds_what_a_visitor_types(text, db):
    """Every query function that takes visitor text, called with hostile text: no error, nothing found."""
    nothing = queries.Filters(states=[text], vendors=[text], statuses=[text], kinds=[text])
    assert queries.map_agencies(nothing).empty
    assert queries.headline(nothing)["agencies"] == 0
    assert queries.claims_export(nothing).empty
    assert queries.policies([text]).empty
    answer = lookup(text, query)  # the Place page's and `ingest lookup`'s one function
    if text not in ("%", "_%_", "?", "\\"):  # an ordinary character can rightly match in a substring search
        assert answer.agencies.empty and not answer.places
    assert queries.agency(text) is None
    assert queries.agency_evidence(text).empty and queries.agency_claims(text).empty
    assert queries.evidence_links([text]).empty
    assert queries.record_for_agencies([text]).empty
    for level in ("state", "county", "city", text):
        assert queries.jurisdiction_evidence(level, text, text).empty
    assert queries.records_law(text) is None
    assert queries.coverage_counts([text]) == {}
    assert db.execute("SELECT count(*) FROM core.agencies").fetchone()[0] > 1000


@pytest.mark.parametrize(
    "page, params",
    [
        ("app_pages/place.py", {"q": "Detroit' UNION SELECT * FROM raw.records --"}),
        ("app_pages/place.py", {"q": "a\x00b"}),
        ("app_pages/place.py", {"q": "x" * 5000}),
        ("app_pages/agency.py", {"agency": "'; DROP TABLE core.evidence; --"}),
        ("app_pages/agency.py", {"agency": "%"}),
        ("app_pages/brief.py", {"state": "MI' --", "level": "city' OR 1=1 --", "name": "%"}),
        ("app_pages/brief.py", {"state": "MI", "level": "city", "name": "Detroit' OR '1'='1"}),
        ("app_pages/whats_new.py", {"watch": "'; DROP TABLE meta.changes; --", "state": ["MI' --", "%"]}),
        (None, {"state": ["%", "MI' OR 1=1 --"], "vendor": "\\", "status": "$statuses", "kind": "_", "from": "1; --"}),
    ],
)
def test_hostile_text_in_every_url_parameter_and_search_box(page, params, db):
    at = open_page(page, **params)
    no_exception(at)
    assert db.execute("SELECT count(*) FROM core.evidence").fetchone()[0] > 0


def test_a_long_query_in_the_url_is_cut_to_the_box_limit():
    at = open_page("app_pages/place.py", q="x " * 300)
    no_exception(at)
    assert len(at.text_input(key="place_q").value) <= 120


def test_typing_sql_into_the_place_box():
    at = open_page("app_pages/place.py")
    no_exception(at)
    at.text_input(key="place_q").input("Wayne'; DROP TABLE views.claims; --").run(timeout=TIMEOUT)
    no_exception(at)
    assert any("No agency matching" in m.value for m in at.markdown)


# --------------------------------------------------------------------------------------------- privacy


def test_no_environment_token_reaches_the_run_output_the_archive_or_the_database(tmp_path):
    """A real fetch of every live source with tokens set (the server sees them, so they were read and sent),
    then the database it built, the archive and everything printed are searched for them."""
    from pytest_httpserver import HTTPServer

    from tests.test_ingest_live import play_every_source

    token = "secret-test-token-3f9c2a"
    env = {
        **os.environ,
        "MUCKROCK_TOKEN": token,
        "SOCRATA_APP_TOKEN": token,
        "WATCHDOG_API_TOKEN": token,
        "GITHUB_TOKEN": token,
        "WATCHDOG_ARCHIVE": str(tmp_path / "archive"),
        "WATCHDOG_HTTP_INTERVAL": "0",
    }
    target = tmp_path / "watchdog.duckdb"
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        play_every_source(server)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "ingest",
                "run",
                "all",
                "--base-url",
                server.url_for("/").rstrip("/"),
                "--db",
                str(target),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=600,
        )
        seen = [req.headers for req, _ in server.log]
    finally:
        server.clear()
        server.stop()
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert any(h.get("Authorization") == f"Bearer {token}" for h in seen), "MuckRock was not asked with the token"
    assert any(h.get("X-App-Token") == token for h in seen), "Socrata was not asked with the token"
    assert list((tmp_path / "archive").rglob("*.meta.json")), "nothing was archived"
    assert token.encode() not in proc.stdout + proc.stderr
    # Every text value in every table and view, as text (the file's bytes are compressed, so a byte scan
    # alone could miss it), and the raw bytes of everything the build wrote beside it.
    con = connect(target, read_only=True)
    try:
        columns = con.execute("""
            SELECT database_name, schema_name, table_name, column_name FROM duckdb_columns()
            WHERE NOT internal AND database_name = current_database()""").fetchall()
        assert len(columns) > 50
        tables: dict[str, list[str]] = {}
        for _database, schema, table, column in columns:
            tables.setdefault(f'"{schema}"."{table}"', []).append(f'"{column}"')
        for table, cols in tables.items():
            hits = con.execute(
                f"SELECT count(*) FROM {table} WHERE "
                + " OR ".join(f"contains(CAST({c} AS VARCHAR), ?)" for c in cols),
                [token] * len(cols),
            ).fetchone()[0]
            assert hits == 0, f"{token} found in {table}"
    finally:
        con.close()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
