"""raw -> core for eff_border_communities_2020: its rows restated in the Atlas's columns, so that the Atlas
transform reads the face-recognition rows as evidence and coverage the others, each by its one set of rules.

Scaffolded by `python -m ingest new-source`; runs in ORDER (ingest/transform/__init__.py) before the Atlas.
"""

from __future__ import annotations

import duckdb

from ingest.sources import eff_border_communities as source
from ingest.transform import atlas_layout


def run(con: duckdb.DuckDBPyConnection) -> None:
    atlas_layout.stage(con, "eff_border_communities", source.ATLAS_COLUMNS, source.FACE_RECOGNITION)
