"""What's new: evidence added or removed by each build, newest first, with its Atom feed."""
import streamlit as st

from dashboard import queries, ui
from dashboard.data import connection
from ingest.changes import atom

st.title("What's new")
st.caption("Evidence each update of the database added or removed, compared with the one before. "
           "Subscribe with the Atom feed below.")

if ui.guard_database():
    states = queries.filter_options().get("state", [])
    ui.seed_state("new_state", [s for s in ui.param_list("state") if s in states])
    chosen = st.multiselect("State", states, key="new_state", placeholder="All states")
    ui.set_params(state=chosen)
    changes = queries.changes(chosen)
    if changes.empty:
        st.info("Nothing has changed yet.")
    for built_at, group in changes.groupby("built_at", sort=False):
        added, removed = (group["change"] == "added").sum(), (group["change"] == "removed").sum()
        with st.expander(f"{built_at:%Y-%m-%d %H:%M} UTC: {added} added, {removed} removed", expanded=True):
            table = group.assign(link="/agency?agency=" + group["agency_id"])[
                ["change", "link", "agency_name", "state", "product", "kind", "source_url", "evidence_id"]]
            st.dataframe(table, hide_index=True, column_config={
                "link": st.column_config.LinkColumn("agency", display_text="open"),
                "source_url": st.column_config.LinkColumn("source")})
    feed = lambda: atom(connection().cursor(), where_state=chosen[0] if len(chosen) == 1 else None)  # noqa: E731
    st.download_button("Atom feed", feed, file_name="whats-new.xml", mime="application/atom+xml",
                       on_click="ignore", icon=":material/rss_feed:")
