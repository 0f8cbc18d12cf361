"""What this is, for whom, what the statuses mean, and what the data cannot tell you."""

import streamlit as st

from dashboard import queries, ui

st.title("About Who's Watching")
st.markdown("""
**Who's Watching** answers one question: *which local agencies used or trialled facial-recognition products,
and what is the public evidence?* It is built for citizens, council members and reporters.

Every point and line traces back: agency → claim → evidence → raw source record (its file's URL, retrieval date
and sha256). Where the evidence is thin we say *unconfirmed*; where it conflicts we show both sides.

**What the data cannot tell you.** The Atlas of Surveillance says an agency missing from its map has most likely not
been researched yet, and that listed technology may have been abandoned since. An empty map area is not evidence
of absence. The bundled data is the 2020 Atlas export plus an excerpt of today's, federal awards to 2026, and a 2021 compilation of local policies: see Sources for each one's date and caveats.
""")
if ui.guard_database():
    st.subheader("Statuses")
    for row in queries.status_ladder().itertuples():
        st.markdown(f"- {ui.status_badge(row.status)}: {ui.md(row.definition)}")
