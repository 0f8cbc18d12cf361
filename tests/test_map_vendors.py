"""Issue 16, the map and the vendors page, through AppTest and the functions behind them (faster than the browser
journeys in test_map_vendors_browser.py, and reading what the page sends rather than what plotly.js drew)."""

from __future__ import annotations

import json
import math

import pandas as pd

from dashboard import charts, queries, ui
from tests.apptest import no_exception, open_page, text_of

FLORIDA = {"lat": (24.5, 31.0), "lon": (-87.6, -80.0)}


def geo(at) -> dict:
    charts_on_page = at.get("plotly_chart")
    return json.loads(charts_on_page[0].proto.spec)["layout"]["geo"]


def test_the_state_filter_offers_every_registry_state_by_name(db):
    """Old code: only states with evidence (41), by code: Vermont could not be chosen."""
    at = open_page()
    no_exception(at)
    options = at.multiselect(key="f_state").options
    registry = db.execute("SELECT count(DISTINCT state) FROM views.agencies WHERE state IS NOT NULL").fetchone()[0]
    assert len(options) == registry >= 51  # every state and DC, and the territories the registry has
    assert "Vermont (VT)" in options and "District of Columbia (DC)" in options and "Florida (FL)" in options


def test_florida_frames_the_map_on_florida_and_draws_its_counties():
    """Old code: the national Albers USA view (fitbounds does nothing there): 252 dots in one blob."""
    at = open_page(state="FL")
    no_exception(at)
    view = geo(at)
    assert view["projection"]["type"] == "mercator"
    (south, north), (west, east) = view["lataxis"]["range"], view["lonaxis"]["range"]
    assert south < FLORIDA["lat"][0] and north > FLORIDA["lat"][1] and north - south < 10
    assert west < FLORIDA["lon"][0] and east > FLORIDA["lon"][1] and east - west < 12
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    outlines = [t for t in spec["data"] if t["type"] == "choropleth"]
    assert len(outlines) == 1 and all(i.startswith("12") for i in outlines[0]["locations"])


def test_the_unfiltered_map_stays_national():
    at = open_page()
    no_exception(at)
    view = geo(at)
    assert view["scope"] == "usa" and view["projection"]["type"] == "albers usa"
    assert "lataxis" not in view or "range" not in view.get("lataxis", {})


def test_vermont_is_framed_and_says_no_evidence_is_not_absence():
    at = open_page(state="VT")
    no_exception(at)
    assert at.multiselect(key="f_state").value == ["VT"]
    assert any("No documented evidence in Vermont yet" in i.value for i in at.info)
    assert "No evidence is not absence" in " ".join(i.value for i in at.info)
    (south, north), (west, east) = geo(at)["lataxis"]["range"], geo(at)["lonaxis"]["range"]
    assert 41.5 < south < 42.8 < 45 < north < 46 and -74.5 < west < -73.4 and -71.6 < east < -70.5
    assert at.dataframe[0].value.empty


def test_a_filter_that_leaves_a_state_empty_says_so_for_the_filter():
    at = open_page(state=["FL", "VT"], vendor="Clearview AI")
    no_exception(at)
    shown = text_of(at) + " ".join(i.value for i in at.info)
    assert "No documented evidence matching these filters in Vermont" in shown


def test_national_agencies_state_reads_national():
    """Old code: the FBI's, ICE's and the DOJ offices' state was None in the table."""
    at = open_page(kind="Federal")
    no_exception(at)
    rows = at.dataframe[0].value
    assert len(rows) >= 3 and rows["state"].notna().all()
    fbi = rows[rows["name"].str.startswith("Federal Bureau of Investigation")]
    assert fbi["state"].tolist() == ["national"]


def test_state_or_national_words():
    frame = pd.DataFrame({"state": ["TX", None, None], "agency_kind": ["Municipal", "Federal", "Municipal"]})
    assert ui.state_or_national(frame).tolist() == ["TX", "national", "not recorded"]


def test_alaska_is_framed_without_wrapping_round_the_globe():
    """The Aleutians' county point lies east of the antimeridian: a plain min/max would span the whole globe."""
    view = charts.framed(queries.state_extent(["AK"]))
    west, east = view["lonaxis_range"]
    assert -180 <= west < -165 and -135 < east < -125
    assert view["lataxis_range"][0] > 45


def test_a_state_with_no_location_is_not_framed():
    assert queries.state_extent(["GM"]) is None  # Guam: in the registry, with no coordinates and no counties
    at = open_page(state="GM")
    no_exception(at)
    assert geo(at)["projection"]["type"] == "albers usa"


def test_dollars():
    assert ui.dollars(6430495.0) == "$6,430,495"
    assert ui.dollars(15995) == "$15,995"
    assert ui.dollars(None) == ui.dollars(math.nan) == ui.dollars(pd.NA) == "not reported"


def test_vendors_page_shares_dollars_and_links(db):
    """Old code: the share chart plotted counts; spend was a float with None; sources were plain text."""
    at = open_page("app_pages/vendors.py")
    no_exception(at)
    total = db.execute("SELECT count(DISTINCT agency_id) FROM views.evidence").fetchone()[0]

    summary = at.dataframe[0].value
    idemia = summary[summary["vendor"] == "IDEMIA"].iloc[0]
    assert math.isclose(idemia["share"], idemia["agencies"] / total)
    assert summary["spend_on_record"].map(lambda v: isinstance(v, str)).all()
    assert "$6,430,495" in set(summary["spend_on_record"]) and "not reported" in set(summary["spend_on_record"])

    share_chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert share_chart["data"][0]["x"] != share_chart["data"][0].get("customdata")
    assert share_chart["layout"]["xaxis"]["tickformat"] == ".0%"

    awards = at.dataframe[1].value
    assert awards["amount"].str.fullmatch(r"\$\d{1,3}(,\d{3})*").all()
    assert awards["source_url"].str.startswith("https://").all()
    columns = json.loads(at.dataframe[1].proto.columns)
    assert columns["source_url"]["type_config"]["type"] == "link"
    assert columns["agency_link"]["type_config"]["type"] == "link"


def test_a_source_that_is_not_http_is_no_link():
    urls = pd.Series(["https://example.org/a", "javascript:alert(1)", "urn:sha256:00", None])
    assert ui.http_only(urls).tolist()[0] == "https://example.org/a"
    assert ui.http_only(urls).iloc[1:].isna().all()


def test_back_from_a_clicked_agency_restores_the_map_view():
    """The browser's Back after a click reaches /map with the agency page's ?agency=...: the map puts back the
    filters it had (saved when the click left it) instead of showing the whole country."""
    from streamlit.testing.v1 import AppTest

    from tests.apptest import APP, TIMEOUT

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("app_pages/map.py")
    at.session_state["map_view_before_click"] = {"state": ["FL"], "vendor": ["IDEMIA"]}
    at.query_params["agency"] = "MI8234900"
    at.run()
    no_exception(at)
    assert at.multiselect(key="f_state").value == ["FL"] and at.multiselect(key="f_vendor").value == ["IDEMIA"]
    assert "agency" not in at.query_params
    assert at.query_params["state"] in ("FL", ["FL"])
