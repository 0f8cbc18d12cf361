"""Every dashboard page driven the way a visitor drives it: through its URL's query parameters and its widgets.

These run the real app (dashboard/app.py, st.navigation and all) in Streamlit's AppTest against the session's
database built from data/ (conftest points WATCHDOG_DB at it).
"""

from __future__ import annotations

import base64
import csv
import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui import md
from rules import claims
from tests.apptest import heading_of, html_text, no_exception, open_page, page_html

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30  # the first run imports plotly, pandas, duckdb ...

DETROIT_PD = "MI8234900"
ICE = "fed-u-s-immigration-and-customs-enforcement-department-of-homeland-security"
TEXAS_CITY_ISD = "aos-xx0000083"
SF_AIRPORT_CBP = "aos-ca-u-s-customs-and-border-protection-san-francisco-international-airport"
STATUSES = [s.name for s in claims.STATUSES]  # the one list, strongest first
FILTER_PARAMS = ("state", "vendor", "status", "kind", "from", "to")


# --------------------------------------------------------------------------------------------- helpers


def url_params(at: AppTest) -> dict[str, list[str]]:
    """The page's query parameters as a visitor's copied link would carry them."""
    return {k: (list(v) if isinstance(v, (list, tuple)) else [v]) for k, v in dict(at.query_params).items()}


def metric(at: AppTest, label: str) -> int:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, f"metric {label!r} not shown once: {[m.label for m in at.metric]}"
    return int(str(values[0]).replace(",", ""))


def headline(at: AppTest) -> dict[str, int]:
    return {m.label: int(str(m.value).replace(",", "")) for m in at.metric}


def table(at: AppTest) -> pd.DataFrame:
    assert len(at.dataframe) >= 1, "no table on the page"
    return at.dataframe[0].value


def figure(at: AppTest) -> tuple[dict, dict]:
    charts = at.get("plotly_chart")
    assert len(charts) == 1, f"expected one plotly chart, got {len(charts)}"
    return json.loads(charts[0].proto.spec), json.loads(charts[0].proto.config)


def coords(trace: dict, axis: str) -> list[float]:
    """A trace's lat or lon values; plotly sends numpy arrays as base64 typed arrays ({'dtype', 'bdata'})."""
    value = trace.get(axis, [])
    if isinstance(value, dict) and "bdata" in value:
        import numpy as np

        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    return list(value)


def agency_traces(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if t.get("name") != "local policy"]


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def place_table_agencies(at: AppTest) -> list[str]:
    """The agency ids the Place page lists, in its order: the links of the public place page it shows for a city,
    a county or a ZIP code, else its table's (a state, an agency's name); none when it lists no agency."""
    if at.get("html"):
        links = re.findall(r'href="(agency\?[^"]*)"', page_html(at))
        return [parse_qs(urlsplit(html.unescape(link)).query)["agency"][0] for link in links]
    if not at.dataframe:
        return []
    return [parse_qs(urlsplit(link).query)["agency"][0] for link in at.dataframe[0].value["link"]]


@pytest.fixture(scope="module")
def unfiltered() -> dict[str, int]:
    at = open_page()
    no_exception(at)
    return headline(at)


# --------------------------------------------------------------------------------------------- every page


def registered_pages() -> list[str]:
    return re.findall(r'st\.Page\(\s*"([^"]+)"', (ROOT / "dashboard" / "app.py").read_text())


def test_app_registers_the_core_pages():
    pages = registered_pages()
    for page in ("map", "place", "agency", "sources", "about"):
        assert f"app_pages/{page}.py" in pages


@pytest.mark.parametrize("page", registered_pages())
def test_every_page_opens_without_parameters(page):
    at = open_page(page)
    no_exception(at)
    assert heading_of(at).strip()  # the public page's <h1> (front page, agency) or the Streamlit title
    assert not at.error, [e.value for e in at.error]  # guard_database() shows st.error when the db is missing


# --------------------------------------------------------------------------------------------- map


