"""Text from sources stays text: a source that writes Markdown, Streamlit's own syntax, HTML or a javascript:
URL into a record gets exactly that text on every page and in the documents, never an image fetched from
another host, a link, a colour, an icon or a formula. Also: failures are sentences, and the map's year
parameters take only plain numbers.

The hostile database is built the way `make data` builds, from a copy of data/ whose Atlas rows were rewritten
as a hostile download would write them; a few tables the Atlas cannot reach are rewritten after the build.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest
from markupsafe import escape
from streamlit.testing.v1 import AppTest

from dashboard import queries, ui
from dashboard.documents.brief import brief_markdown, brief_pdf, build_brief
from dashboard.documents.letter import build_letter, law_from_row
from dashboard.documents.pdf import text_to_pdf, web_link
from ingest.build import build
from ingest.db import connect
from ingest.transform import materialize
from tests.apptest import heading_of, no_exception, open_page, page_html
from tests.browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, require_browser, streamlit

ROOT = Path(__file__).resolve().parent.parent
ATLAS_2020 = "atlas_of_surveillance/atlas_of_surveillance_2020-10-07_face_recognition.csv"
DETROIT_PD, DETROIT_ROW, AIRPORT_ROW = "MI8234900", "AOS0137", "AOS0258"
JS_URL = "javascript:alert(1)"
# One line of every kind of markup a page could act on: an image from another host (a tracking pixel), HTML,
# autolinks, Streamlit's colour, icon and emoji directives, LaTeX, emphasis and a link.
PAYLOAD = (
    "![pixel](http://evil.example/p.png) <img src=http://evil.example/i.png> <http://evil.example/auto> "
    "www.evil.example http://evil.example/bare spy@evil.example :red[red] :material/home: :material_home: "
    ":streamlit: :smile: "
    "$x^2$ **bold** [click](javascript:alert(1)) # hash "
    '<span style="fill:url(http://evil.example/f.svg#a);background-image:url(http://evil.example/b.png)">s</span>'
)


def hostile(field: str) -> str:
    return f"{field}: {PAYLOAD}"


def literal(text: str) -> str:
    """What a reader sees: no word joiners (ui.md puts them inside "http:", "www." and before "@"), one space."""
    return " ".join(text.replace(ui.WORD_JOINER, "").split())


# ------------------------------------------------------------------------------------------ the database


def _hostile_data(folder: Path) -> None:
    """data/ as a hostile Atlas download would leave it: Detroit's row with markup in its summary, vendor and
    link labels and javascript: links; the airport row in Detroit with markup as its agency name."""
    shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns("watchdog.duckdb*", "feeds", "*.building*"))
    path = folder / ATLAS_2020
    atlas = pd.read_csv(path, dtype=str, keep_default_na=False)
    detroit = atlas["AOSNUMBER"] == DETROIT_ROW
    assert detroit.sum() == 1
    atlas.loc[detroit, "Summary"] = "In 2017 the department signed a contract. " + hostile("summary")
    atlas.loc[detroit, "Link 1"] = JS_URL
    atlas.loc[detroit, "Link 1 Source"] = hostile("link one")
    atlas.loc[detroit, "Link 2 Source"] = hostile("link two")
    atlas.loc[detroit, "Link 3"] = "vbscript:msgbox(1)"
    airport = atlas["AOSNUMBER"] == AIRPORT_ROW
    assert airport.sum() == 1
    atlas.loc[airport, "Agency"] = hostile("agency")
    atlas.to_csv(path, index=False)


def _rewrite_the_rest(path: Path) -> None:
    """Values the Atlas file does not reach, written the same way: the source registry, a policy, a records
    request, a correction, the state's records law, a product and a vendor."""
    con = connect(path)
    try:
        evidence_id = con.execute(
            "SELECT evidence_id FROM core.evidence WHERE agency_id = ? ORDER BY evidence_id LIMIT 1", [DETROIT_PD]
        ).fetchone()[0]
        vendor_id, raw_id = con.execute(
            "SELECT vendor_id, raw_record_id FROM core.evidence WHERE evidence_id = ?", [evidence_id]
        ).fetchone()
        product_id = con.execute("SELECT min(product_id) FROM core.evidence").fetchone()[0]
        # The Atlas loader already keeps only http(s) links; another connector, or a correction, might not.
        con.execute("UPDATE core.evidence SET source_url = ? WHERE evidence_id = ?", [JS_URL, evidence_id])
        con.execute(
            "INSERT INTO core.evidence_links (evidence_id, link_number, url, source_name) VALUES (?, 9, ?, ?)",
            [evidence_id, JS_URL, hostile("link nine")],
        )
        con.execute(
            "UPDATE meta.sources SET name = ?, url = ?, homepage = ?, attribution = ?, notes = ?, license = ? "
            "WHERE source_id = 'atlas_2020'",
            [hostile("source name"), JS_URL, JS_URL, hostile("attribution"), hostile("notes"), hostile("license")],
        )
        con.execute(
            """INSERT INTO core.policies (policy_id, jurisdiction, jurisdiction_level, place_name, state,
                       stance, description, date_text, source_url, caveat, raw_record_id) VALUES
                       ('hostile_policy', ?, 'city', 'Detroit', 'MI', ?, ?, ?, ?, ?, ?)""",
            [
                hostile("jurisdiction"),
                hostile("stance"),
                hostile("description"),
                hostile("date"),
                JS_URL,
                hostile("caveat"),
                raw_id,
            ],
        )
        con.execute(
            """INSERT INTO core.records_requests (request_id, source_id, title, status, agency_name,
                       agency_id, submitted_on, url, outcome, about_face_recognition, raw_record_id) VALUES
                       ('hostile_request', 'muckrock', ?, 'done', 'Detroit Police Department', ?, DATE '2020-01-02',
                        ?, ?, true, ?)""",
            [hostile("request title"), DETROIT_PD, JS_URL, hostile("outcome"), raw_id],
        )
        con.execute(
            "INSERT INTO core.corrections VALUES (?, 'summary', ?, ?, ?, ?, DATE '2021-01-01')",
            [evidence_id, hostile("old"), hostile("new"), hostile("correction note"), JS_URL],
        )
        con.execute(
            "UPDATE core.records_laws SET law_name = ?, guide_url = ? WHERE state = 'MI'", [hostile("law"), JS_URL]
        )
        con.execute("UPDATE core.products SET name = ? WHERE product_id = ?", [hostile("product"), product_id])
        con.execute("UPDATE core.vendors SET name = ? WHERE vendor_id = ?", [hostile("vendor"), vendor_id])
        materialize.run(con)  # the pages read the stored copies, refreshed as the build's last step does
        con.execute("CHECKPOINT")
    finally:
        con.close()


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("inert")
    _hostile_data(root / "data")
    path = root / "db" / "watchdog.duckdb"
    build(path, data_dir=root / "data")
    _rewrite_the_rest(path)
    return path


