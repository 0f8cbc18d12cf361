"""What's new: evidence added or removed by each build, newest first, for everything, some states or a
watchlist, with Atom feeds."""

import functools
from urllib.parse import quote

import streamlit as st

from dashboard import exports, queries, ui
from ingest import watchlists

st.title("What's new")
st.caption(
    "Evidence each update of the database added or removed, compared with the one before. "
    "Subscribe with an Atom feed; each build also writes them to the feeds/ folder beside the database."
)
st.info(
    "This dashboard is single-user: watchlists are stored on the machine that runs it, and anyone using this "
    "dashboard can see and change them.",
    icon=":material/group:",
)

if ui.guard_database():
    loaded = watchlists.load_checked()
    if loaded.problem:
        st.error(ui.md(loaded.problem))  # it quotes the file: text, not markup
    watches = {w.name: w for w in loaded.items}
    with st.expander("Watchlists: follow a city, county, state, agency or vendor (saved on this machine)"):
        with st.form("add_watch", clear_on_submit=True, border=False):
            with st.container(horizontal=True):
                name = st.text_input(
                    "Name",
                    placeholder="e.g. My city",
                    max_chars=watchlists.NAME_LIMIT,
                    help=f"At most {watchlists.NAME_LIMIT} characters; each watchlist needs its own.",
                )
                kind = st.selectbox("Follows", watchlists.KINDS)
                value = st.text_input("Value", placeholder="Detroit · Wayne County · MI · MI8234900 · Clearview AI")
            if st.form_submit_button("Save watchlist"):
                try:
                    watchlists.add(watchlists.Watch(name.strip(), kind, value.strip()))
                    st.rerun()
                except ValueError as exc:
                    st.error(ui.md(f"The watchlist was not saved: {exc}."))
        for watch in list(watches.values()):
            with st.container(horizontal=True):
                st.text(f"{watch.name}: {watch.kind} = {watch.value}")  # a name is the user's text, not markup
                if st.button("Remove", key=f"rm_{watch.slug}"):
                    try:
                        watchlists.remove(watch.name)
                        st.rerun()
                    except ValueError as exc:
                        st.error(ui.md(f"The watchlist was not removed: {exc}"))

    states = queries.filter_options().get("state", [])
    ui.seed_state("new_watch", st.query_params.get("watch") if st.query_params.get("watch") in watches else "(all)")
    chosen_watch = st.selectbox("Watchlist", ["(all)", *watches], key="new_watch")
    watch = watches.get(chosen_watch)
    ui.seed_state("new_state", [s for s in ui.param_list("state") if s in states])
    chosen = st.multiselect("State", states, key="new_state", placeholder="All states", disabled=watch is not None)
    ui.set_params(state=None if watch else chosen, watch=watch.name if watch else None)
    changes = queries.changes(chosen, watch)
    if changes.empty:
        st.info("Nothing has changed here yet.")
    for built_at, group in changes.groupby("built_at", sort=False):
        added, removed = (group["change"] == "added").sum(), (group["change"] == "removed").sum()
        with st.expander(f"{built_at:%Y-%m-%d %H:%M} UTC: {added} added, {removed} removed", expanded=True):
            # An id from a source is one query value, percent-encoded, never the rest of a URL.
            links = "/agency?agency=" + group["agency_id"].fillna("").map(lambda i: quote(str(i), safe=""))
            table = group.assign(link=links, source_url=ui.http_only(group["source_url"]))[
                ["change", "link", "agency_name", "state", "product", "kind", "source_url", "evidence_id"]
            ]
            st.dataframe(
                table,
                hide_index=True,
                column_config={
                    "link": st.column_config.LinkColumn("agency", display_text="open"),
                    "source_url": st.column_config.LinkColumn("source"),
                },
            )
    # A function of a module, not of this page: Streamlit keeps a download's callable for the whole session.
    feed = functools.partial(
        exports.atom_feed,
        watch=watch,
        where_state=chosen[0] if len(chosen) == 1 and not watch else None,
        title=f"Who's Watching: {watch.name}" if watch else "Who's Watching: what's new",
    )
    st.download_button(
        "Atom feed",
        feed,
        file_name=f"watch-{watch.slug}.xml" if watch else "whats-new.xml",
        mime="application/atom+xml",
        on_click="ignore",
        icon=":material/rss_feed:",
    )
