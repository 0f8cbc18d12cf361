"""Bare brief: a picker and lines of text."""

import streamlit as st

st.title("Hearing brief")
st.selectbox("State", ["FL", "CA", "TX"])
for i in range(30):
    st.markdown(f"{i + 1}. A line of the brief, with its citation.")
