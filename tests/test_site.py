"""The public site (`python -m ingest site`, public/): baked from the session's database by the real command, its
files and slugs, every agency with evidence on a page with its claims' statuses, dates and citations and the raw
records' hashes, nothing loaded from another host, and markup from a source inert (in the site and in the HTML
the dashboard shows)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ingest.db import connect
from ingest.transform import materialize
from public import render
from rules import documented

ROOT = Path(__file__).resolve().parent.parent
MIAMI_PD = "FL0130600"
DETROIT_PD = "MI8234900"
SCRIPT = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(document.cookie)"


def bake(db: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingest", "site", "--out", str(out), "--db", str(db), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def site(built_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "public"
    done = bake(built_db, out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Baked" in done.stdout + done.stderr
    return out


class Tags(HTMLParser):
    """Every tag's attributes, and the page's text."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Tags:
    tags = Tags()
    tags.feed(path.read_text(encoding="utf-8"))
    return tags


def hrefs(tags: Tags) -> set[str]:
    return {a.get("href") for tag, a in tags.tags if tag == "a" and a.get("href")}


def words(tags: Tags) -> str:
    return " ".join(" ".join(tags.text).split())


# ------------------------------------------------------------------------------------------------ files


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Miami", "miami"),
        ("Miami-Dade County", "miami-dade-county"),
        ("St. Louis", "st-louis"),
        ("  O'Fallon ", "o-fallon"),
        ("Winston-Salem / Forsyth", "winston-salem-forsyth"),
    ],
)
def test_place_slugs_are_lower_case_with_a_dash_for_every_other_run(name, slug):
    assert render.place_slug(name) == slug


def test_the_site_has_its_pages_downloads_and_search(site):
    for name in (
        "index.html",
        "state/FL.html",
        "place/FL/miami.html",
        "place/FL/miami-dade-county.html",
        f"agency/{MIAMI_PD}.html",
        "search.html",
        "search-index.js",
        "search-index.json",
        "search.js",
        "site.css",
        "downloads/index.html",
        "downloads/claims.csv",
        "downloads/claims-FL.csv",
        "downloads/evidence-FL.csv",
    ):
        assert (site / name).is_file(), name
    assert not list(site.parent.glob(".*baking*")), "the bake's working folder is gone once the site is in place"


def test_every_city_and_county_with_a_registry_agency_has_a_page(site, db):
    places = db.execute(
        """SELECT DISTINCT state, city AS name FROM views.agencies WHERE city IS NOT NULL AND state IS NOT NULL
           UNION SELECT DISTINCT state, county FROM views.agencies WHERE county IS NOT NULL AND state IS NOT NULL"""
    ).fetchall()
    baked = {(p.parent.name, p.stem) for p in (site / "place").glob("*/*.html")}
    missing = [
        (state, name)
        for state, name in places
        if (state, render.place_slug(" ".join(name.split()))) not in baked
        and (state, render.place_slug(" ".join(name.split())) + "-county") not in baked
    ]
    assert missing == []


def test_every_agency_with_evidence_has_a_page_with_each_claim_its_status_date_and_citations(site, db):
    claims = db.execute(
        "SELECT agency_id, product, status, last_documented, source_urls FROM served.claims ORDER BY agency_id"
    ).fetchall()
    assert len(claims) > 300
    pages: dict[str, Tags] = {}
    for agency_id, product, status, last_documented, source_urls in claims:
        path = site / "agency" / render.agency_file(agency_id)
        assert path.is_file(), agency_id
        tags = pages.setdefault(agency_id, parse(path))
        text = words(tags)
        assert f"{status} {documented.when(last_documented)} · {' '.join(product.split())}" in text, (
            agency_id,
            product,
        )
        for url in (source_urls or "").split():
            if url.lower().startswith(("http://", "https://")):
                assert render.http_url(url) in hrefs(tags), (agency_id, url)


