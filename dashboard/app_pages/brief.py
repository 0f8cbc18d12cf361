"""A council member's hearing brief for a city, county or state: printable here, and as a PDF."""

from functools import partial

import streamlit as st

from dashboard import charts, queries, ui
from dashboard.documents.brief import brief_markdown, build_brief

st.title("Hearing brief")
st.caption(
    "One or two pages for an oversight hearing: products, contracts and spend, trials, policies, and "
    "questions to ask. Every line cites its sources by number."
)

if ui.guard_database():
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
    # Labels looked up in a dict: Streamlit keeps format_func for the session, and a lambda here keeps the page's tables.
    labels = {o: f"{o[1]} ({'whole state' if o[0] == 'state' else o[0]})" for o in options}
    level, name = st.selectbox("Jurisdiction", options, key="brief_place", format_func=labels.get)
    ui.set_params(state=state, level=level, name=name)

    label = state if level == "state" else f"{name}, {state}"
    evidence = queries.jurisdiction_evidence(level, name, state)
    policies = queries.jurisdiction_policies(level, name, state)
    flags = queries.flags_for(evidence["agency_id"].unique().tolist())
    brief = build_brief(
        label,
        evidence,
        policies,
        queries.source("fr_bans_iff"),
        flags=flags,
        requests=queries.jurisdiction_requests(level, name, state),
        coverage=queries.jurisdiction_coverage(level, name, state),
        coverage_sources=[queries.source("fbi_cde_agencies"), queries.source("atlas_2020_full")],
    )

    counties = charts.jurisdiction_counties(level, name, evidence)
    figure = charts.jurisdiction_map(evidence, queries.fips_prefixes(state, counties))
    st.plotly_chart(figure, config=charts.PLOTLY_CONFIG, key="brief_map")
    st.markdown(brief_markdown(brief))

    # Drawn on click from the brief and a fresh query: a function defined here would keep this page's tables.
    st.download_button(
        "Download the brief as PDF",
        partial(charts.brief_pdf_on_click, brief, level, name, state),
        file_name=f"brief-{label.replace(', ', '-')}.pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/download:",
    )
    st.caption("For a printable page, use your browser's print command on this page.")
