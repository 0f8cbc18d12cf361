"""Who's Watching: which agencies used or trialled facial recognition, and the public evidence."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st
from streamlit.logger import get_logger

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

st.set_page_config(page_title="Who's Watching", page_icon="👁", layout="wide")

PAGES = [
    st.Page("app_pages/home.py", title="Overview", url_path="home", default=True),
    st.Page("app_pages/map.py", title="Map", url_path="map"),
    st.Page("app_pages/place.py", title="Place", url_path="place"),
    st.Page("app_pages/agency.py", title="Agency", url_path="agency"),
    st.Page("app_pages/requests.py", title="My requests", url_path="requests"),
    st.Page("app_pages/brief.py", title="Hearing brief", url_path="brief"),
    st.Page("app_pages/reporter.py", title="Leak workbench", url_path="reporter"),
    st.Page("app_pages/vendors.py", title="Vendors", url_path="vendors"),
    st.Page("app_pages/whats_new.py", title="What's new", url_path="new"),
    st.Page("app_pages/sources.py", title="Sources", url_path="sources"),
    st.Page("app_pages/about.py", title="About", url_path="about"),
]

LOG = get_logger("whos_watching")  # Streamlit's own logger: it prints to the server's console
FAILED = (
    "The {page} page could not be shown: something went wrong while it read or drew the data. Nothing was "
    "changed: the database and your saved requests and watchlists are as they were. Reload the page to try "
    "again; if it keeps failing, report it on the project's issue tracker with the page's address and the "
    "time ({when} UTC), which lets the maintainers find the details in the server's log."
)


def run(page) -> None:
    """Run the page; an unexpected failure gets a sentence, and its traceback goes to the server's log only
    (a traceback can carry paths and record text, and tells a visitor nothing they can act on)."""
    try:
        page.run()
    except Exception:  # st.stop() and st.rerun() are BaseExceptions and pass through
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        LOG.exception("Page %r failed at %s UTC", getattr(page, "url_path", page), when)
        st.error(FAILED.format(page=page.title, when=when), icon=":material/error:")


run(st.navigation(PAGES, position="top"))
