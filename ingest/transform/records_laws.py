"""Public-records laws -> core.records_laws, with data/corrections.csv applied and marked.

The compiled table never says whether its days are business or calendar days, so day_type is
'unknown' unless a correction with a source says otherwise. A correction may also set day_type
to 'none' (a source says the law sets no fixed number of days), deadline_note (what the law says
about timing, in its own words, for the request letter) and law_name (where the table misnames
it). Every correction's note and source URL go into the row's caveat, so each fact can be checked
where it came from."""
from __future__ import annotations

import duckdb
import pandas as pd

from ingest.db import insert_frame
from ingest.transform.policies import corrections

DAY_TYPES = ("business", "calendar", "unknown", "none")


def run(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        """SELECT r.record_id, r.source_id, upper(r.record->>'state'), r.record->>'name', r.record->>'abbr',
                  NULLIF(trim(r.record->>'statute'), ''), NULLIF(trim(r.record->>'responseWithinDays'), ''),
                  r.record->>'rcGuideUrl'
           FROM raw.records r JOIN meta.sources s USING (source_id) WHERE s.platform = 'public_records_laws'
           ORDER BY r.record_id""").fetchall()
    laws = []
    for record_id, source_id, state, name, abbr, statute, days, guide in rows:
        values = {"law_name": name, "responseWithinDays": days, "day_type": "unknown", "statute": statute,
                  "deadline_note": None}
        notes = []
        for fix in corrections(con, source_id).get(state.lower(), []):
            if fix["action"] == "replace":
                values[fix["field"]] = fix["value"].strip() or None
            notes.append(f"{fix['note']} ({fix['source']})")
        day_type = values["day_type"] or "unknown"
        if day_type not in DAY_TYPES:
            raise ValueError(f"records law {state}: day_type {day_type!r} is not one of {DAY_TYPES}")
        response_days = int(values["responseWithinDays"]) if values["responseWithinDays"] else None
        if day_type == "none" and response_days is not None:
            raise ValueError(f"records law {state}: day_type 'none' but {response_days} response days")
        laws.append({"state": state, "law_name": values["law_name"] or name, "abbreviation": abbr or None, "statute": values["statute"],
                     "response_days": response_days, "day_type": day_type, "guide_url": guide,
                     "caveat": " ".join(notes) or None, "raw_record_id": record_id,
                     "deadline_note": values["deadline_note"]})
    insert_frame(con, "core.records_laws", pd.DataFrame(laws))
