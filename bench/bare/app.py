"""A bare Streamlit app: the floor a Streamlit page of each kind costs (bench/pages.py), with no database, no
query and none of the project's code. The same four kinds as the dashboard pages measured: a map (a Plotly geo
chart of 372 points, the bundled data's count, and a table of them, as issue #17 defines it), a place (a search box and a table), an agency (headings, lines
of text and an expander) and a brief (a picker and lines of text). Run from the repository root, so that the
project's .streamlit/config.toml applies (static/ is served through the `static` link beside this file)."""

import streamlit as st

st.set_page_config(page_title="Bare", layout="wide")
PAGES = [
    st.Page("map.py", title="Map", url_path="map", default=True),
    st.Page("place.py", title="Place", url_path="place"),
    st.Page("agency.py", title="Agency", url_path="agency"),
    st.Page("brief.py", title="Brief", url_path="brief"),
]
st.navigation(PAGES, position="top").run()
