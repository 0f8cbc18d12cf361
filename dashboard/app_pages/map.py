"""The US map of agencies with public evidence, its filters, and the same selection as a table."""

from functools import partial

import streamlit as st

from dashboard import charts, queries, ui
from rules import documented

RETURN = "map_view_before_click"  # the map's query parameters when a click left it for an agency


def open_clicked_agency(event, agencies, researched) -> None:
    """A click on an agency's point opens its page. Policy diamonds carry a jurisdiction, not an agency: their
    click only selects them."""
    points = ((event or {}).get("selection") or {}).get("points") or []
    known = set(agencies["agency_id"]) | (set(researched["agency_id"]) if researched is not None else set())
    for point in points:
        agency_id = (point.get("customdata") or [None])[0]
        if agency_id in known:
            st.session_state[RETURN] = {name: st.query_params.get_all(name) for name in st.query_params}
            st.switch_page("app_pages/agency.py", query_params={"agency": agency_id})


def restore_view_after_back() -> None:
    """The browser's Back from an agency opened by a click reaches the map with the agency page's query string
    (Streamlit keeps it), not the map's: the filters the visitor had are put back from the session."""
    if "agency" in st.query_params:
        saved = st.session_state.pop(RETURN, {})
        st.query_params.clear()
        for name, values in saved.items():
            st.query_params[name] = values


# A framed map draws its states' counties; past a few states the shapes would weigh megabytes in the page.
MAX_OUTLINED_STATES = 6


def county_outlines(states: list[str]) -> dict | None:
    if not states or len(states) > MAX_OUTLINED_STATES:
        return None
    return charts.counties_of(tuple(prefix for state in states for prefix in queries.fips_prefixes(state)))


st.title("Who's Watching")
st.caption(
    "Agencies with public evidence that they used, trialled or bought facial-recognition products. "
    "Click a point to open its agency: its evidence and the source records it came from."
)

