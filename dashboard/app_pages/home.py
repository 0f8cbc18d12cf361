"""The front page: the public site's own front page (render.map_html, the same HTML `ingest site` bakes into
index.html): the national map, the headline counts, the coverage sentence, the states. The filters are on the Map
page, a click away; the front page loads no chart library and no widget, which made it the slowest page to open."""

import streamlit as st

from dashboard import ui
from public import render

# The Map page's query parameters. A link shared when the front page was the filtered map (/?state=MI) still
# opens that view.
MAP_PARAMETERS = ("state", "vendor", "status", "kind", "from", "to", "recent", "coverage")

if any(name in st.query_params for name in MAP_PARAMETERS):
    st.switch_page(
        "app_pages/map.py",
        query_params={name: st.query_params.get_all(name) for name in MAP_PARAMETERS if name in st.query_params},
    )

if ui.guard_database():
    st.html(render.map_html())