def test_an_agency_page_traces_each_evidence_row_to_its_raw_record(site, db):
    rows = db.execute(
        """SELECT evidence_id, raw_hash, raw_file_sha256, raw_fetched_at, source_url
           FROM served.evidence WHERE agency_id = ?""",
        [MIAMI_PD],
    ).fetchall()
    assert rows
    page = (site / "agency" / f"{MIAMI_PD}.html").read_text(encoding="utf-8")
    for evidence_id, raw_hash, file_sha, fetched, source_url in rows:
        assert f'id="{evidence_id}"' in page
        assert raw_hash in page and file_sha in page and html.escape(str(fetched)) in page
        assert f'href="{html.escape(render.http_url(source_url))}"' in page


def test_pages_link_both_ways_between_places_agencies_and_the_dashboard_tools(site):
    place = parse(site / "place" / "FL" / "miami.html")
    links = hrefs(place)
    assert f"../../agency/{MIAMI_PD}.html" in links
    assert "../../state/FL.html" in links
    assert "http://127.0.0.1:8501/place?q=Miami" in links
    agency = hrefs(parse(site / "agency" / f"{MIAMI_PD}.html"))
    assert "../place/FL/miami.html" in agency and "../place/FL/miami-dade-county.html" in agency
    assert f"http://127.0.0.1:8501/agency?agency={MIAMI_PD}" in agency
    assert any(h.startswith("http://127.0.0.1:8501/place?q=Miami&agency=") for h in agency)
    state = hrefs(parse(site / "state" / "FL.html"))
    assert "../place/FL/miami.html" in state and f"../agency/{MIAMI_PD}.html" in state
    assert "state/FL.html" in hrefs(parse(site / "index.html"))


def test_the_dashboard_url_is_a_setting(built_db, tmp_path):
    out = tmp_path / "elsewhere"
    done = bake(built_db, out, "--dashboard", "https://dash.example.org/ww")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "https://dash.example.org/ww/agency?agency=" + MIAMI_PD in hrefs(parse(out / "agency" / f"{MIAMI_PD}.html"))


RESOURCE = re.compile(r"<(script|link|img|iframe|source|video|audio|embed|object|image|use)\b[^>]*>", re.I)
URL_ATTRIBUTE = re.compile(r"\b(src|href|srcset|data|xlink:href)\s*=\s*\"([^\"]*)\"", re.I)


def test_nothing_a_page_loads_comes_from_another_host(site):
    """Scripts, styles, images and frames are files of the site itself: no absolute or protocol-relative URL."""
    pages = list(site.rglob("*.html"))
    assert len(pages) > 1000
    outside = []
    for path in pages:
        content = path.read_text(encoding="utf-8")
        for tag in RESOURCE.finditer(content):
            for _, value in URL_ATTRIBUTE.findall(tag.group(0)):
                if re.match(r"(?i)^([a-z][a-z0-9+.-]*:|//)", value):
                    outside.append((path.relative_to(site).as_posix(), value))
        assert "url(" not in content.replace("url(#", ""), path  # no CSS loading from elsewhere either
    assert outside == []
    assert "url(" not in (site / "site.css").read_text()


