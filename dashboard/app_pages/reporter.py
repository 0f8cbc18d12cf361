"""A reporter's workbench: load a leaked list, match it to real agencies, review the doubtful
matches, and see where the leak and the public record disagree."""

import pandas as pd
import streamlit as st

from dashboard import data, queries, ui, workbench
from ingest import settings
from rules import textfile


def read_once(uploaded) -> workbench.Upload:
    """The upload read, redacted and cut once per file, not on every click: a rerun finds it in the session,
    which keeps only the one file on screen (a new upload replaces it). A file that cannot be read keeps its
    sentence the same way."""
    held = st.session_state.get("leak_read")
    if held is None or held[0] != uploaded.file_id:
        for key in [k for k in st.session_state if str(k).startswith("decisions_")]:
            del st.session_state[key]  # the review decisions of the file this one replaces
        try:
            held = (uploaded.file_id, workbench.read_upload(uploaded.name, uploaded.getvalue()))
        except workbench.UploadError as exc:
            held = (uploaded.file_id, exc)
        st.session_state["leak_read"] = held
    if isinstance(held[1], workbench.UploadError):
        raise held[1]
    return held[1]


def match_once(upload: workbench.Upload, matcher, state_names, *columns) -> pd.DataFrame:
    """Matching is the upload's other heavy step: kept for one file and one choice of columns (a copy is
    handed out, since the review below writes into it)."""
    key = (upload.sha256, *columns)
    held = st.session_state.get("leak_matched")
    if held is None or held[0] != key:
        held = (key, workbench.match(upload.frame, matcher, state_names, *columns))
        st.session_state["leak_matched"] = held
    return held[1].copy()


st.title("Leak workbench")
st.caption(
    "Upload a list of agencies (CSV or XLSX), match it to the registry, and compare it with the public "
    "record. The file stays on this machine; personal data (emails, phone numbers, staff names) is "
    "redacted before anything is shown, and nothing is kept unless you ask."
)

