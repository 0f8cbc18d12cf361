"""The dashboard shows the public pages' HTML: the front page (app_pages/home.py) and a state on the Place page."""

from __future__ import annotations

import html
import re

from tests.apptest import no_exception, open_page, page_html


def test_the_front_page_lists_the_states_by_name_and_links_every_dot():
    at = open_page("app_pages/home.py")
    no_exception(at)
    body = page_html(at)
    assert "Which agencies used or trialled facial recognition" in body
    names = [html.unescape(n) for n in re.findall(r'<td><a href="map\?state=[A-Z]{2}">([^<]+)</a></td>', body)]
    assert len(names) > 50
    assert names == sorted(names), names[:6]  # by name as a reader looks, not by code (Alaska before Alabama)
    spots = re.findall(r'<a class="spot" href="([^"]+)" title="([^"]+)"', body)
    assert len(spots) > 300 and all(href.startswith(("agency?agency=", "map?state=")) for href, _ in spots)
    assert 'src="data:image/svg+xml;base64,' in body


def test_the_front_page_is_made_once_per_database_file(built_db, monkeypatch, tmp_path):
    import shutil

    from dashboard import queries
    from public import render

    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(built_db, copy)
    monkeypatch.setenv("WATCHDOG_DB", str(copy))
    calls = []
    real = queries.site_agencies
    monkeypatch.setattr(queries, "site_agencies", lambda: calls.append(1) or real())
    render._front_page.cache_clear()
    first = render.map_html()
    assert render.map_html() == first and len(calls) == 1  # a second reader gets the page as made
    shutil.copyfile(built_db, tmp_path / "rebuilt.duckdb")
    (tmp_path / "rebuilt.duckdb").replace(copy)  # a rebuild swaps a new file in: the page is made afresh
    assert render.map_html() == first and len(calls) == 2


def test_a_state_on_the_place_page_is_its_public_state_page_above_every_agency():
    from public import render
    from tests.apptest import text_of

    at = open_page("app_pages/place.py", q="Vermont")
    no_exception(at)
    shown = text_of(at)
    assert len(re.findall(r"Coverage of the [\d,]+ registry agencies in Vermont: \d+ with evidence", shown)) == 1
    assert page_html(at) == render.state_html("VT")  # the static site's state page, once
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) > 50  # then every Vermont agency, to sort