@pytest.fixture
def on_hostile(hostile_db, monkeypatch) -> Path:
    monkeypatch.setenv("WATCHDOG_DB", str(hostile_db))
    return hostile_db


def airport_id() -> str:
    found = queries.query("SELECT agency_id FROM views.agencies WHERE name = ?", [hostile("agency")])
    assert len(found) == 1, "the hostile agency name should reach the registry as it was written"
    return found["agency_id"].iloc[0]


# ------------------------------------------------------------------------------------------- the helper

STREAMLIT_SYNTAX = [
    "![x](http://evil.example/p.png)",
    "<img src=http://evil.example/x.png onerror=alert(1)>",
    ":red[x]",
    ":blue-background[x] :orange-badge[y] :small[z]",
    ":material/home:",
    ":material_home:",
    ":streamlit:",
    ":smile:",
    "$x^2$",
    "$$y$$",
    "- item",
    "+ item",
    "2020. list",
    "1) list",
    "===",
    "<http://evil.example/a>",
    "http://evil.example/b",
    "HTTPS://evil.example/c",
    "www.evil.example",
    "spy@evil.example",
    "mailto:spy@evil.example",
    "[a](javascript:alert(1))",
    "[a][1]\n\n[1]: http://evil.example",
    "**b** _i_ ~s~ `c`",
    "# heading",
    "1. list",
    "> quote",
    "| a | b |\n|---|---|",
    "&lt;img&gt; &#60;",
    "\\",
    "",
    "line\n    indented code\n---",
]


