"""A citizen's lookup: a ZIP code, a city or county with or without its state, a state or an agency's name ->
the place meant (or which one, when several share the name), every agency that serves it with its evidence,
and a public-records request letter to ask for more. `python -m ingest lookup` gives the same answer
(dashboard/lookup.py).

A city or a county (or a ZIP code's city) is shown as the public site's own page for it (public/render.py
`place_html`, the static place page's function and context) through st.html, so the two can never disagree;
the tools around it (the choices, the letter, the downloads) are Streamlit's. A state is shown as its public
state page (`state_html`) above a sortable table of all its agencies; an agency-name search gives that table."""

from datetime import date
from functools import partial
from urllib.parse import quote

import pandas as pd
import streamlit as st

from dashboard import lookup, queries, tracker, ui
from dashboard.data import connection, file_stamp, query
from dashboard.documents.letter import build_letter, law_from_row
from dashboard.documents.pdf import text_to_pdf
from ingest.paths import db_path
from public import render
from public.render import Links
from rules.places import count

st.title("Look up a place")
st.caption(
    "A ZIP code, a city or county (add its state: “Burlington, VT”, “Washington County OR”), a state or an "
    "agency's name: every agency that serves the place, those with public evidence of facial-recognition use "
    "first, and a records request to ask for more."
)

# What the table calls each column: plain words, not the database's.
COLUMNS = {
    "name": "agency",
    "link": "evidence and sources",
    "state": "state",
    "serves": "serves the place as",
    "status": "what the evidence shows",
    "last_documented": "last documented",
    "products": "products",
    "evidence_count": "evidence",
    "research_status": "looked into",
}


@st.cache_resource(max_entries=2, show_spinner="Reading the place names ...")
def _gazetteer(path: str, stamp: tuple[int, int]) -> lookup.Gazetteer:
    return lookup.gazetteer(query)


@st.cache_data(max_entries=64, show_spinner=False)
def _answer(text: str, path: str, stamp: tuple[int, int]) -> lookup.Answer:
    return lookup.lookup(text, query, _gazetteer(path, stamp))


def answer_for(text: str) -> lookup.Answer:
    """The lookup's answer, worked out once per text and database file: choosing another agency for the letter
    reruns the page, not the lookup."""
    connection()  # a missing or damaged file is told in a sentence here
    return _answer(text, str(db_path()), file_stamp())


def public_place(place: lookup.Place) -> tuple[str, str, str] | None:
    """(level, name, state) of the public place page that answers for a place: a city's or a county's own, a ZIP
    code's city's; None for a state (show_state_page shows its state page)."""
    if place.level in ("city", "county"):
        return place.level, place.name, place.state
    if place.level == "zip" and place.city:
        return "city", place.city, place.state
    return None


def show_place_page(level: str, name: str, state: str) -> None:
    """The place's public page, the same HTML as the static site's, its links into the dashboard."""
    links = Links(in_dashboard=True)
    gaz = _gazetteer(str(db_path()), file_stamp())
    st.html(render.place_html(level, name, state, links, gaz))


def pick(label: str) -> None:
    """A choice fills the box, as if the visitor had typed it."""
    st.session_state["place_q"] = label
    st.session_state.pop("letter_agency", None)


def show_choices(choices: list[dict], key: str) -> None:
    with st.container(horizontal=True):
        for i, choice in enumerate(choices):
            evidence = f", {choice['with_evidence']:,} with evidence" if choice["with_evidence"] else ""
            st.button(  # a label is Markdown: the place's name is escaped, as every name from the data is
                f"{ui.md(choice['label'])} · {count(choice['agencies'], 'agency')}{evidence}",
                key=f"{key}_{i}",
                on_click=pick,
                args=(choice["label"],),
            )


