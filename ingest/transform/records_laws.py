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

from ingest import raw
from ingest.db import insert_frame
from ingest.transform.policies import corrections

DAY_TYPES = ("business", "calendar", "unknown", "none")


def check(values: dict) -> str | None:
    """Why a law's corrected values cannot stand together, or None."""
    day_type = values["day_type"] or "unknown"
    if day_type not in DAY_TYPES:
        return f"day_type {day_type!r} is not one of {', '.join(DAY_TYPES)}"
    days = values["responseWithinDays"]
    if days and not str(days).isdigit():
        return f"response days {days!r} is not a whole number"
    if day_type == "none" and days:
        return f"day_type 'none' but {days} response days"
    return None


def run(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        """SELECT r.record_id, r.source_id, upper(r.record->>'state'), r.record->>'name', r.record->>'abbr',
                  NULLIF(trim(r.record->>'statute'), ''), NULLIF(trim(r.record->>'responseWithinDays'), ''),
                  r.record->>'rcGuideUrl'
           FROM raw.records r WHERE list_contains(?, r.source_id)
           ORDER BY r.record_id""",
        [raw.platform_sources(con, "public_records_laws")],
    ).fetchall()
    laws, rejected, fixes_by_source = [], [], {}
    for record_id, source_id, state, name, abbr, statute, days, guide in rows:
        values = {
            "law_name": name,
            "responseWithinDays": days,
            "day_type": "unknown",
            "statute": statute,
            "deadline_note": None,
        }
        notes = []
        fixes = fixes_by_source.setdefault(source_id, corrections(con, source_id)).get(state.lower(), [])
        for fix in fixes:
            if fix["action"] == "replace":
                values[fix["field"]] = fix["value"].strip() or None
            notes.append(f"{fix['note']} ({fix['source']})")
        problem = check(values)
        if problem:
            # A correction that contradicts itself is not applied: the compiled row stands, and the
            # correction waits in the quarantine with the reason, as any malformed row would.
            rejected.append(
                (
                    "corrections",
                    None,
                    None,
                    record_id,
                    f"records law {state}: {problem}; its corrections were not applied",
                    "; ".join(notes),
                )
            )
            values = {
                "law_name": name,
                "responseWithinDays": days,
                "day_type": "unknown",
                "statute": statute,
                "deadline_note": None,
            }
            notes = []
        response_days = int(values["responseWithinDays"]) if values["responseWithinDays"] else None
        laws.append(
            {
                "state": state,
                "law_name": values["law_name"] or name,
                "abbreviation": abbr or None,
                "statute": values["statute"],
                "response_days": response_days,
                "day_type": values["day_type"] or "unknown",
                "guide_url": guide,
                "caveat": " ".join(notes) or None,
                "raw_record_id": record_id,
                "deadline_note": values["deadline_note"],
            }
        )
    insert_frame(
        con,
        "core.quarantine",
        pd.DataFrame(
            rejected, columns=["source_id", "raw_file_id", "row_number", "raw_record_id", "reason", "raw_text"]
        )
        if rejected
        else None,
    )
    insert_frame(con, "core.records_laws", pd.DataFrame(laws))
