"""Public-records laws -> core.records_laws, with data/corrections.csv applied and marked.

The compiled table never says whether its days are business or calendar days, so day_type is
'unknown' unless a correction with a source says otherwise."""
from __future__ import annotations

import duckdb
import pandas as pd

from ingest.db import insert_frame
from ingest.transform.policies import corrections


def run(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        """SELECT r.record_id, r.source_id, upper(r.record->>'state'), r.record->>'name', r.record->>'abbr',
                  NULLIF(trim(r.record->>'statute'), ''), NULLIF(trim(r.record->>'responseWithinDays'), ''),
                  r.record->>'rcGuideUrl'
           FROM raw.records r JOIN meta.sources s USING (source_id) WHERE s.platform = 'public_records_laws'
           ORDER BY r.record_id""").fetchall()
    laws = []
    for record_id, source_id, state, name, abbr, statute, days, guide in rows:
        values = {"responseWithinDays": days, "day_type": "unknown", "statute": statute}
        notes = []
        for fix in corrections(con, source_id).get(state.lower(), []):
            if fix["action"] == "replace":
                values[fix["field"]] = fix["value"]
            notes.append(f"{fix['note']} ({fix['source']})")
        laws.append({"state": state, "law_name": name, "abbreviation": abbr or None, "statute": values["statute"],
                     "response_days": int(values["responseWithinDays"]) if values["responseWithinDays"] else None,
                     "day_type": values["day_type"], "guide_url": guide, "caveat": " ".join(notes) or None,
                     "raw_record_id": record_id})
    insert_frame(con, "core.records_laws", pd.DataFrame(laws))