ALWAYS_ESCAPED = "`*_{}[]<>#!|~:$&/"  # and the backslash itself


@pytest.mark.parametrize("value", STREAMLIT_SYNTAX)
@pytest.mark.parametrize("lines", [False, True])
def test_every_markup_character_is_escaped_and_autolinks_are_broken(value, lines):
    shown = ui.md(value, lines=lines)
    # Every character that can start markup is escaped (preceded by an odd run of backslashes) ...
    for match in re.finditer(rf"(\\*)([{re.escape(ALWAYS_ESCAPED)}])", shown):
        assert len(match.group(1)) % 2 == 1, (value, shown, match.start())
    # ... so is whatever starts a list or a heading underline at the start of a line ...
    for line in shown.split("  \n"):
        assert not re.match(r"[-+=]|\d+[.)]", line), line
    # ... nothing that Streamlit or GFM finds in the text after escapes (URLs, e-mail, :shortcodes:) is whole ...
    assert not re.search(r"(?i)https?:|www\.|\w@|:[\w+-]", shown.replace("\\", "")), shown
    # ... and the reader sees the value itself.
    assert literal(re.sub(r"\\(.)", r"\1", shown)) == literal(value)


def test_line_breaks_stay_inside_one_paragraph():
    shown = ui.md("first\n\n# second\n    third", lines=True)
    assert shown == "first  \n\\# second  \nthird"


@pytest.mark.parametrize(
    "url",
    [
        JS_URL,
        " javascript:alert(1)",
        "vbscript:x",
        "data:text/html,<b>x</b>",
        "file:///etc",
        "urn:sha256:abc",
        "//evil.example/x",
        "http:",
        "https://",
        "",
    ],
)
def test_only_http_urls_become_links(url):
    shown = ui.link(hostile("label"), url)
    assert not re.search(r"(?<!\\)\]\(", shown)
    assert ui.http_url(url) == ""


def test_an_http_url_cannot_break_out_of_its_link():
    shown = ui.link("label", "http://ok.example/a(b) c<d>`e\n![x](http://evil.example/p.png)")
    target = shown[shown.index("](") + 2 : -1]
    assert shown.startswith("[label](") and shown.endswith(")")
    assert not re.search(r"[\s()<>`]", target), target


# ----------------------------------------------------------------------------------- pages (AppTest)


def markdown_bodies(at: AppTest) -> list[str]:
    """Every element a page wrote as Markdown: text, captions, headings, alerts and widget labels."""
    bodies = [
        e.value
        for kind in ("markdown", "caption", "title", "header", "subheader", "warning", "info", "error", "success")
        for e in at.get(kind)
    ]
    bodies += [
        e.label
        for kind in ("expander", "radio", "metric", "selectbox")
        for e in at.get(kind)
        if getattr(e, "label", None)
    ]
    return bodies


@pytest.mark.parametrize(
    "page, params, shown",
    [
        ("app_pages/agency.py", {"agency": DETROIT_PD}, []),  # its facts are the public page's HTML: see below
        ("app_pages/place.py", {"q": "Detroit"}, []),  # its agencies are the public page's HTML: see the next test
        (
            "app_pages/brief.py",
            {"state": "MI", "level": "city", "name": "Detroit"},
            ["agency", "jurisdiction", "caveat"],
        ),
        ("app_pages/sources.py", {}, ["source name", "attribution", "notes", "license"]),
    ],
)
def test_record_text_reaches_the_page_escaped(page, params, shown, on_hostile):
    at = open_page(page, **params)
    no_exception(at)
    bodies = markdown_bodies(at)
    assert not any(PAYLOAD in body for body in bodies), "record text reached Markdown unescaped"
    assert not any(re.search(r"(?<!\\)\]\((?!https?://)", body) for body in bodies), "a link to a non-http(s) target"
    for field in shown:
        assert any(ui.md(hostile(field)) in body for body in bodies), field


