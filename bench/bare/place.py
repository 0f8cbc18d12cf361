"""Bare place: a search box, a sentence and a table of 20 rows."""

import pandas as pd
import streamlit as st

st.title("Place")
typed = st.text_input("City, county, state or ZIP", value=st.query_params.get("q", ""))
st.markdown(f"**20 agencies** match {typed!r}.")
st.dataframe(pd.DataFrame({"agency": [f"Agency {i}" for i in range(20)], "status": ["used"] * 20}))
