"""Local and state actions on facial recognition -> core.policies, with corrections applied.

The compiled table has known doubts (a bill only introduced, a copied date, a narrower scope):
data/corrections.csv carries them, and each one shows beside its row instead of being hidden.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from ingest import raw
from ingest.db import insert_frame
from rules import dates


def corrections(con: duckdb.DuckDBPyConnection, source_id: str) -> dict[str, list[dict]]:
    """Rows of data/corrections.csv (loaded into raw like any source) for one source, by record key."""
    out: dict[str, list[dict]] = {}
    # A constant list of source ids lets DuckDB skip every other source's row groups: raw.records holds a
    # million rows at scale, and this runs once per kind of correction.
    ids = raw.platform_sources(con, "corrections")
    for (record,) in con.execute(
        """SELECT record::VARCHAR FROM raw.records
               WHERE list_contains(?, source_id) AND record->>'source_id' = ? ORDER BY record_id""",
        [ids, source_id],
    ).fetchall():
        row = {k: (v or "") for k, v in json.loads(record).items()}
        out.setdefault(row["record_key"], []).append(row)
    return out


def split_jurisdiction(text: str, states: dict[str, str]) -> tuple[str, str | None, str | None]:
    """'Boston, Massachusetts' -> ('city', 'Boston', 'MA'); 'California' -> ('state', None, 'CA')."""
    place, _, state_name = text.rpartition(",")
    if not place:
        return "state", None, states.get(text.strip().lower())
    place, state = place.strip(), states.get(state_name.strip().lower())
    if place.lower().endswith(" county"):
        return "county", place, state
    if "area" in place.lower().split():
        return "regional", place, state
    return "city", place, state


def run(con: duckdb.DuckDBPyConnection) -> None:
    states = {name.lower(): abbr for abbr, name in con.execute("SELECT state, state_name FROM core.states").fetchall()}
    rows = con.execute(
        """SELECT r.record_id, r.source_id, r.record->>'jurisdiction', r.record->>'date_of_action',
                  r.record->>'stance_link_text', r.record->>'stance_plain', r.record->>'source_url'
           FROM raw.records r WHERE list_contains(?, r.source_id)
           ORDER BY r.record_id""",
        [raw.platform_sources(con, "fr_bans")],
    ).fetchall()
    fixes_by_source: dict[str, dict] = {}
    policies = []
    for record_id, source_id, jurisdiction, date_text, stance, description, url in rows:
        fixes = fixes_by_source.setdefault(source_id, corrections(con, source_id)).get(jurisdiction, [])
        level, place, state = split_jurisdiction(jurisdiction, states)
        when, _ = dates.parse(date_text)
        caveats, caveat_sources = [], []
        for fix in fixes:
            if fix["action"] == "replace" and fix["field"] == "stance":
                stance = fix["value"]
            caveats.append(fix["note"])
            caveat_sources.append(fix["source"])
        policies.append(
            {
                "policy_id": f"{source_id}:{record_id}",
                "jurisdiction": jurisdiction,
                "jurisdiction_level": level,
                "place_name": place,
                "state": state,
                "stance": (stance.strip()[:1].upper() + stance.strip()[1:]) if stance else "Unknown",
                "description": description,
                "action_date": when,
                "date_text": date_text,
                "source_url": url,
                "caveat": " ".join(caveats) or None,
                "caveat_source": " ".join(caveat_sources) or None,
                "latitude": None,
                "longitude": None,
                "raw_record_id": record_id,
            }
        )
    insert_frame(con, "core.policies", pd.DataFrame(policies))
    con.execute(
        """
        UPDATE core.policies AS p SET latitude = pl.latitude, longitude = pl.longitude
        FROM (SELECT * FROM core.places
              QUALIFY row_number() OVER (PARTITION BY kind, state, lower(name) ORDER BY full_name LIKE '% CDP', geoid) = 1) pl
        WHERE pl.state = p.state AND lower(pl.name) = lower(p.place_name)
          AND pl.kind = CASE p.jurisdiction_level WHEN 'county' THEN 'county' ELSE 'place' END
        """
    )
