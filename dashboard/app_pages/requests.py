"""My records requests: what was sent, to whom, and when each answer is due under its state's law."""
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import queries, ui
from dashboard.documents.letter import law_from_row
from ingest import tracker

st.title("My records requests")
st.caption("Requests you have sent, kept on this machine only. Due dates follow each state's law as our table "
           "gives it (business days skip weekends and holidays); check them against the linked guide.")

if ui.guard_database():
    requests = tracker.load()
    if not requests:
        st.info("No requests tracked yet. Write one from the Place page, send it, then track it there.")
    rows = []
    for i, r in enumerate(requests):
        law = law_from_row(queries.records_law(r.state), r.state)
        deadline = law.deadline(r.sent) if law else None
        due = deadline.due or (deadline.latest if deadline else None)
        overdue = due is not None and due < date.today() and r.status in ("sent", "acknowledged")
        rows.append({"agency": r.agency_name, "state": r.state, "sent": r.sent, "status": r.status,
                     "due": due, "overdue": overdue,
                     "deadline": deadline.explanation if deadline else "no law on file for this state"})
    if rows:
        table = pd.DataFrame(rows)
        st.dataframe(table, hide_index=True)
        ui.downloads(table, "my-requests", key="requests_dl")
        with st.container(horizontal=True):
            index = st.selectbox("Request", range(len(requests)), format_func=lambda i: requests[i].agency_name)
            status = st.selectbox("New status", tracker.STATUSES)
            if st.button("Update"):
                tracker.update(index, status)
                st.rerun()
