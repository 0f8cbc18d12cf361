"""The public pages: one HTML rendering of the public facts (the map, a state, a place, an agency, search),
baked into a static site by `python -m ingest site --out DIR` and shown by the dashboard through st.html."""
