"""The one way tests open a dashboard page with AppTest, and read what it shows."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

APP = "../dashboard/app.py"  # AppTest.from_file resolves this relative to the tests folder
TIMEOUT = 60  # the first run imports plotly, pandas, duckdb ...


def open_page(page: str | None = None, timeout: float = TIMEOUT, **params) -> AppTest:
    """Open the app as a URL would: the page (None = the default map page) with these query parameters."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if page is not None:
        # Before a first run AppTest finds pages by file name only; st.navigation's url_paths are known after it.
        at.run(timeout=timeout)
        no_exception(at)
        at.switch_page(page)
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
    """The page's text as a reader sees it: Markdown escapes (ui.md's backslashes and word joiners) taken out."""
    parts = (*at.markdown, *at.caption, *at.info, *at.warning, *at.subheader, *at.text_area)
    markup = "\n".join(str(e.value) for e in parts)
    return re.sub(r"\\(.)", r"\1", markup).replace("\u2060", "")