def test_the_place_page_lists_a_hostile_agency_name_as_escaped_html_and_an_option(on_hostile):
    """The Place page's agencies are the public place page (public/render.py, autoescaped) through st.html, and
    the letter's selector, whose options are plain text: the name is there exactly as written, never as markup.
    (It was a table's cell before the page showed the public HTML.)"""
    at = open_page("app_pages/place.py", q="Detroit")
    no_exception(at)
    body = page_html(at)
    assert str(escape(hostile("agency"))) in body
    assert "<img" not in body and "<span style" not in body
    assert not re.search(r"(?i)(href|src)\s*=\s*\"\s*(javascript|data):", body)
    assert any(hostile("agency") in option for option in at.selectbox(key="letter_agency").options)


def test_record_text_reaches_the_agency_page_as_escaped_html(on_hostile):
    """The agency page's facts are the public page (public/render.py, autoescaped) through st.html: every field
    is there as text, no tag or link comes from a record, and a link is made only of an http(s) URL."""
    at = open_page("app_pages/agency.py", agency=DETROIT_PD)
    no_exception(at)
    body = page_html(at)
    for field in ("summary", "link two", "link nine", "correction note", "request title", "outcome"):
        assert str(escape(hostile(field))) in body, field
    assert "<img" not in body and "<script" not in body.lower()
    targets = re.findall(r'(?:href|src)="([^"]*)"', body)
    # a target is an http(s) URL or one of the dashboard's own pages: never javascript:, data: or another scheme
    assert targets and all(re.match(r"https?://|[\w/.-]*(\?|#|$)", t) for t in targets), targets


def test_a_hostile_agency_name_is_its_page_title(on_hostile):
    at = open_page("app_pages/agency.py", agency=airport_id())
    no_exception(at)
    assert heading_of(at) == hostile("agency")


def test_markup_in_the_url_is_shown_as_text(on_hostile):
    at = open_page("app_pages/agency.py", agency=PAYLOAD)
    no_exception(at)
    assert ui.md(PAYLOAD) in at.info[0].value
    at = open_page("app_pages/place.py", q=PAYLOAD[:120])
    no_exception(at)
    assert any(ui.md(PAYLOAD[:120].strip()) in body for body in markdown_bodies(at))


def test_chart_labels_and_hover_text_carry_record_text_as_entities(on_hostile):
    from dashboard import charts

    agencies = queries.map_agencies(queries.Filters(states=["MI"]))
    spec = charts.agency_map(agencies, queries.policies(["MI"]), queries.researched_without_evidence(["MI"]))
    spec = json.loads(spec.to_json())
    texts = [str(v) for trace in spec["data"] for v in [*(trace.get("customdata") or []), *(trace.get("text") or [])]]
    assert any("evil.example" in t for t in texts), "the hostile agency should be on the charts"
    assert not [t for t in texts if "<" in t], "a chart would read record text as markup"
    ids = [row[0] for trace in spec["data"] for row in trace.get("customdata") or []]
    assert airport_id() in ids  # the id a click hands back to the page is unchanged


# ------------------------------------------------------------------------------------------ documents


def hostile_brief() -> tuple:
    level, name, state = "city", "Detroit", "MI"
    evidence = queries.jurisdiction_evidence(level, name, state)
    return build_brief(
        f"{name}, {state}",
        evidence,
        queries.jurisdiction_policies(level, name, state),
        queries.source("atlas_2020"),
        date(2026, 1, 2),
        flags=queries.flags_for(evidence["agency_id"].unique().tolist()),
        requests=queries.jurisdiction_requests(level, name, state),
        coverage=queries.jurisdiction_coverage(level, name, state),
        coverage_sources=[queries.source("atlas_2020")],
    ), evidence


