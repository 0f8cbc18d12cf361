"""Which registry agencies a research source covered at all (the full Atlas export and the EFF datasets
restated in its columns -> core.research).

Only exact rules place a name (rules/matching.py); an agency the matcher cannot place is simply not
counted as researched, which errs towards 'not researched' rather than a false 'nothing found'."""

from __future__ import annotations

import duckdb
import pandas as pd

from ingest import raw
from ingest.db import insert_frame
from ingest.sources.atlas import FACE_RECOGNITION
from ingest.transform import atlas_layout
from rules.matching import Matcher


def run(con: duckdb.DuckDBPyConnection, matcher: Matcher, state_names: dict[str, str]) -> None:
    rows = con.execute(
        """SELECT r.record_id, r.source_id, trim(r.record->>'Agency'), upper(trim(r.record->>'State')),
                  trim(r.record->>'City'), r.record->>'Technology'
           FROM (SELECT record_id, source_id, record FROM raw.records WHERE list_contains(?, source_id)
                 -- the EFF datasets in other layouts, restated in the Atlas's columns (atlas_layout.py)
                 UNION ALL SELECT record_id, source_id, record FROM """
        + atlas_layout.ensure(con)
        + """) r
           WHERE r.record->>'Technology' <> ?
           ORDER BY r.record_id""",
        [raw.platform_sources(con, "atlas_coverage"), FACE_RECOGNITION],
    ).fetchall()
    if not rows:
        return
    found = matcher.match_many([(name, state, city, state_names.get(state)) for _, _, name, state, city, _ in rows])
    research = [
        {"agency_id": m.agency_id, "source_id": r[1], "technologies": [r[5]], "raw_record_id": r[0]}
        for r, m in zip(rows, found)
        if m.status == "matched" and m.method != "spelling"
    ]
    insert_frame(con, "core.research", pd.DataFrame(research))
