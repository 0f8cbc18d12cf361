"""My records requests: what was sent, to whom, and when each answer is due under its state's law."""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import queries, tracker, ui
from dashboard.documents.letter import law_from_row

st.title("My records requests")
st.caption(
    "Requests you have sent, kept on this machine only. Due dates follow each state's law as our table "
    "gives it (business days skip weekends and holidays); check them against the linked guide."
)
SINGLE_USER = (
    "This dashboard is single-user: the requests you track are stored on the machine that runs it, and anyone "
    "using this dashboard can see and change them. Download them to keep your own copy; upload it to restore them."
)
st.info(SINGLE_USER, icon=":material/group:")


def deadline_row(request: tracker.Request) -> dict:
    """Due date and explanation; a place with no law row gets a plain sentence, not a guess."""
    law = law_from_row(queries.records_law(request.state), request.state)
    if law is None:
        return {
            "due": None,
            "overdue": False,
            "deadline": f"No deadline is known for {request.state or 'this place'}: we have no public-records "
            "law on file for it. Ask the agency for an acknowledgement and an estimated date.",
        }
    deadline = law.deadline(request.sent)
    due = deadline.due or deadline.latest
    overdue = due is not None and due < date.today() and request.status in ("sent", "acknowledged")
    return {"due": due, "overdue": overdue, "deadline": deadline.explanation}


def own_copy(requests: list[tracker.Request]) -> None:
    """Download the list as JSON, and restore it from such a file: a visitor keeps their own copy."""
    with st.expander("Keep your own copy: download or restore your requests (JSON)"):
        st.download_button(
            "Download my requests (JSON)",
            tracker.export_json(requests),
            file_name="my-requests.json",
            mime="application/json",
            key="requests_json_dl",
            disabled=not requests,
        )
        upload = st.file_uploader("A requests file downloaded from this page", type=["json"], key="requests_restore")
        replace = upload is not None and st.button(
            "Replace the tracked requests with this file", key="requests_replace"
        )
    # Said outside the expander, so the sentence stays in sight if the expander is closed.
    if replace:
        try:
            restored = tracker.import_json(upload.getvalue())
            tracker.replace_all(restored)
        except ValueError as exc:
            st.error(ui.md(f"The requests were not restored: {exc}."))
        else:
            st.session_state["requests_restored"] = len(restored)
            st.rerun()
    restored = st.session_state.pop("requests_restored", None)
    if restored is not None:
        st.success(f"Restored {restored} request(s) from the file.")


def show_kept_aside() -> None:
    for aside in tracker.kept_aside():
        st.warning(
            ui.md(
                f"A damaged copy of your requests file is kept aside at {aside}. Open it to copy back "
                "anything you need; delete it to remove this note."
            ),
            icon=":material/warning:",
        )


if ui.guard_database():
    loaded = tracker.load_checked()
    if loaded.problem:
        st.error(ui.md(loaded.problem))  # it quotes the file: text, not markup
    show_kept_aside()
    requests = loaded.items
    own_copy(requests)
    if not requests:
        st.info("No requests tracked yet. Write one from the Place page, send it, then track it there.")
    rows = [
        {"agency": r.agency_name, "state": r.state, "sent": r.sent, "status": r.status, **deadline_row(r)}
        for r in requests
    ]
    if rows:
        table = pd.DataFrame(rows)[["agency", "state", "sent", "status", "due", "overdue", "deadline"]]
        st.dataframe(table, hide_index=True)
        lawless = sorted({r.state or "an unknown place" for r in requests if queries.records_law(r.state) is None})
        if lawless:
            st.info(
                ui.md(
                    f"No deadline is known for {', '.join(lawless)}: we have no public-records law on file "
                    "there, so no due date is shown. Ask the agency for an acknowledgement and an estimated "
                    "date."
                ),
                icon=":material/event_busy:",
            )
        ui.downloads(table, "my-requests", key="requests_dl")
        with st.container(horizontal=True):
            index = st.selectbox("Request", range(len(requests)), format_func=lambda i: requests[i].agency_name)
            status = st.selectbox("New status", tracker.STATUSES)
            if st.button("Update"):
                try:
                    tracker.update(index, status)
                    st.rerun()
                except ValueError as exc:
                    st.error(ui.md(f"The request was not updated: {exc}."))
