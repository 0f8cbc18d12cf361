"""One agency: its claims, the evidence timeline, each row's sources and the raw record behind it.

The facts are the public site's own page (public/render.py, one set of autoescaped templates), shown through
st.html, so the dashboard and the static site can never disagree; the tools around them (a correction request,
downloads, the raw records) are Streamlit's."""

from functools import partial

import streamlit as st

from dashboard import queries, ui
from public import render
from rules import documented


def correction_request(record: dict, agency_id: str) -> None:
    with st.expander("Something wrong here? Submit a correction or a statement"):
        st.markdown(
            "Agencies and anyone with records can correct a claim. Send the text below, with a link to "
            "your source, to the project's issue tracker or maintainers. A correction is applied at "
            "every build from `data/corrections.csv` and shown here; an agency's own statement "
            "(a denial, a confirmation, 'tests only') is added as evidence with its source, beside "
            "the rest, not in place of it."
        )
        claim_lines = "\n".join(
            f"- {c.product}: currently '{documented.status_with_date(c.status, c.last_documented)}'"
            for c in queries.agency_claims(agency_id).itertuples()
        )
        st.code(
            f"Correction request: {record['name']} ({agency_id})\n\nClaims concerned:\n{claim_lines}\n\n"
            "What is wrong:\n[describe]\n\nWhat it should say:\n[describe]\n\n"
            "Source (a public document, a records response, an official statement):\n[link]\n\n"
            "Your name and role (kept private unless you agree):\n[name]\n",
            language="text",
        )


def raw_records(agency_id: str) -> None:
    """Each evidence row's raw source record in full, redacted: the last link of every citation."""
    rows = queries.agency_evidence(agency_id)
    if rows.empty:
        return
    with st.expander(f"Raw source records ({len(rows)})"):
        labels = {
            int(r.raw_record_id): f"{r.product} · {r.kind} · raw record {int(r.raw_record_id)}"
            for r in rows.itertuples()
        }
        chosen = st.selectbox("Evidence row", list(labels), format_func=labels.get, key="raw_record")
        ui.show_raw_record(chosen)


if ui.guard_database():
    agency_id = st.query_params.get("agency", "")
    record = queries.agency(agency_id) if agency_id else None
    if record is None:
        st.title("Agency")
        st.info(
            "Choose an agency on the Map or Place page."
            if not agency_id
            else f"No agency with id “{ui.md(agency_id)}”."
        )
        st.page_link("app_pages/place.py", label="Look up a place")
    else:
        site = render.Links.published()
        ui.public_page_link(site and site.agency(agency_id), "This agency's page")
        st.html(render.agency_html(agency_id))
        correction_request(record, agency_id)
        ui.downloads(partial(queries.agency_evidence, agency_id), f"evidence-{agency_id}", key="agency_dl")
        raw_records(agency_id)
