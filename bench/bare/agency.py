"""Bare agency: a heading, lines of text and an expander."""

import streamlit as st

st.title("Agency")
st.subheader("Claims")
for i in range(5):
    st.markdown(f"- **used**, last documented 2020 · Product {i} · 1 evidence row")
st.subheader("Evidence timeline")
for i in range(5):
    with st.container(border=True):
        st.markdown(f"**earliest source 2020-01-0{i + 1}** · used · Product {i} · source")
        with st.expander("Raw source record"):
            st.code("{}", language="json")
