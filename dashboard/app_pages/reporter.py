"""A reporter's workbench: load a leaked list, match it to real agencies, review the doubtful
matches, and see where the leak and the public record disagree."""

import hashlib

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


REVIEW_PAGE = 25  # rows to review shown at once; the others keep their decisions


def evidence_counts(agency_ids: list[str]) -> dict[str, int]:
    """Evidence rows on record per agency, to rank the candidates a reviewer picks from."""
    if not agency_ids:
        return {}
    found = queries.record_for_agencies(sorted(set(agency_ids)))
    return dict(zip(found["agency_id"], found["evidence_count"].astype(int)))


def review_queue(upload, matched: pd.DataFrame, agencies: dict, name_col: str) -> pd.DataFrame:
    """One searchable picker per doubtful row, no decision made for it: a row stays "to review" until a person
    picks its agency or "none of these". Returns the export with every decision so far applied."""
    decisions = st.session_state.setdefault(f"decisions_{upload.sha256}", {})
    queue = matched[workbench.doubtful(matched)]
    if not queue.empty:
        st.subheader(f"Review: {len(queue):,} row{'s' if len(queue) != 1 else ''}")
        st.caption(
            "A match is never guessed: these rows fit several agencies, or one agency up to a spelling slip. Each "
            "stays “to review” until you pick its agency (type to search; the agencies in the row's state and "
            "those with the most evidence come first) or “None of these”. Decisions are kept for this file while "
            "the page is open."
        )
        total = len(queue)
        if total > REVIEW_PAGE:
            first = st.selectbox(
                "Rows to review",
                range(0, total, REVIEW_PAGE),
                format_func=lambda i: f"{i + 1:,}–{min(i + REVIEW_PAGE, total):,} of {total:,}",
                key=f"review_page_{upload.sha256}",
            )
            queue = queue.iloc[first : first + REVIEW_PAGE]
        candidates = {index: workbench.candidate_ids(row) for index, row in queue.iterrows()}
        evidence = evidence_counts([i for ids in candidates.values() for i in ids])
        for index, row in queue.iterrows():
            state = row["state_used"] or None
            options = [
                *workbench.rank_candidates(candidates[index], state, agencies, evidence),
                workbench.NONE_OF_THESE,
            ]
            current = decisions.get(index)
            # The options are part of the key: another choice of columns gives the row other candidates.
            digest = hashlib.sha256("|".join(options).encode()).hexdigest()[:12]
            choice = st.selectbox(
                ui.md(workbench.row_label(row["file_row"], row[workbench.in_table(name_col)], state or "")),
                options,
                index=options.index(current) if current in options else None,
                format_func=lambda i: workbench.candidate_label(i, agencies, evidence),
                placeholder="To review: type to search, or pick the agency",
                key=f"review_{upload.sha256}_{index}_{digest}",
            )
            if choice is None:
                decisions.pop(index, None)
            else:
                decisions[index] = choice
    return workbench.reviewed(matched, decisions, agencies)


def show_counts(where, table: pd.DataFrame) -> None:
    counted = workbench.counts(table)
    with where, st.container(horizontal=True):
        st.metric("Matched", counted[workbench.MATCHED])
        st.metric("To review", counted[workbench.TO_REVIEW])
        st.metric("Rejected by you", counted[workbench.REJECTED])
        st.metric("No match", counted[workbench.NO_MATCH])