def pdf_links_and_text(pdf: bytes) -> tuple[list[str], str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    uris, text = [], []
    for page in reader.pages:
        text.append(page.extract_text())
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None:
                uris.append(str(action.get_object().get("/URI")))
    return uris, "".join("".join(text).split())


def test_the_pdf_brief_prints_record_text_as_written_and_links_only_to_the_web(on_hostile):
    brief, _ = hostile_brief()
    assert any(c.url == JS_URL for c in brief.citations), "the hostile database should give the brief a javascript: URL"
    uris, text = pdf_links_and_text(brief_pdf(brief))
    assert uris and all(re.match(r"https?://", u) for u in uris), uris
    for field in ("agency", "jurisdiction", "caveat", "source name"):
        assert "".join(hostile(field).split()) in text, field
    assert JS_URL in text  # printed for the reader, never a link


def test_the_brief_on_the_page_is_escaped(on_hostile):
    brief, _ = hostile_brief()
    shown = brief_markdown(brief)
    assert PAYLOAD not in shown and ui.md(hostile("agency")) in shown
    assert not re.search(r"(?<!\\)\]\((?!https?://)", shown)


def test_the_letter_pdf_prints_record_text_as_written(on_hostile):
    agency = queries.agency(airport_id())
    law = law_from_row(queries.records_law("MI"), "MI")
    letter = build_letter(agency, queries.agency_claims(DETROIT_PD), law, date(2026, 1, 2))
    uris, text = pdf_links_and_text(text_to_pdf("Public records request", letter))
    assert uris == []
    for field in ("agency", "law", "vendor"):
        assert "".join(hostile(field).split()) in text, field


def test_a_pdf_link_is_a_web_address_or_nothing():
    assert web_link("https://example.org/a b") == ""
    assert web_link(" https://example.org/x ") == "https://example.org/x"
    for url in (JS_URL, "file:///etc/passwd", "vbscript:x", "", None, "https://"):
        assert web_link(url) == ""


# ------------------------------------------------------------------------------ failures and parameters


@pytest.mark.parametrize(
    "params",
    [
        {"from": "--5"},
        {"to": "²"},
        {"from": "٣", "to": "-"},
        {"from": "9" * 40, "to": "1e3"},
        {"from": "", "to": " "},
        {"from": "2019.5"},
    ],
)
def test_odd_year_parameters_show_the_whole_map(params):
    at = open_page(None, **params)
    no_exception(at)
    assert not at.error
    slider = at.slider(key="f_years")
    assert slider.value == (slider.min, slider.max)
    assert at.title[0].value == "Who's Watching"


def test_a_year_parameter_in_range_still_narrows_the_map():
    at = open_page(None, **{"from": "2019", "to": "2020"})
    no_exception(at)
    assert at.slider(key="f_years").value == (2019, 2020)


def test_an_unexpected_failure_is_a_sentence_and_the_traceback_goes_to_the_log(monkeypatch):
    def broken(agency_id):
        raise RuntimeError("/secret/path/watchdog.duckdb: internal detail")

    monkeypatch.setattr(queries, "agency", broken)
    at = open_page("app_pages/agency.py", agency=DETROIT_PD)
    assert not at.exception
    message = at.error[0].value
    assert "The Agency page could not be shown" in message and "Nothing was changed" in message
    assert "issue tracker" in message
    assert "RuntimeError" not in message and "/secret/path" not in message


def test_streamlit_hides_error_details_from_visitors():
    assert tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["client"]["showErrorDetails"] == "none"
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"], cwd=ROOT, capture_output=True, text=True, timeout=120
    ).stdout
    assert re.search(r'^showErrorDetails = "none"$', shown, re.M), "Streamlit does not read the setting"


# -------------------------------------------------------------------------------------- the real browser


