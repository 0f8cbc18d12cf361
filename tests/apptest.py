"""The one way tests open a dashboard page with AppTest, and read what it shows."""

from __future__ import annotations

import html
import re

from streamlit.testing.v1 import AppTest

APP = "../dashboard/app.py"  # AppTest.from_file resolves this relative to the tests folder
TIMEOUT = 60  # the first run imports plotly, pandas, duckdb ...


def open_page(page: str | None = None, timeout: float = TIMEOUT, **params) -> AppTest:
    """Open the app as a URL would: the page (None = the Map page, with its filters) with these query parameters."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    # Before a first run AppTest finds pages by file name only; st.navigation's url_paths are known after it.
    at.run(timeout=timeout)
    no_exception(at)
    # None is the Map page: the front page (app_pages/home.py) is the public HTML, tested in test_front_browser
    at.switch_page(page or "app_pages/map.py")
    for name, value in params.items():
        at.query_params[name] = value
    at.run(timeout=timeout)
    return at


def page(path: str, **params) -> AppTest:
    """A page opened from a shared link, which must show without an exception."""
    at = open_page(path, **params)
    no_exception(at)
    return at


def no_exception(at: AppTest) -> None:
    assert not at.exception, "\n\n".join(f"{e.message}\n" + "".join(e.stack_trace) for e in at.exception)


def text_of(at: AppTest) -> str:
    """The page's text as a reader sees it: Markdown escapes (ui.md's backslashes and word joiners) taken out, and
    the text of its HTML (the public pages' one rendering, through st.html) with the markup taken out."""
    parts = (*at.markdown, *at.caption, *at.info, *at.warning, *at.subheader, *at.text_area)
    markup = "\n".join(str(e.value) for e in parts)
    shown = re.sub(r"\\(.)", r"\1", markup).replace("\u2060", "")
    return "\n".join([shown, *(html_text(e.proto.body) for e in at.get("html"))])


def html_text(body: str) -> str:
    """An HTML fragment's text: no style sheet, no tags, entities read."""
    body = re.sub(r"<style>.*?</style>", "", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def page_html(at: AppTest) -> str:
    """The public page's HTML a dashboard page shows through st.html (its one rendering: public/render.py)."""
    bodies = [e.proto.body for e in at.get("html")]
    assert len(bodies) == 1, f"expected one st.html on the page, found {len(bodies)}"
    return bodies[0]


def heading_of(at: AppTest) -> str:
    """The page's main heading as a reader sees it: the public page's <h1>, else the Streamlit title."""
    found = [re.search(r"<h1>(.*?)</h1>", e.proto.body, re.S) for e in at.get("html")]
    found = [m for m in found if m]
    return html.unescape(found[0].group(1)) if found else at.title[0].value