def test_a_folder_that_is_not_a_site_is_never_overwritten(built_db, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my own file")
    done = bake(built_db, out)
    assert done.returncode == 1
    assert "nothing was written" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


# ------------------------------------------------------------------------------------------- hostile text


@pytest.fixture(scope="module")
def hostile_db(built_db, tmp_path_factory) -> Path:
    """The session's database with Detroit's police written the way a hostile source would write them."""
    path = tmp_path_factory.mktemp("hostile-site") / "watchdog.duckdb"
    shutil.copyfile(built_db, path)
    con = connect(path)
    try:
        con.execute("UPDATE core.agencies SET name = ? WHERE agency_id = ?", [f"Detroit PD {SCRIPT}", DETROIT_PD])
        con.execute(
            "UPDATE core.evidence SET summary = ?, source_url = ?, source_name = ? WHERE agency_id = ?",
            [f"Bought it. {SCRIPT} [click me]({JS_URL})", JS_URL, "<b>bold</b>", DETROIT_PD],
        )
        evidence_id = con.execute(
            "SELECT min(evidence_id) FROM core.evidence WHERE agency_id = ?", [DETROIT_PD]
        ).fetchone()[0]
        con.execute(
            "INSERT INTO core.evidence_links (evidence_id, link_number, url, source_name) VALUES (?, 9, ?, ?)",
            [evidence_id, JS_URL, f"link {SCRIPT}"],
        )
        materialize.run(con)  # the site reads the stored copies, refreshed as the build's last step does
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def hostile_site(hostile_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile-public") / "public"
    done = bake(hostile_db, out)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def assert_inert(content: str) -> None:
    assert "<script>alert" not in content and "<img src=x" not in content and "<b>bold" not in content
    assert not re.search(r"(?i)(href|src)\s*=\s*\"\s*javascript:", content)


def test_markup_from_a_source_is_text_on_every_page_it_reaches(hostile_site):
    agency = (hostile_site / "agency" / f"{DETROIT_PD}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in agency, "the hostile text is shown, as text"
    assert "&lt;b&gt;bold&lt;/b&gt;" in agency
    for page in (
        agency,
        (hostile_site / "place" / "MI" / "detroit.html").read_text(encoding="utf-8"),
        (hostile_site / "state" / "MI.html").read_text(encoding="utf-8"),
        (hostile_site / "index.html").read_text(encoding="utf-8"),
    ):
        assert_inert(page)
        assert page.count("<script") == 0  # the core pages run no script at all
    index = (hostile_site / "search-index.js").read_text(encoding="utf-8")
    assert "</script>" not in index and "<\\/script>" in index


def test_the_html_the_dashboard_shows_is_the_same_rendering_and_as_inert(hostile_db, hostile_site, monkeypatch):
    monkeypatch.setenv("WATCHDOG_DB", str(hostile_db))
    shown = render.agency_html(DETROIT_PD)
    assert_inert(shown)
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in shown
    static = parse(hostile_site / "agency" / f"{DETROIT_PD}.html")
    fragment = Tags()
    fragment.feed(shown)
    # The same claims, evidence and provenance: only the frame (header, footer) and where links point differ.
    start = words(static).index("Claims")
    assert words(fragment)[words(fragment).index("Claims") :] == words(static)[start:].rsplit(" Every fact", 1)[0]


def test_the_dashboard_links_to_the_published_site_only_when_one_is_set(monkeypatch):
    monkeypatch.delenv("WATCHDOG_SITE_URL", raising=False)
    assert render.Links.published() is None
    monkeypatch.setenv("WATCHDOG_SITE_URL", "https://watch.example.org/public/")
    published = render.Links.published()
    assert published.agency(MIAMI_PD) == f"https://watch.example.org/public/agency/{MIAMI_PD}.html"
    assert (
        published.place("FL", "Miami-Dade County") == "https://watch.example.org/public/place/FL/miami-dade-county.html"
    )


def test_a_dashboard_address_that_is_not_a_web_address_is_refused(built_db, tmp_path):
    done = bake(built_db, tmp_path / "out", "--dashboard", "javascript:alert(1)")
    assert done.returncode == 1
    assert "is not an http(s) URL: nothing was written" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr and not (tmp_path / "out").exists()


def test_a_map_of_many_agencies_gathers_dots_that_open_their_state():
    from public import geo

    few = [geo.Dot(10 + i, 10, "#b2182b", f"agency {i}", f"agency/{i}.html", 1, "state/FL.html") for i in range(50)]
    assert geo.gather(few, {}, "{n} agencies") == few  # each agency its own dot, opening its own page
    many = [geo.Dot(10 + i * 0.01, 10, "#b2182b", "a", f"agency/{i}.html", 1, "state/FL.html") for i in range(5000)]
    gathered = geo.gather(many, {}, "{n} agencies here")
    assert len(gathered) < 100 and sum(d.count for d in gathered) == 5000
    assert {d.href for d in gathered} == {"state/FL.html"} and gathered[0].title.endswith("agencies here")


def test_the_stylesheet_the_dashboard_gets_styles_only_the_public_content():
    """st.html puts the <style> in the dashboard's own page: a rule for body or any other outside element would
    restyle the dashboard around it."""
    css = re.sub(r"(?s)/\*.*?\*/", "", render.css())
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{", css) for s in rule.split(",")]
    assert len(selectors) > 20
    assert [s for s in selectors if not s.startswith(".ww")] == []
    assert "body" in render.site_css()  # the static page's own frame keeps its rules


def test_the_dashboard_pages_link_to_their_public_page_when_a_site_is_published(monkeypatch):
    from tests.apptest import page, text_of

    monkeypatch.setenv("WATCHDOG_SITE_URL", "https://watch.example.org/public/")
    agency = page("app_pages/agency.py", agency=MIAMI_PD)
    assert f"https://watch.example.org/public/agency/{MIAMI_PD}.html" in text_of(agency)
    place = page("app_pages/place.py", q="Miami-Dade County, FL")
    assert "https://watch.example.org/public/place/FL/miami-dade-county.html" in text_of(place)
    monkeypatch.delenv("WATCHDOG_SITE_URL")
    assert "on the public site" not in text_of(page("app_pages/agency.py", agency=MIAMI_PD))


# ------------------------------------------------------------------------------- one rule for who serves a place


def section_names(path: Path) -> list[tuple[str, list[str]]]:
    """A place page's agency sections: (heading without its count, the agencies' names in order)."""
    content = path.read_text(encoding="utf-8")
    found = []
    for heading, block in re.findall(
        r'<h3 class="serves-\w+">(.*?)</h3>.*?<ul class="agencies">(.*?)\n</ul>', content, re.S
    ):
        names = re.findall(r'^<li>(?:<a href="[^"]*">)?<strong>(.*?)</strong>', block, re.M)
        found.append((re.sub(r" \(\d+\)$", "", html.unescape(heading)), [html.unescape(n) for n in names]))
    return found


@pytest.mark.parametrize(
    "typed, page, headings",
    [
        ("Miami, FL", "place/FL/miami.html", ["Miami's own agencies", "Miami-Dade County's own agencies"]),
        ("Miami-Dade County, FL", "place/FL/miami-dade-county.html", ["Miami-Dade County's own agencies"]),
    ],
)
def test_a_place_page_lists_the_agencies_the_lookup_gives_grouped_by_the_level_each_serves(
    site, db, typed, page, headings
):
    """The static page and the Place page (`ingest lookup` too) agree on who serves a place: the city's own, its
    county's and the statewide agencies with evidence, each under the level at which it serves."""
    from dashboard import lookup

    answer = lookup.lookup(typed, lambda sql, params: db.execute(sql, params).df())
    sections = section_names(site / page)
    assert [h for h, _ in sections][: len(headings)] == headings
    assert sections[-1][0] == "Statewide agencies of Florida"
    listed = [name for _, names in sections for name in names]
    assert sorted(listed) == sorted(answer.agencies["name"]), "the same agencies as the lookup, each once"
    by_level = {level: set(group["name"]) for level, group in answer.agencies.groupby("serves")}
    assert set(sections[-1][1]) == by_level["state"]
    assert "Florida Highway Patrol" in sections[-1][1]  # statewide, with evidence: on every Florida page
    if typed.startswith("Miami,"):
        assert sections[0][1][0] == "Miami Police Department"


def test_a_county_law_is_on_the_pages_of_its_cities(site):
    """Santa Clara County's law reaches San Jose, as the Place page has always said: the policies are the
    lookup's rule too (a state's everywhere, a county's in its cities, a city's in the city)."""
    san_jose = words(parse(site / "place" / "CA" / "san-jose.html"))
    assert "Santa Clara County, California" in san_jose
    assert "Santa Clara County, California" not in words(parse(site / "place" / "CA" / "los-angeles.html"))


def test_the_dashboard_shows_the_same_place_page(built_db, site, monkeypatch):
    """render.place_html (the dashboard's Place page) and the static page: the same agencies, sections, claims,
    policies and requests; only the frame, the tools that are the dashboard itself and the links' targets differ."""
    monkeypatch.setenv("WATCHDOG_DB", str(built_db))
    for level, name, page in (("city", "Miami", "miami"), ("county", "Miami-Dade County", "miami-dade-county")):
        fragment = Tags()
        fragment.feed(render.place_html(level, name, "FL"))
        static = words(parse(site / "place" / "FL" / f"{page}.html"))
        shown = words(fragment)
        assert shown[shown.index(" Agencies ") :] == static[static.index(" Agencies ") :].rsplit(" Every fact", 1)[0]