def agency_table(agencies: pd.DataFrame) -> pd.DataFrame:
    table = agencies.assign(
        link="/agency?agency=" + agencies["agency_id"].map(lambda i: quote(str(i), safe="")),
        status=agencies["status"].fillna("no evidence on record"),
        last_documented=pd.to_datetime(agencies["last_documented"]).dt.date,
        evidence_count=agencies["evidence_count"].astype(int),
    )
    return table[list(COLUMNS)]


def agency_downloads(agencies: pd.DataFrame, what: str = "") -> None:
    ui.downloads(agencies[list(lookup.AGENCY_FIELDS)], "agencies", key="place_dl", what=what)


def show_agencies(agencies: pd.DataFrame) -> None:
    st.dataframe(
        agency_table(agencies),
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn(COLUMNS["name"]),
            "link": st.column_config.LinkColumn(COLUMNS["link"], display_text="open"),
            "last_documented": st.column_config.DateColumn(COLUMNS["last_documented"]),
            "evidence_count": st.column_config.NumberColumn(COLUMNS["evidence_count"], format="%d"),
            **{c: st.column_config.TextColumn(label) for c, label in COLUMNS.items() if c in ("serves", "status")},
            **{c: label for c, label in COLUMNS.items() if c in ("state", "products", "research_status")},
        },
    )
    st.caption(
        "Sort by any column by clicking its heading. “Serves the place as”: its city's own agency, its "
        "county's (a sheriff, a county police, a college) or a statewide one."
    )
    agency_downloads(agencies)


def show_requests(agency_ids: list[str]) -> None:
    asked = lookup.records_requests(query, agency_ids)
    if asked.empty:
        return
    st.subheader(f"Records requests about facial recognition here ({len(asked)})")
    st.caption(
        "Someone asked these agencies for records (MuckRock). A request shows that someone asked, "
        "never that the agency used anything; its outcome says what came of it."
    )
    asked["url"] = ui.http_only(asked["url"])
    st.dataframe(
        asked.drop(columns=["agency_id"]),
        hide_index=True,
        column_config={
            "url": st.column_config.LinkColumn("request"),
            "submitted_on": st.column_config.DateColumn("filed"),
            "done_on": st.column_config.DateColumn("closed"),
        },
    )


def show_public_page(place: lookup.Place) -> None:
    """The place's static page on the published site, where a city, county or state (or a ZIP code's city) has one."""
    site = Links.published()
    if site is None:
        return
    shown = public_place(place)
    if shown is None:
        ui.public_page_link(site.state(place.state), f"{place.label}'s page")
    else:
        level, name, state = shown
        ui.public_page_link(
            site.place(state, name), f"{name}, {state}'s page" if level != place.level else f"{place.label}'s page"
        )


def first_to_ask(answer: lookup.Answer) -> str:
    """The letter's first addressee: the place's own agency (Dearborn's police, evidence or not), not a
    statewide one that the evidence-first table lists above it; for an agency's name, the best match."""
    agencies = answer.agencies
    if answer.places:
        own = agencies[agencies["serves"] == lookup.SERVES_ORDER[answer.places[0].level][0]]
        if not own.empty:
            return own["agency_id"].iloc[0]
    return agencies["agency_id"].iloc[0]


