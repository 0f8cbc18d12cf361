"""A council member's hearing brief for a city, county or state: printable here, and as a PDF.

The brief is made by documents.brief.brief_for, the same function `python -m ingest brief` calls."""

from datetime import date
from functools import partial

import streamlit as st

from dashboard import queries, ui
from dashboard.data import connection, db_path, file_stamp, query
from dashboard.documents import pdfmap
from dashboard.documents.brief import MAP_HEIGHT_MM, Brief, brief_for, brief_map, brief_markdown, brief_pdf_file
from dashboard.documents.jurisdiction import Place, find

st.title("Hearing brief")
st.caption(
    "One or two pages for an oversight hearing: products, contracts and spend, trials, policies, and "
    "questions to ask. Every line cites its sources by number."
)


def typed_place() -> Place | None:
    """A place found by typing it as on the Place page, in any state ('Miami-Dade', 'Springfield, IL', a ZIP
    code), or None."""
    typed = st.text_input(
        "Find a city, county or state by name, in any state",
        key="brief_find",
        placeholder="e.g. Miami-Dade, or Springfield, IL",
        max_chars=120,
    )
    if not typed.strip():
        return None
    found = find(typed, query)
    if found.choices:
        st.info(ui.md(found.sentence))
        label = st.selectbox("Which one?", found.choices, index=None, placeholder="Choose a place")
        found = find(label, query) if label else found
    elif found.place is None:
        st.info(ui.md(found.sentence))
    return found.place


def picked_place() -> Place:
    """A place chosen state first, then one of its cities or counties with evidence."""
    states = queries.filter_options().get("state", [])
    ui.seed_state(
        "brief_state",
        st.query_params.get("state") if st.query_params.get("state") in states else (states[0] if states else None),
    )
    state = st.selectbox("State", states, key="brief_state")
    places = queries.jurisdictions(state) if state else None
    options = [("state", state)] + (
        [tuple(r) for r in places[["level", "name"]].itertuples(index=False)] if places is not None else []
    )
    wanted = (st.query_params.get("level", "state"), st.query_params.get("name", state))
    ui.seed_state("brief_place", wanted if wanted in options else options[0])
    if st.session_state.brief_place not in options:
        st.session_state.brief_place = options[0]
    labels = {o: f"{o[1]} ({'whole state' if o[0] == 'state' else o[0]})" for o in options}
    level, name = st.selectbox("Jurisdiction", options, key="brief_place", format_func=labels.get)
    return Place(level, name, state)


@st.cache_data(max_entries=32, show_spinner="Writing the brief ...")
def made(level: str, name: str, state: str, path: str, file: tuple[int, int], today: date) -> tuple[Brief, str]:
    """The brief and its map, once per place, database file and day: every reader of the same brief (a hearing's
    link, passed around) gets it without the 0.4 s its queries and wording take for a state."""
    place = Place(level, name, state)
    shapes, points = brief_map(place)
    # The PDF's own map, as an SVG picture: what is printed is what is seen, and the page loads no chart library
    # (Plotly's was a second of the page's load).
    picture = pdfmap.svg(shapes, points, width=110, height=MAP_HEIGHT_MM) if shapes.get("features") or points else ""
    return brief_for(place), picture


if ui.guard_database():
    place = typed_place()
    if place is None:
        place = picked_place()
    ui.set_params(state=place.state, level=place.level, name=place.name)

    connection()  # a missing or damaged file is told in a sentence here
    brief, picture = made(place.level, place.name, place.state, str(db_path()), file_stamp(), date.today())
    if picture:
        st.image(picture, width=640)
    st.markdown(brief_markdown(brief))

    # Drawn on click from the brief and a fresh query: a function defined here would keep this page's tables.
    st.download_button(
        "Download the brief as PDF",
        partial(brief_pdf_file, place, brief),
        file_name=f"brief-{place.label.replace(', ', '-')}.pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/download:",
    )
    st.caption(
        "For a printable page, use your browser's print command on this page. The same brief comes from the "
        'command line: python -m ingest brief "PLACE" --output brief.pdf'
    )