def test_map_default_view_counts_and_draws_every_agency(db, unfiltered):
    at = open_page()
    no_exception(at)
    assert at.title[0].value == "Who's Watching"

    agencies = metric(at, "Agencies with evidence")
    assert agencies > 0
    assert agencies == db.execute("SELECT count(DISTINCT agency_id) FROM views.evidence").fetchone()[0]
    assert metric(at, "Evidence rows") == db.execute("SELECT count(*) FROM views.evidence").fetchone()[0]
    assert (
        metric(at, "States")
        == db.execute("SELECT count(DISTINCT state) FROM views.evidence WHERE state IS NOT NULL").fetchone()[0]
    )

    rows = table(at)
    assert len(rows) == agencies, "the table and the headline count must agree"
    assert any(s.value == f"{agencies} agencies" for s in at.subheader)
    assert rows["link"].str.startswith("/agency?agency=").all()
    assert f"/agency?agency={DETROIT_PD}" in set(rows["link"])

    spec, config = figure(at)
    # Outlines come from our own server, never from cdn.plot.ly.
    assert config["topojsonURL"] == "/app/static/topojson/"
    assert spec["layout"]["geo"]["scope"] == "usa"
    assert (ROOT / "static" / "topojson" / "usa_110m.json").is_file()
    assert spec["data"] and all(t["type"] == "scattergeo" for t in spec["data"])

    # Every placed agency is a point; the unplaced ones are announced and kept in the table.
    drawn = sum(len(coords(t, "lat")) for t in agency_traces(spec))
    placed = rows[rows["location_note"] != "Not on the map"]
    assert drawn == len(placed) > 0
    unplaced = len(rows) - len(placed)
    if unplaced:
        assert any(c.value.startswith(f"{unplaced} agencies with evidence have no location") for c in at.caption)
    policies = [t for t in spec["data"] if t.get("name") == "local policy"]
    located = db.execute(
        "SELECT count(*) FROM views.policies WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
    ).fetchone()[0]
    assert sum(len(coords(t, "lat")) for t in policies) == located

    # An unfiltered view writes no filter into the URL.
    assert not set(url_params(at)) & set(FILTER_PARAMS)


def test_map_state_param_filters_counts_table_and_points(unfiltered):
    at = open_page(state="TX")
    no_exception(at)
    assert at.multiselect(key="f_state").value == ["TX"]
    agencies = metric(at, "Agencies with evidence")
    assert 0 < agencies < unfiltered["Agencies with evidence"]
    assert metric(at, "States") == 1
    rows = table(at)
    assert len(rows) == agencies
    assert (rows["state"] == "TX").all(), rows.loc[rows["state"] != "TX", ["name", "state"]]
    # Every agency point is inside Texas's bounding box.
    spec, _ = figure(at)
    lats = [v for t in agency_traces(spec) for v in coords(t, "lat")]
    lons = [v for t in agency_traces(spec) for v in coords(t, "lon")]
    assert lats and all(25.8 <= v <= 36.6 for v in lats) and all(-106.7 <= v <= -93.5 for v in lons)
    assert url_params(at)["state"] == ["TX"]


def test_map_two_states_add_up():
    counts = {s: metric(open_page(state=s), "Agencies with evidence") for s in ("TX", "FL")}
    at = open_page(state=["TX", "FL"])
    no_exception(at)
    assert sorted(at.multiselect(key="f_state").value) == ["FL", "TX"]
    assert metric(at, "Agencies with evidence") == counts["TX"] + counts["FL"]
    assert set(table(at)["state"]) == {"TX", "FL"}
    assert sorted(url_params(at)["state"]) == ["FL", "TX"]


def test_map_vendor_param(unfiltered):
    at = open_page(vendor="Clearview AI")
    no_exception(at)
    rows = table(at)
    assert 0 < len(rows) < unfiltered["Agencies with evidence"]
    assert rows["products"].str.contains("Clearview").all(), rows.loc[~rows["products"].str.contains("Clearview")]
    assert ICE in {link.split("=", 1)[1] for link in rows["link"]}
    assert url_params(at)["vendor"] == ["Clearview AI"]


def test_map_kind_and_status_params():
    federal = open_page(kind="Federal")
    no_exception(federal)
    rows = table(federal)
    assert len(rows) > 0 and (rows["agency_kind"] == "Federal").all()
    assert ICE in {link.split("=", 1)[1] for link in rows["link"]}

    procured = open_page(status="procured")
    no_exception(procured)
    rows = table(procured)
    assert len(rows) > 0 and (rows["status"] == "procured").all()
    assert f"/agency?agency={DETROIT_PD}" in set(rows["link"])


def test_map_year_params(unfiltered):
    at = open_page(**{"from": "2019", "to": "2020"})
    no_exception(at)
    assert at.slider(key="f_years").value == (2019, 2020)
    assert 0 < metric(at, "Evidence rows") < unfiltered["Evidence rows"]
    assert any("year filter" in c.value for c in at.caption)
    rows = table(at)
    # Issue 15: a claim is kept when any of its evidence is dated in the range (the row's own date or any of its
    # links'), so a row dated 2012 by its earliest link that also cites a 2019 article is kept; nothing first
    # dated after the range is.
    assert "/agency?agency=CA0330000" in set(rows["link"])
    years = pd.to_datetime(rows["first_date"]).dropna().dt.year
    assert len(years) and (years <= 2020).all()
    assert url_params(at)["from"] == ["2019"] and url_params(at)["to"] == ["2020"]


