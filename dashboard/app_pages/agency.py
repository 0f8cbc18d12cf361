"""One agency: its claims, the evidence timeline, each row's sources and the raw record behind it."""

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import queries, ui
from public.render import Links
from rules import documented


def show_vendor_disagreement(sides: pd.DataFrame) -> None:
    """One source row whose Vendor field and text name different vendors: each side with the claim its own words
    give, neither in place of the other."""
    first = sides.iloc[0]
    st.subheader("The source's Vendor field and its text name different vendors")
    st.caption(
        "Each vendor's claim is read from the words about it: the text speaks for the vendors it names, and a "
        "vendor only the Vendor field gives is kept as the source's other word (listed). Both are shown."
    )
    left, right = st.columns(2)
    for column, side, title, said in (
        (left, "vendor field", "Its Vendor field", ui.md(ui.text(first.vendor_field) or "(empty)")),
        (right, "summary", "Its text", "> " + ui.md(first.summary, lines=True)),
    ):
        with column:
            st.markdown(f"**{title}**")
            st.markdown(said)
            for row in sides[sides["side"] == side].itertuples():
                st.markdown(f"- {ui.status_badge(row.kind)} **{ui.md(row.vendor)}**: {ui.md(row.kind_reason)}")
    st.caption(
        f"From {ui.md(first.source)} ({ui.md(first.license)}): "
        + ui.link(ui.text(first.source_name) or "the source", first.source_url)
    )


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
        st.title(ui.md(record["name"]))
        where = ", ".join(str(v) for v in (record["city"], record["county"], record["state"]) if v and not pd.isna(v))
        st.markdown(
            f"{ui.md(record['agency_kind'])} agency · {ui.md(where or 'location unknown')} · "
            f"{ui.md(record['placement'])} · map position: {ui.md(record['location_note'])}"
        )

        site = Links.published()
        ui.public_page_link(site and site.agency(agency_id), "This agency's page")
        covered = queries.agency_coverage(agency_id)
        if covered:
            st.caption(
                f"Research status: {ui.md(covered['research_status'])}"
                + (
                    f" (the Atlas lists: {ui.md(', '.join(covered['technologies']))})"
                    if covered["research_status"].startswith("researched")
                    else ""
                )
                + (
                    f" · {covered['records_requests']} records request(s) about facial recognition"
                    if covered["records_requests"]
                    else ""
                )
            )
        claims = queries.agency_claims(agency_id)
        st.subheader("Claims")
        for claim in claims.itertuples():
            line = (
                f"{ui.status_badge(claim.status)} {documented.when(claim.last_documented)} · "
                f"**{ui.md(claim.product)}** · {claim.evidence_count} evidence row(s)"
            )
            if claim.contested:
                line += " · :red[contested: a denial stands beside other evidence]"
            st.markdown(line)
        ui.status_legend()
        for doc in queries.shared_documents(agency_id, documented.MANY_ROWS).itertuples():
            system = documented.named_system(doc.summaries)
            st.info(
                f"One document stands behind {doc.evidence_rows} evidence rows for {doc.agencies} agencies, "
                f"this one among them: {ui.md(ui.text(doc.source_name) or 'a source')}"
                + ("" if pd.isna(doc.first_date) else f", {doc.first_date:%Y}")
                + (f", about the {ui.md(system)}" if system else "")
                + f". It is one source, not {doc.evidence_rows}: "
                + ui.link("the document", doc.source_url)
            )

        flags = queries.agency_flags(agency_id)
        if not flags.empty:
            st.subheader("Questions this record raises")
            st.caption("Flags are questions for a hearing, never verdicts.")
            for flag in flags.itertuples():
                cites = " · ".join(
                    ui.link(label, url)
                    for label, url in (
                        ("evidence", flag.source_url),
                        ("policy", flag.policy_url),
                        ("records request", flag.request_url),
                    )
                    if ui.text(url)
                )
                st.markdown(f"- {ui.md(flag.question)} {cites}")

        asked = queries.agency_requests(agency_id)
        if not asked.empty:
            st.subheader(f"Records requests about facial recognition ({len(asked)})")
            st.caption(
                "Someone asked this agency for records (MuckRock). A request shows that someone asked, never "
                "that the agency used anything; what its released pages say is in the evidence below."
            )
            for req in asked.itertuples():
                when = "" if pd.isna(req.submitted_on) else f" · filed {req.submitted_on:%Y-%m-%d}"
                done = "" if pd.isna(req.done_on) else f" · closed {req.done_on:%Y-%m-%d}"
                read = 0 if pd.isna(req.pages_read) else int(req.pages_read)
                pages = f" · {read} released page(s) read" if read else ""
                st.markdown(f"- **{ui.md(req.outcome)}**{when}{done}{pages} · {ui.link(req.title, req.url)}")

        fixes = queries.corrections_for(agency_id)
        for fix in fixes.itertuples():
            st.warning(
                f"Correction ({ui.md(fix.dated)}): {ui.md(fix.field)} of {ui.md(fix.evidence_id)} changed from "
                f"{ui.md(fix.old_value)} to {ui.md(fix.new_value)}. {ui.md(fix.note)} "
                + ui.link("source", fix.source_url)
            )
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
                for c in claims.itertuples()
            )
            st.code(
                f"Correction request: {record['name']} ({agency_id})\n\nClaims concerned:\n{claim_lines}\n\n"
                "What is wrong:\n[describe]\n\nWhat it should say:\n[describe]\n\n"
                "Source (a public document, a records response, an official statement):\n[link]\n\n"
                "Your name and role (kept private unless you agree):\n[name]\n",
                language="text",
            )

        ui.show_policies(queries.agency_policies(agency_id), "Policies covering this jurisdiction")

        evidence = queries.agency_evidence(agency_id)
        links = queries.evidence_links(evidence["evidence_id"].tolist())

        for claim in claims[claims["contested"]].itertuples():
            st.subheader(f"Conflicting evidence: {ui.md(claim.product)}")
            st.caption("A denial stands beside other evidence. Both are shown; neither is hidden.")
            own = evidence[evidence["product"] == claim.product]
            against, for_ = own[own["kind"] == "denied"], own[own["kind"] != "denied"]
            left, right = st.columns(2)
            for column, title, rows in (
                (left, "Says it was used or bought", for_),
                (right, "Says it was not", against),
            ):
                with column:
                    st.markdown(f"**{title}**")
                    for row in rows.itertuples():
                        st.markdown(
                            f"- {ui.md(row.kind)}: “{ui.md(row.summary)}” · "
                            + ui.link(ui.text(row.source_name) or row.source, row.source_url)
                        )
        for _, sides in queries.vendor_disagreements(agency_id).groupby("raw_record_id", sort=False):
            show_vendor_disagreement(sides)
        st.subheader(f"Evidence timeline ({len(evidence)})")
        ui.downloads(partial(queries.agency_evidence, agency_id), f"evidence-{agency_id}", key="agency_dl")
        for row in evidence.itertuples():
            with st.container(border=True):
                when = (
                    "undated"
                    if pd.isna(row.event_date)
                    else (f"{row.event_date:%Y}" if row.date_precision == "year" else f"{row.event_date:%Y-%m-%d}")
                )
                when = when if when == "undated" else f"{row.date_label} {when}"
                amount = "" if pd.isna(row.amount) else f" · ${row.amount:,.0f}"
                st.markdown(
                    f"**{ui.md(when)}** · {ui.md(row.kind)} · {ui.md(row.product)}{ui.md(amount)} · "
                    + ui.link(ui.text(row.source_name) or row.source, row.source_url)
                )
                if ui.text(row.summary):
                    st.markdown("> " + ui.md(row.summary, lines=True))
                st.caption(f"Why “{ui.md(row.kind)}”: {ui.md(row.kind_reason)}")
                own = links[links["evidence_id"] == row.evidence_id]
                if len(own) > 1:
                    st.markdown(
                        "Sources cited: "
                        + " · ".join(
                            ui.link(ui.text(link.source_name) or f"link {link.link_number}", link.url)
                            + ("" if pd.isna(link.link_date) else f" ({link.link_date:%Y-%m-%d})")
                            for link in own.itertuples()
                        )
                    )
                st.caption(f"From {ui.md(row.source)} ({ui.md(row.license)}).")
                with st.expander("Raw source record"):
                    ui.show_raw_record(row.raw_record_id)