@pytest.fixture(scope="module")
def hostile_server(hostile_db, tmp_path_factory):
    """The dashboard with the project's config, reading the hostile database."""
    require_browser()
    with streamlit(hostile_db, tmp_path_factory.mktemp("streamlit-inert") / "streamlit.log") as base:
        yield base


# Streamlit has finished the script and every expected value is on the page.
SETTLED = """expected => {
  const t = document.body.innerText.replaceAll('\\u2060', '').replace(/\\s+/g, ' ');
  return !document.querySelector('[data-testid="stStatusWidget"]')
         && document.querySelectorAll('[data-testid="stMarkdownContainer"]').length > 2
         && expected.every(e => t.includes(e)); }"""
# What the page shows, with word joiners removed; links that are not http(s) or that go to the host only record
# text names (no URL field holds it); images that do not come from the site; formulas drawn.
INSPECT = """() => ({
  text: document.body.innerText.replaceAll('\\u2060', ''),
  links: [...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => {
           const u = new URL(h, location.href);
           return !['http:', 'https:'].includes(u.protocol) || u.hostname.endsWith('evil.example'); }),
  images: [...document.images].map(i => i.src).filter(s => !s.startsWith(location.origin) && !s.startsWith('data:')),
  formulas: document.querySelectorAll('.katex').length,
  failures: document.querySelectorAll('.stException').length,
})"""


@pytest.mark.browser
def test_hostile_record_text_is_shown_as_text_and_fetches_nothing_in_chromium(hostile_server, hostile_db):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    os.environ["WATCHDOG_DB"], old = str(hostile_db), os.environ.get("WATCHDOG_DB")
    try:
        airport = airport_id()
    finally:
        os.environ["WATCHDOG_DB"] = old or ""
    pages = [
        (
            f"agency?agency={DETROIT_PD}",
            ["summary", "link two", "link nine", "correction note", "request title", "outcome", "vendor"],
        ),
        (f"agency?agency={airport}", ["agency"]),
        ("place?q=Detroit", ["law", "agency"]),  # the agency's name in the public place page's HTML
        ("brief?state=MI&level=city&name=Detroit", ["agency", "jurisdiction", "caveat"]),
        ("sources", ["source name", "attribution", "notes"]),
        ("vendors", []),
        ("about", []),
        ("map?state=MI&from=--5&to=%C2%B2", []),
    ]
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda request: requests.append(request.url))
            for path, fields in pages:
                page.goto(f"{hostile_server}/{path}")
                expected = [literal(hostile(field)) for field in fields]
                # Done when every expected value is on the page and Streamlit is no longer running the script.
                try:
                    page.wait_for_function(SETTLED, arg=expected, timeout=60_000)
                except PlaywrightTimeout:
                    pass  # the assertions below say what is missing
                page.wait_for_timeout(1500)  # images and fonts a rendered element would request
                seen = page.evaluate(INSPECT)
                assert seen["failures"] == 0, path
                assert seen["links"] == [], (path, seen["links"])
                assert seen["images"] == [], (path, seen["images"])
                assert seen["formulas"] == 0, path
                shown = literal(seen["text"])
                for field in fields:
                    assert literal(hostile(field)) in shown, (path, field)
            assert "Who's Watching" in shown  # the map with odd year parameters is the map
        finally:
            browser.close()
    elsewhere = sorted(
        {
            u
            for u in requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname not in LOCAL_HOSTS
        }
    )
    assert not elsewhere, f"the pages called other hosts: {elsewhere}"


def test_a_refused_uploads_file_name_is_shown_as_text():
    # The refusal names the file, and a file name is the visitor's text: `![x](http://...)` must never load an image.
    name = "![x](http://evil.example/p.png) :red[y].txt"
    at = open_page("app_pages/reporter.py")
    at.file_uploader[0].set_value((name, b"\x00\x01\x02 not a table", "text/plain"))
    at.run(timeout=60)
    errors = [e.value for e in at.error]
    assert errors and all("![x](" not in e and ":red[" not in e for e in errors), errors
    assert any(ui.md(name) in e for e in errors), errors
