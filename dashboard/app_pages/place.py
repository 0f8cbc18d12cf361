"""Type a city, county, state or agency name; see the agencies there and their evidence."""
import streamlit as st

from dashboard import queries, ui

st.title("Look up a place")
st.caption("A city, county, state or agency name: every agency there with public evidence of facial-recognition use.")

if ui.guard_database():
    ui.seed_state("place_q", st.query_params.get("q", ""))
    text = st.text_input("City, county, state or agency", key="place_q", max_chars=120,
                         placeholder="e.g. Miami, Wayne County, Texas, Detroit Police")
    ui.set_params(q=text.strip())
    if text.strip():
        found = queries.search_place(text)
        registered = queries.registry_agencies_in_place(text)
        if found.empty:
            st.info(f"No agency matching “{text}” has evidence in our data. {registered} registry agencies match it. "
                    "No evidence here means no one has documented it yet, not that it is not used.")
        else:
            st.markdown(f"**{len(found)} agencies** matching “{text}” have evidence of facial-recognition use "
                        f"({registered} registry agencies match the words in all).")
            for row in found.itertuples():
                with st.container(border=True):
                    st.markdown(f"**{row.name}** ({row.agency_kind}, {row.state}) · {ui.status_badge(row.status)} · "
                                f"{row.products} · {int(row.evidence_count)} evidence row(s)"
                                + (f" · earliest source {row.first_date:%Y}" if row.first_date is not None and str(row.first_date) != 'NaT' else ""))
                    st.caption(row.placement)
                    st.page_link("app_pages/agency.py", label="Evidence and sources", query_params={"agency": row.agency_id})
        rules = queries.policies_matching(text)
        if not rules.empty:
            st.subheader("Local and state policies")
            for rule in rules.itertuples():
                st.markdown(f"- **{rule.jurisdiction}**: {rule.stance} ({rule.date_text}) · [source]({rule.source_url})")
                if rule.caveat:
                    st.warning(f"Caveat: {rule.caveat}")
        ui.status_legend()
