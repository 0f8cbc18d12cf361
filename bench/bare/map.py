"""Bare map, as issue #17 defines the floor: a title, a Plotly geo chart of 372 points over the US (outlines from
our own static folder) and a table of those rows."""

import random

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

rng = random.Random(7)
lat = [rng.uniform(25, 48) for _ in range(372)]
lon = [rng.uniform(-123, -70) for _ in range(372)]
st.title("Map")
figure = go.Figure(go.Scattergeo(lat=lat, lon=lon, mode="markers", text=[f"point {i}" for i in range(372)]))
figure.update_geos(scope="usa")
figure.update_layout(height=600, margin={"l": 0, "r": 0, "t": 0, "b": 0})
st.plotly_chart(figure, config={"topojsonURL": "/app/static/topojson/", "displaylogo": False})
st.dataframe(pd.DataFrame({"agency": [f"Agency {i}" for i in range(372)], "latitude": lat, "longitude": lon}))