if ui.guard_database():
    restore_view_after_back()
    options = queries.filter_options()
    # Every state and territory in the registry, evidence or not: that a state has none is itself worth seeing.
    registry = queries.registry_states()
    state_names = dict(zip(registry["state"], registry["state_name"]))
    years = [int(y) for y in options.get("year", [])]
    ui.seed_state("f_state", [s for s in ui.param_list("state") if s in state_names])
    ui.seed_state("f_vendor", [v for v in ui.param_list("vendor") if v in options.get("vendor", [])])
    ui.seed_state("f_status", [s for s in ui.param_list("status") if s in options["status"]])
    ui.seed_state("f_kind", [k for k in ui.param_list("kind") if k in options.get("kind", [])])
    if years:
        low, high = min(years), max(years)
        start, end = ui.param_int("from"), ui.param_int("to")
        start = start if start is not None and low <= start <= high else low
        end = end if end is not None and start <= end <= high else high
        ui.seed_state("f_years", (start, end))  # out-of-range or inverted years fall back to the full range

    with st.container(horizontal=True):
        st.multiselect(
            "State",
            list(state_names),
            key="f_state",
            placeholder="All states",
            format_func=lambda code: f"{state_names.get(code) or code} ({code})",
        )
        st.multiselect("Vendor", options.get("vendor", []), key="f_vendor", placeholder="All vendors")
        st.multiselect("Status", options["status"], key="f_status", placeholder="All statuses")
        st.multiselect("Agency type", options.get("kind", []), key="f_kind", placeholder="All types")
    year_range = (
        st.slider("Year of evidence", min(years), max(years), key="f_years")
        if years and min(years) < max(years)
        else None
    )
    narrowed = year_range is not None and year_range != (min(years), max(years))
    since = documented.stale_before()
    ui.seed_state("f_recent", st.query_params.get("recent") == "1")
    recent_only = st.checkbox(
        f"Hide claims not documented since {since.year} (newest evidence more than "
        f"{documented.STALE_AFTER_YEARS} years old; on the map they are drawn faded)",
        key="f_recent",
    )

    filters = queries.Filters(
        states=st.session_state.f_state,
        vendors=st.session_state.f_vendor,
        statuses=st.session_state.f_status,
        kinds=st.session_state.f_kind,
        year_from=year_range[0] if narrowed else None,
        year_to=year_range[1] if narrowed else None,
        documented_since=since if recent_only else None,
    )
    ui.set_params(
        state=filters.states,
        vendor=filters.vendors,
        status=filters.statuses,
        kind=filters.kinds,
        **{"from": filters.year_from, "to": filters.year_to},
        recent="1" if recent_only else None,
    )

    counts = queries.headline(filters)
    with st.container(horizontal=True):
        st.metric("Agencies with evidence", int(counts["agencies"]))
        st.metric("Evidence rows", int(counts["evidence"]))
        st.metric("States", int(counts["states"]))
        st.metric("Cited source links", int(counts["sources"]))
    if narrowed:
        st.caption(
            "A year filter keeps the evidence rows with any source dated in those years (the row's own date or "
            "any of its links), and the claims they support."
        )

    coverage = queries.coverage_counts(filters.states)
    where = f" in {ui.md(', '.join(filters.states))}" if filters.states else ""
    st.caption(
        f"Coverage of the {sum(coverage.values()):,} registry agencies{where}: "
        f"{coverage.get('evidence found', 0):,} with evidence, "
        f"{sum(n for s, n in coverage.items() if s.startswith('asked')):,} asked through a records request "
        "with no evidence yet, "
        f"{coverage.get('researched, no face-recognition evidence found', 0):,} researched by the Atlas with no "
        f"face-recognition evidence found, {coverage.get('not researched', 0):,} not researched yet."
    )
    ui.seed_state("f_coverage", st.query_params.get("coverage") == "1")
    show_researched = st.toggle(
        "Show agencies researched or asked, with no face-recognition evidence", key="f_coverage"
    )
    ui.set_params(coverage="1" if show_researched else None)

    agencies = queries.map_agencies(filters)
    policies = queries.policies(filters.states)
    researched = queries.researched_without_evidence(filters.states) if show_researched else None
    extent = queries.state_extent(filters.states) if filters.states else None
    # Said above the map, which shows the state empty but framed.
    without = [s for s in filters.states if s not in set(agencies["state"].dropna())]
    if without:
        named = ", ".join(state_names.get(s) or s for s in without)
        narrowed_by = " matching these filters" if any(v for k, v in filters.params().items() if k != "states") else ""
        st.info(
            f"No documented evidence{narrowed_by} in {ui.md(named)} yet. No evidence is not absence: most "
            "agencies have simply not been researched, and the coverage line above says how many were.",
            icon=":material/info:",
        )
    figure = charts.agency_map(agencies, policies, researched, extent, county_outlines(filters.states))
    event = st.plotly_chart(figure, config=charts.PLOTLY_CONFIG, on_select="rerun", selection_mode="points", key="map")
    open_clicked_agency(event, agencies, researched)
    if filters.states and extent is None:
        st.caption("The map cannot be framed on this choice: the data holds no location for it.")
    unplotted = agencies[agencies["latitude"].isna()]
    if not unplotted.empty:
        st.caption(
            f"{len(unplotted)} agencies with evidence have no location and are not on the map "
            "(federal agencies, and agencies that could not be placed): they are in the table below."
        )
    st.caption(
        "An empty area is not evidence of absence: most agencies have simply not been researched yet. "
        "Diamonds mark local and state policies (bans, moratoria, oversight ordinances)."
    )

    ui.status_legend()
    st.subheader(f"{len(agencies)} agencies")
    table = agencies.assign(
        link="/agency?agency=" + agencies["agency_id"],
        state=ui.state_or_national(agencies),
        documented=[documented.when(d) for d in agencies["last_documented"]],
    )[
        [
            "link",
            "name",
            "agency_kind",
            "state",
            "status",
            "documented",
            "products",
            "evidence_count",
            "first_date",
            "last_date",
            "placement",
            "location_note",
        ]
    ]
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "link": st.column_config.LinkColumn("evidence", display_text="open"),
            "agency_kind": "type",
            "documented": "status last documented",
            "evidence_count": "evidence",
            "first_date": st.column_config.DateColumn("first dated", format="YYYY-MM-DD"),
            "last_date": st.column_config.DateColumn("last dated", format="YYYY-MM-DD"),
        },
    )
    ui.downloads(partial(queries.map_agencies, filters), "agencies", key="map_dl", what="Agencies")
    st.caption(
        "Downloads carry one row per agency; each agency's evidence, with its source URL and raw record, "
        "is on its page and in the claims export."
    )
    # Queried on click only. A frame, or a function defined in this page (which holds the page's variables), would
    # stay in the server for as long as the session lives: 0.9 GB per visit at 1M rows.
    ui.downloads(partial(queries.claims_export, filters), "evidence", key="claims_dl", what="Evidence with provenance")
