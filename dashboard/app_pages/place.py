"""A citizen's lookup: a ZIP code, city, county, state or agency name -> the agencies there, their
evidence, and a public-records request letter to ask for more."""

import re
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st
import zipcodes

from dashboard import queries, tracker, ui
from dashboard.documents.letter import build_letter, law_from_row
from dashboard.documents.pdf import text_to_pdf
from rules import documented

st.title("Look up a place")
st.caption(
    "A ZIP code, city, county, state or agency name: every agency there with public evidence of "
    "facial-recognition use, and a records request to ask for more."
)


def find(text: str) -> tuple[pd.DataFrame, str, dict | None]:
    """The agencies for what was typed, one plain-language sentence about them, and the ZIP's place if any."""
    if re.fullmatch(r"\d{5}", text):
        places = zipcodes.matching(text) if zipcodes.is_real(text) else []
        if not places:
            return pd.DataFrame(), f"{ui.md(text)} is not a US ZIP code we know.", None
        place = places[0]
        found = queries.agencies_serving_zip(place["city"], place["county"], place["state"])
        where = ui.md(f"ZIP code {text} ({place['city']}, {place['county']}, {place['state']})")
        return (
            found,
            (
                f"**{len(found)} agencies** that serve {where} have evidence of facial-recognition use "
                "(its city's, its county's and statewide agencies)."
                if len(found)
                else f"No agency that serves {where} has evidence of facial-recognition use in our data."
            ),
            place,
        )
    found = queries.search_place(text)
    if found.empty:
        return found, f"No agency matching “{ui.md(text)}” has evidence of facial-recognition use in our data.", None
    return found, f"**{len(found)} agencies** matching “{ui.md(text)}” have evidence of facial-recognition use.", None


def coverage_sentence(counts: dict) -> str:
    """How much of the place's registry has been looked at, so that 'nothing found' is read rightly."""
    asked = sum(n for status, n in counts.items() if status.startswith("asked"))
    outcomes = ", ".join(
        f"{n} {status.removeprefix('asked: ')}" for status, n in sorted(counts.items()) if status.startswith("asked")
    )
    return (
        f"Coverage of the {sum(counts.values()):,} registry agencies here: "
        f"{counts.get('evidence found', 0):,} with evidence; {asked:,} asked through a records request "
        f"and nothing found yet{f' ({ui.md(outcomes)})' if outcomes else ''}; "
        f"{counts.get('researched, no face-recognition evidence found', 0):,} researched by the Atlas with "
        f"nothing found; {counts.get('not researched', 0):,} not researched yet."
    )


if ui.guard_database():
    ui.seed_state("place_q", st.query_params.get("q", "")[:120])  # a link gets the box's own limit
    text = st.text_input(
        "ZIP code, city, county, state or agency",
        key="place_q",
        max_chars=120,
        placeholder="e.g. 48226, Miami, Wayne County, Texas, Detroit Police",
    ).strip()
    ui.set_params(q=text)
    if not text:
        ui.set_params(agency=None)
    if text:
        found, sentence, zip_place = find(text)
        st.markdown(sentence)
        known_place = zip_place is not None or not sentence.endswith("ZIP code we know.")
        if known_place:
            st.caption(coverage_sentence(queries.place_coverage(text, zip_place)))
        if found.empty:
            st.info(
                "No evidence here means no one has documented it yet, not that it is not used. "
                "A records request is how to find out."
            )
        for row in found.itertuples():
            with st.container(border=True):
                since = "" if pd.isna(row.first_date) else f" · earliest source {row.first_date:%Y}"
                st.markdown(
                    f"**{ui.md(row.name)}** ({ui.md(row.agency_kind)}, {ui.md(row.state)}) · "
                    f"{ui.status_badge(row.status)} {documented.when(row.last_documented)} · {ui.md(row.products)} · "
                    f"{int(row.evidence_count)} evidence row(s){since}"
                )
                st.caption(ui.md(row.placement))
                st.page_link(
                    "app_pages/agency.py", label="Evidence and sources", query_params={"agency": row.agency_id}
                )
        if not found.empty:
            ui.downloads(found, "agencies", key="place_dl")
        asked = queries.place_requests(text, zip_place)
        if not asked.empty:
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
        if zip_place:
            ui.show_policies(
                queries.zip_policies(zip_place["city"], zip_place["county"], zip_place["state"]),
                "Local and state policies",
            )
        elif known_place:
            ui.show_policies(queries.policies_matching(text), "Local and state policies")
        ui.status_legend()

        # Evidence first, then every other registry agency of the place: no evidence is a reason to ask.
        names = dict(zip(found["agency_id"], found["name"])) if not found.empty else {}
        if known_place:
            others = queries.place_agencies(text, zip_place)
            names |= {
                a: f"{n} ({s}, no evidence on record)"
                for a, n, s in zip(others["agency_id"], others["name"], others["state"])
                if a not in names
            }
        if not names:
            ui.set_params(agency=None)
        else:
            st.header("What you can do: ask for the records")
            wanted = st.query_params.get("agency")
            ui.seed_state("letter_agency", wanted if wanted in names else next(iter(names)))
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