@pytest.mark.parametrize(
    "params",
    [
        {"state": "ZZ"},
        {"from": "abc"},
        {"from": "abc", "to": "9999"},
        {"state": ["ZZ", "TX' OR 1=1 --"], "vendor": "No Such Vendor", "status": "bogus", "kind": "<script>"},
    ],
)
def test_map_ignores_bogus_params(params, unfiltered):
    at = open_page(**params)
    no_exception(at)
    # Values that name nothing are dropped: the visitor sees the whole map, and the URL says so.
    assert headline(at) == unfiltered
    for key in ("f_state", "f_vendor", "f_status", "f_kind"):
        assert at.multiselect(key=key).value == []
    slider = at.slider(key="f_years")
    assert slider.value == (slider.min, slider.max)
    assert not set(url_params(at)) & set(FILTER_PARAMS), url_params(at)


def test_map_widgets_write_a_shareable_link(unfiltered):
    at = open_page()
    no_exception(at)

    at.multiselect(key="f_state").select("FL").run(timeout=TIMEOUT)
    no_exception(at)
    assert url_params(at) == {"state": ["FL"]}
    assert metric(at, "Agencies with evidence") < unfiltered["Agencies with evidence"]
    assert (table(at)["state"] == "FL").all()

    at.multiselect(key="f_vendor").select("IDEMIA").run(timeout=TIMEOUT)
    at.slider(key="f_years").set_range(2010, 2020).run(timeout=TIMEOUT)
    no_exception(at)
    link = url_params(at)
    assert link == {"state": ["FL"], "vendor": ["IDEMIA"], "from": ["2010"], "to": ["2020"]}

    # Opening the copied link in a fresh session shows the same view.
    fresh = open_page(**{k: v if len(v) > 1 else v[0] for k, v in link.items()})
    no_exception(fresh)
    assert headline(fresh) == headline(at)
    pd.testing.assert_frame_equal(table(fresh), table(at))

    # Undoing the filters takes them out of the link again.
    slider = at.slider(key="f_years")
    slider.set_range(int(slider.min), int(slider.max)).run(timeout=TIMEOUT)
    at.multiselect(key="f_state").unselect("FL").run(timeout=TIMEOUT)
    at.multiselect(key="f_vendor").unselect("IDEMIA").run(timeout=TIMEOUT)
    no_exception(at)
    assert not set(url_params(at)) & set(FILTER_PARAMS)
    assert headline(at) == unfiltered


def test_map_table_links_open_the_agency_page():
    rows = table(open_page())
    for row in (rows.iloc[0], rows[rows["location_note"] == "Not on the map"].iloc[0]):
        query = parse_qs(urlsplit(row["link"]).query)
        at = open_page("app_pages/agency.py", agency=query["agency"][0])
        no_exception(at)
        assert heading_of(at) == row["name"]


# --------------------------------------------------------------------------------------------- place


def test_place_by_city_name():
    at = open_page("app_pages/place.py", q="Detroit")
    no_exception(at)
    assert at.text_input(key="place_q").value == "Detroit"
    assert "Detroit Police Department" in html_text(page_html(at))  # the public place page, through st.html
    assert DETROIT_PD in place_table_agencies(at)
    assert url_params(at)["q"] == ["Detroit"]
    # The records-request letter is addressed to the first agency found.
    assert at.selectbox(key="letter_agency").value == DETROIT_PD
    assert "Detroit Police Department" in at.text_area[0].value


def test_place_lists_the_best_match_first(db):
    """Whoever types a city most likely means its own police: first in the list and the letter's addressee.
    Other cities' police (Miami Beach, Aventura) serve their own cities, not Miami: typed, each is its own answer."""
    at = open_page("app_pages/place.py", q="Miami")
    no_exception(at)
    ids = place_table_agencies(at)
    names = dict(
        db.execute("SELECT agency_id, name FROM views.agencies WHERE list_contains(?, agency_id)", [ids]).fetchall()
    )
    assert names[ids[0]] == "Miami Police Department"
    assert at.selectbox(key="letter_agency").value == ids[0]
    names = [names[a] for a in ids]
    assert "Miami Beach Police Department" not in names and "Aventura Police Department" not in names
    beach = open_page("app_pages/place.py", q="Miami Beach")
    no_exception(beach)
    assert beach.selectbox(key="letter_agency").value == place_table_agencies(beach)[0]
    assert re.search(r"<li><a [^>]*><strong>([^<]*)</strong>", page_html(beach))[1] == "Miami Beach Police Department"
    # No evidence in Dearborn: the letter still goes first to Dearborn's police, not to a town of Dearborn County.
    at = open_page("app_pages/place.py", q="Dearborn")
    no_exception(at)
    assert at.selectbox(key="letter_agency").value == "MI8234300"