def show_letter(agencies: pd.DataFrame, first: str) -> None:
    """Every agency that serves the place, evidence first: no evidence is a reason to ask."""
    names = {
        a: f"{n} ({s})" if has else f"{n} ({s}, no evidence on record)"
        for a, n, s, has in zip(agencies["agency_id"], agencies["name"], agencies["state"], agencies["has_evidence"])
    }
    st.header("What you can do: ask for the records")
    wanted = st.query_params.get("agency")
    ui.seed_state("letter_agency", wanted if wanted in names else first)
    if st.session_state["letter_agency"] not in names:  # another place was typed or chosen
        st.session_state["letter_agency"] = first
    agency_id = st.selectbox("Agency to write to", list(names), format_func=names.get, key="letter_agency")
    ui.set_params(agency=agency_id)
    agency = queries.agency(agency_id)
    state = agency["state"] if isinstance(agency["state"], str) else "US"
    law = law_from_row(queries.records_law(state), state)
    letter = build_letter(agency, queries.agency_claims(agency_id), law, date.today())
    if law is None:
        st.warning(f"We have no public-records law on file for {ui.md(state)}: the letter names none.")
    else:
        st.caption(
            f"Law: {ui.md(law.citation)}. Verify deadlines and exemptions in the guide: "
            f"{ui.link(law.guide_url, law.guide_url)}. This is not legal advice."
        )
    letter = st.text_area(
        "Your letter (edit it here; the downloads carry your edits)",
        letter,
        height=420,
        key=f"letter_{agency_id}",
    )
    with st.container(horizontal=True):
        st.download_button(
            "Download as text",
            letter,
            file_name=f"records-request-{agency_id}.txt",
            mime="text/plain",
            on_click="ignore",
            icon=":material/download:",
        )
        st.download_button(
            "Download as PDF",
            partial(text_to_pdf, "Public records request", letter),
            file_name=f"records-request-{agency_id}.pdf",
            mime="application/pdf",
            on_click="ignore",
            icon=":material/download:",
        )
        if st.button("I sent it today: track it", icon=":material/schedule:"):
            tracker.add(tracker.Request(agency_id, agency["name"], state, date.today().isoformat()))
            st.success("Tracked. See My requests for its due date.")


def show_state_page(state: str) -> None:
    """The state's public page (its map, agencies with evidence, places and laws), the same HTML as the static site's
    state/<ST>.html, its links into the dashboard."""
    st.html(render.state_html(state))


def show_answer_table(answer: lookup.Answer, coverage: bool = True) -> None:
    """A state's agencies, or those an agency's name matches: a table to sort, with their requests and laws."""
    agencies = answer.agencies
    if answer.places and coverage:
        counts = agencies["research_status"].value_counts().to_dict()
        st.caption(ui.md(render.coverage_sentence(counts, f"in {answer.places[0].label}")))  # the public pages' words
    if agencies.empty or not agencies["has_evidence"].any():
        st.info(
            "No evidence here means no one has documented it yet, not that it is not used. "
            "A records request is how to find out."
        )
    if not agencies.empty:
        show_agencies(agencies)
        show_requests(agencies["agency_id"].tolist())
    if answer.places:
        ui.show_policies(answer.policies, "Laws, bans and policies that reach this place")
    ui.status_legend()


if ui.guard_database():
    ui.seed_state("place_q", st.query_params.get("q", "")[:120])  # a link gets the box's own limit
    text = st.text_input(
        "ZIP code, city, county, state or agency",
        key="place_q",
        max_chars=120,
        placeholder="e.g. 48226, Burlington, VT, Washington County OR, St. Louis, Texas, Detroit Police",
    ).strip()
    ui.set_params(q=text)
    answer = answer_for(text) if text else None
    if answer is None or answer.ambiguous or answer.agencies.empty:
        ui.set_params(agency=None)
    if answer is not None:
        st.markdown(ui.md(answer.sentence))
        if answer.ambiguous:
            show_choices(answer.choices, "choice")
        elif len(answer.choices) > 1:
            others = answer.choices[1:]
            with st.expander(f"Other places called {ui.md(answer.places[0].name)} ({len(others)})"):
                show_choices(others, "other")
        agencies = answer.agencies
        if not answer.ambiguous:
            shown = public_place(answer.places[0]) if answer.places and not agencies.empty else None
            if answer.places:
                show_public_page(answer.places[0])
            if shown is not None:
                show_place_page(*shown)
                agency_downloads(agencies, "Its agencies as")
            elif answer.places and answer.places[0].level == "state":
                show_state_page(answer.places[0].state)
                st.subheader(f"Every registry agency in {ui.md(answer.places[0].label)}")
                show_answer_table(answer, coverage=False)  # the state's page above says it
            else:
                show_answer_table(answer)
            if not agencies.empty:
                show_letter(agencies, first_to_ask(answer))