if ui.guard_database():
    uploaded = st.file_uploader(
        "Leaked or obtained list", type=["csv", "xlsx", "txt"], key="leak_file", max_upload_size=textfile.UPLOAD_MAX_MB
    )
    if uploaded is None:
        st.session_state.pop("leak_read", None)  # nothing on screen: keep nothing of the last file
        st.session_state.pop("leak_matched", None)
        st.info(
            "Upload a file to start. It needs a column with agency names; state and city columns help. "
            f"Files up to {textfile.UPLOAD_MAX_MB} MB and {workbench.MAX_ROWS:,} rows; cells longer than "
            f"{textfile.CELL_MAX:,} characters are cut, and the page says so."
        )
        st.stop()
    try:
        upload = read_once(uploaded)
    except workbench.UploadError as exc:
        st.error(ui.md(str(exc)))  # the message names the file: its name is text from the visitor
        st.stop()
    st.markdown(
        f"**{ui.md(uploaded.name)}**: {len(upload.frame):,} rows, {len(upload.frame.columns)} columns · "
        f"sha256 `{upload.sha256[:16]}…`"
    )
    for note in upload.notes:
        st.caption(ui.md(note))  # notes quote the file's column names: shown as text

    columns = list(upload.frame.columns)
    none = "(none)"
    with st.container(horizontal=True):
        name_col = st.selectbox(
            "Agency name column",
            columns,
            key="leak_name",
            index=columns.index(
                workbench.guess_column(columns, "agency", "name", "organization", "entity") or columns[0]
            ),
        )
        state_col = st.selectbox(
            "State column",
            [none, *columns],
            key="leak_state",
            index=([none, *columns].index(workbench.guess_column(columns, "state") or none)),
        )
        city_col = st.selectbox(
            "City column",
            [none, *columns],
            key="leak_city",
            index=([none, *columns].index(workbench.guess_column(columns, "city") or none)),
        )
    matcher, state_names = data.matcher()
    matched = match_once(
        upload,
        matcher,
        state_names,
        name_col,
        None if state_col == none else state_col,
        None if city_col == none else city_col,
    )

    counts = matched["status"].value_counts()
    with st.container(horizontal=True):
        st.metric("Matched", int(counts.get("matched", 0)))
        st.metric("To review (ambiguous)", int(counts.get("ambiguous", 0)))
        st.metric("Unmatched", int(counts.get("unmatched", 0)))

    decisions = st.session_state.setdefault(f"decisions_{upload.sha256}", {})
    queue = matched[(matched["status"] == "ambiguous") | (matched["method"] == "spelling")]
    if not queue.empty:
        st.subheader(f"Review queue ({len(queue)})")
        st.caption("A match is never guessed: pick the right agency or reject the row.")
        for index, row in queue.head(50).iterrows():
            options = ["reject"] + (
                list(row["candidates"])
                if row["status"] == "ambiguous"
                else [
                    f"{matcher.agencies[row['agency_id']].name} ({row['agency_id']}, "
                    f"{matcher.agencies[row['agency_id']].state})"
                ]
            )
            where = f" ({ui.md(row[state_col])})" if state_col != none else ""
            choice = st.radio(
                f"“{ui.md(row[name_col])}”{where}",
                options,
                index=options.index(decisions[index])
                if decisions.get(index) in options
                else (1 if row["status"] == "matched" else 0),
                key=f"review_{upload.sha256}_{index}",
                horizontal=True,
            )
            decisions[index] = choice
        for index, choice in decisions.items():
            if index in matched.index:
                matched.at[index, "agency_id"] = None if choice == "reject" else workbench.candidate_id(choice)
                matched.at[index, "status"] = "rejected" if choice == "reject" else "matched"

    ids = sorted(matched.loc[matched["status"] == "matched", "agency_id"].dropna().unique().tolist())
    # Asked even when nothing matched: the empty answer has the columns the tabs below read.
    record = queries.record_for_agencies(ids)
    record["a_source"] = ui.http_only(record["a_source"])
    st.subheader("Where the leak meets the public record")
    tabs = st.tabs(
        [
            "In the leak, no procurement on record",
            "Denied, yet in the leak",
            "Procured, absent from records responses",
            "All matched",
        ]
    )
    with tabs[0]:
        rows = record[~record["procured"]]
        st.caption(
            "Listed in the leak, but no contract, purchase order or payment is in our data: ask how it "
            "was obtained (a free trial? another agency's account?)."
        )
        st.dataframe(
            rows[["name", "state", "agency_kind", "statuses", "evidence_count", "a_source"]],
            hide_index=True,
            column_config={"a_source": st.column_config.LinkColumn("a source")},
        )
    with tabs[1]:
        rows = record[record["denied"]]
        st.caption(
            "The agency has denied use on the record, and the leak lists it: both are shown, neither settles it."
        )
        if rows.empty:
            st.info("No agency in this list has a denial on record in our data.")
        st.dataframe(
            rows[["name", "state", "statuses", "a_source"]],
            hide_index=True,
            column_config={"a_source": st.column_config.LinkColumn("a source")},
        )
    with tabs[2]:
        gaps = queries.request_gaps_for(ids) if ids else pd.DataFrame()
        st.caption(
            "Evidence says the agency bought or used a product; its answer to a records request about face "
            "recognition or that vendor (filed after the evidence's date) was no documents, a refusal, or "
            "released pages that never name the vendor. Both sides are linked; each row is a question."
        )
        if not queries.has_records_requests():
            st.info(
                "No records-request responses (MuckRock) are in this database yet: `python -m ingest run "
                "muckrock` fetches them. The comparison is left empty rather than guessed."
            )
        elif gaps.empty:
            st.info("No agency in this list has a records-request answer that disagrees with its evidence.")
        else:
            gaps["a_source"], gaps["request_url"] = ui.http_only(gaps["a_source"]), ui.http_only(gaps["request_url"])
            st.dataframe(
                gaps.drop(columns=["agency_id"]),
                hide_index=True,
                column_config={
                    "a_source": st.column_config.LinkColumn("evidence"),
                    "request_url": st.column_config.LinkColumn("records request"),
                },
            )
            ui.downloads(gaps, "leak-request-gaps", key="gaps_dl")
    with tabs[3]:
        table = matched.drop(columns=["candidates"])
        st.dataframe(table, hide_index=True)
        ui.downloads(table, "leak-matched", key="leak_dl")

    keep = st.checkbox("Keep this (redacted) upload on this machine", key="leak_keep")
    if keep:
        path = workbench.save_upload(upload, settings.uploads_dir())
        shown = path.relative_to(settings.ROOT) if path.is_relative_to(settings.ROOT) else path
        # A path is text: its underscores must not turn into italics.
        st.caption(f"Saved to {ui.md(str(shown))} (redacted).")