def test_place_link_with_agency_preselects_the_letter():
    ids = place_table_agencies(open_page("app_pages/place.py", q="Detroit"))
    other = next(i for i in ids if i != DETROIT_PD)
    at = open_page("app_pages/place.py", q="Detroit", agency=other)
    no_exception(at)
    assert at.selectbox(key="letter_agency").value == other
    assert url_params(at) == {"q": ["Detroit"], "agency": [other]}


def test_place_by_zip_code():
    at = open_page("app_pages/place.py", q="48226")
    no_exception(at)
    assert any("ZIP code 48226" in m and "Detroit" in m for m in markdown(at))
    assert DETROIT_PD in place_table_agencies(at)


def test_place_typing_updates_the_link():
    at = open_page("app_pages/place.py")
    no_exception(at)
    assert not at.info and not place_table_agencies(at)
    at.text_input(key="place_q").input("Miami").run(timeout=TIMEOUT)
    no_exception(at)
    assert url_params(at)["q"] == ["Miami"]
    assert place_table_agencies(at)
    assert any("agencies that serve Miami, FL" in m for m in markdown(at))


@pytest.mark.parametrize("text", ["'; DROP TABLE x; --", "Robert'); DROP TABLE agencies;--", "%", "_", "\\", "$q"])
def test_place_with_sql_metacharacters(text, db):
    at = open_page("app_pages/place.py", q=text)
    no_exception(at)
    # Typed text is a bound parameter, not SQL and not a LIKE pattern: it matches nothing and says so.
    assert at.info, "an empty search must explain that no evidence is not proof of absence"
    assert not place_table_agencies(at)
    assert any(f"No agency matching “{md(text)}”" in m for m in markdown(at))  # shown as text, escaped
    assert db.execute("SELECT count(*) FROM views.agencies").fetchone()[0] > 0


def test_place_policy_caveats_are_real_text():
    at = open_page("app_pages/place.py", q="California")
    no_exception(at)
    assert any(m.startswith("- **San Francisco, California**") for m in markdown(at))
    caveats = [w.value for w in at.warning if w.value.startswith("Caveat:")]
    assert caveats, "California's AB 1215 row carries a caveat"
    assert all(c.strip() not in ("Caveat: nan", "Caveat: None", "Caveat:") for c in caveats), caveats


# --------------------------------------------------------------------------------------------- agency


def evidence_lines(body: str) -> list[str]:
    """Each evidence row's first line on the agency page: its date, kind, product and the source it cites."""
    return re.findall(r'<div class="evidence"[^>]*>\s*<p>(.*?)</p>', body, re.S)


def test_agency_page_detroit(db):
    at = open_page("app_pages/agency.py", agency=DETROIT_PD)
    no_exception(at)
    assert heading_of(at) == "Detroit Police Department"
    body = page_html(at)
    text = html_text(body)
    assert f"ORI {DETROIT_PD}" in text and "Detroit, Wayne County, MI" in text
    assert re.search(r"procured.*DataWorks Plus", text)
    # Evidence: the summary, and a dated row that links to its source.
    assert re.search(r"<blockquote>[^<]*Detroit Police Department signed a contract", body)
    assert any(re.search(r'href="https?://', line) and "procured" in line for line in evidence_lines(body))
    n = db.execute("SELECT count(*) FROM views.evidence WHERE agency_id = ?", [DETROIT_PD]).fetchone()[0]
    assert f"Evidence timeline ({n})" in text
    # The raw record behind each row: its hashes on the page, and its JSON in the raw records' viewer.
    assert text.count("record sha256") == n
    raw = [c for c in at.code if c.language == "json"]  # the other code block is the correction template
    assert len(raw) == 1 and json.loads(raw[0].value)
    assert len(at.selectbox(key="raw_record").options) == n


