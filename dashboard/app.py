"""Who's Watching: which agencies used or trialled facial recognition, and the public evidence."""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

st.set_page_config(page_title="Who's Watching", page_icon="👁", layout="wide")

PAGES = [
    st.Page("app_pages/map.py", title="Map", url_path="map", default=True),
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

st.navigation(PAGES, position="top").run()