def compare(table: pd.DataFrame, name_col: str) -> None:
    """Where the leak's matched rows meet the public record; rows to review, rejected or unmatched stay out."""
    ids = sorted(table.loc[table["status"] == workbench.MATCHED, "agency_id"].dropna().unique().tolist())
    # Asked even when nothing matched: the empty answers have the columns the tabs below read.
    record = queries.record_for_agencies(ids)
    claims = queries.claims_for_agencies(ids)
    record["a_source"] = ui.http_only(record["a_source"])
    dated = workbench.dated_statuses(claims)
    record["statuses"] = [dated.get(i, "no claim on record") for i in record["agency_id"]]
    st.subheader("Where the leak meets the public record")
    tabs = st.tabs(
        [
            "Claims of each matched row",
            "In the leak, no procurement on record",
            "Denied, yet in the leak",
            "Procured, absent from records responses",
            "Every row, reviewed",
        ]
    )
    with tabs[0]:
        st.caption(
            "Each matched row of the file beside its agency's claims: what the public record says, and when it "
            "was last documented. Rows to review are left out until you decide them."
        )
        rows = workbench.claims_by_row(table, name_col, claims)
        rows["a_source"] = ui.http_only(rows["a_source"])
        st.dataframe(
            rows,
            hide_index=True,
            column_config={
                # Widths in pixels, so that the status and its date fit beside the names on a laptop screen.
                "file_row": st.column_config.NumberColumn("row", width=45),
                "name in the file": st.column_config.TextColumn("name in the file", width=200),
                "agency_name": st.column_config.TextColumn("agency", width=200),
                "agency_state": st.column_config.TextColumn("state", width=45),
                "product": st.column_config.TextColumn("product", width=220),
                "status": st.column_config.TextColumn("status", width=125),
                "last documented": st.column_config.TextColumn("last documented", width=185),
                "contested": st.column_config.CheckboxColumn("contested", width=75),
                "evidence_count": st.column_config.NumberColumn("evidence rows", width=90),
                "agency_id": st.column_config.TextColumn("agency id", width=100),
                "a_source": st.column_config.LinkColumn("a source"),
            },
        )
    with tabs[1]:
        rows = record[~record["procured"]]
        st.caption(
            "Listed in the leak, but no contract, purchase order or payment is in our data: ask how it "
            "was obtained (a free trial? another agency's account?)."
        )
        st.dataframe(
            rows[["agency_id", "name", "state", "agency_kind", "statuses", "evidence_count", "a_source"]],
            hide_index=True,
            column_config={"a_source": st.column_config.LinkColumn("a source")},
        )
    with tabs[2]:
        rows = record[record["denied"]]
        st.caption(
            "The agency has denied use on the record, and the leak lists it: both are shown, neither settles it."
        )
        if rows.empty:
            st.info("No agency in this list has a denial on record in our data.")
        st.dataframe(
            rows[["agency_id", "name", "state", "statuses", "a_source"]],
            hide_index=True,
            column_config={"a_source": st.column_config.LinkColumn("a source")},
        )
    with tabs[3]:
        request_gaps(ids)
    with tabs[4]:
        st.caption(
            "Every row of the file with its status: matched (by a rule that names one agency, or by you), to "
            "review, rejected (by you) or no match, and the agency's id and name."
        )
        table = workbench.in_reading_order(table, name_col)
        st.dataframe(table, hide_index=True, column_config={"file_row": st.column_config.NumberColumn("row")})
        counted = workbench.counts(table)
        st.caption(
            f"The download holds {len(table):,} rows: " + ", ".join(f"{n:,} {s}" for s, n in counted.items()) + "."
        )
        ui.downloads(table, "leak-reviewed", key="leak_dl", what="Download the reviewed list as")


def request_gaps(ids: list[str]) -> None:
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
    summary = st.container()  # the counts, written after the review below is read so that they are current
    matched = match_once(
        upload,
        matcher,
        state_names,
        name_col,
        None if state_col == none else state_col,
        None if city_col == none else city_col,
    )

    table = review_queue(upload, matched, matcher.agencies, name_col)
    show_counts(summary, table)
    compare(table, name_col)

    keep = st.checkbox("Keep this (redacted) upload on this machine", key="leak_keep")
    if keep:
        path = workbench.save_upload(upload, settings.uploads_dir())
        shown = path.relative_to(settings.ROOT) if path.is_relative_to(settings.ROOT) else path
        # A path is text: its underscores must not turn into italics.
        st.caption(f"Saved to {ui.md(str(shown))} (redacted).")