def test_agency_timeline_names_the_source_its_date_comes_from(db):
    """An Atlas row's earliest date may come from its third link: the evidence cites that link, so the date is
    never shown beside a source that does not give it (Miami's IDEMIA row: 2013 is the Pinellas County
    Sheriff's page, and the Orlando Sentinel article its first link is from 2019)."""
    agency_id, date, url, first = db.execute("""
        WITH earliest AS (
            SELECT evidence_id, arg_min(url, (link_date, link_number)) AS url, min(link_date) AS link_date,
                   arg_min(url, link_number) AS first_url
            FROM views.evidence_links WHERE link_date IS NOT NULL GROUP BY evidence_id)
        SELECT e.agency_id, e.event_date, x.url, x.first_url
        FROM views.evidence e JOIN earliest x USING (evidence_id)
        WHERE x.url <> x.first_url
        ORDER BY e.agency_id = 'FL0130600' DESC, e.evidence_id LIMIT 1""").fetchone()
    at = open_page("app_pages/agency.py", agency=agency_id)
    no_exception(at)
    line = next(
        x for x in evidence_lines(page_html(at)) if x.startswith(f"<strong>earliest source {date:%Y-%m-%d}</strong>")
    )
    assert f'href="{url}"' in line and f'href="{first}"' not in line


def test_agency_page_federal_ice():
    at = open_page("app_pages/agency.py", agency=ICE)
    no_exception(at)
    assert heading_of(at).startswith("U.S. Immigration and Customs Enforcement")
    body = page_html(at)
    text = html_text(body)
    assert "Federal agency (not on the FBI list)" in text
    claims_list = re.search(r'<ul class="claims">(.*?)</ul>', body, re.S).group(1)
    assert re.search(r"procured.*Clearview AI", html_text(claims_list))
    assert any("usaspending.gov" in line and "$" in line for line in evidence_lines(body)), (
        "award rows show their amount and link"
    )
    for block in [*at.code, body]:  # award descriptions can name contracting officers: redacted before display
        value = block if isinstance(block, str) else block.value
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", html_text(value) if isinstance(block, str) else value), value[
            :200
        ]
        assert not re.search(r"\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b", value), value[:200]


def test_agency_page_unplaced_atlas_agency():
    at = open_page("app_pages/agency.py", agency=TEXAS_CITY_ISD)
    no_exception(at)
    assert heading_of(at) == "Texas City Independent School District"
    assert "Not matched to the FBI registry" in html_text(page_html(at))


@pytest.mark.parametrize("agency", ["no-such-agency", "' OR '1'='1", "MI8234900 "])
def test_agency_page_unknown_id(agency):
    at = open_page("app_pages/agency.py", agency=agency)
    no_exception(at)
    assert at.title[0].value == "Agency"
    assert len(at.info) == 1 and f"No agency with id “{md(agency)}”" in at.info[0].value


def test_agency_page_without_id():
    at = open_page("app_pages/agency.py")
    no_exception(at)
    assert at.title[0].value == "Agency"
    assert "Choose an agency" in at.info[0].value


def test_agency_page_policy_caveats_are_real_text():
    at = open_page("app_pages/agency.py", agency=SF_AIRPORT_CBP)
    no_exception(at)
    text = html_text(page_html(at))
    assert "Policies covering this jurisdiction" in text
    caveats = re.findall(r"Caveat:[^\n]*", text)
    assert all(c.strip() not in ("Caveat: nan", "Caveat: None", "Caveat:") for c in caveats), caveats


# --------------------------------------------------------------------------------------------- sources, about


def test_sources_page_lists_every_source_and_the_quarantine(db, built_db):
    at = open_page("app_pages/sources.py")
    no_exception(at)
    text = markdown(at)
    with open(ROOT / "data" / "sources.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        assert any(f"`{row['source_id']}`" in m for m in text), f"source {row['source_id']} is not listed"
        if row["mode"] == "live":  # never fetched in the bundled build: said so, with the command
            assert any(f"python -m ingest run {row['source_id']}" in m for m in text), row["source_id"]

    quarantined = db.execute("SELECT count(*) FROM views.quarantine").fetchone()[0]
    assert any(s.value == f"Quarantine ({quarantined})" for s in at.subheader)
    assert len(table(at)) == quarantined
    per_source = [int(n.replace(",", "")) for m in text for n in re.findall(r"([\d,]+) quarantined", m)]
    assert sum(per_source) == quarantined
    assert any(built_db.name in c.value for c in at.caption), "the page says which database it reads"


def test_sources_page_shows_no_missing_values_as_nan():
    at = open_page("app_pages/sources.py")
    no_exception(at)
    shown = markdown(at) + [c.value for c in at.caption]
    assert not [m for m in shown if re.search(r"\bnan\b|\bNone\b", m)]


def test_about_page_lists_the_statuses_in_ladder_order():
    at = open_page("app_pages/about.py")
    no_exception(at)
    assert any(s.value == "Statuses" for s in at.subheader)
    listed = [m.group(1) for m in (re.match(r"- :\w+\[\*\*(\w+)\*\*\]: \S", t) for t in markdown(at)) if m]
    assert listed == STATUSES
