"""raw -> core for federal_agencies_usaspending: the law-enforcement and homeland-security sub-tiers chosen in
ingest/sources/federal_agencies.py become registry agencies (registry 'federal', no state, not on the map), with
their names as aliases, so that a leak's "ICE" or an award's "U.S. Immigration and Customs Enforcement" is placed
on one agency. Runs before the Atlas and the live sources, whose matcher then finds them.

An agency's id is the one USAspending awards have always given it ("fed-" and the words of "sub-tier
(department)"), so evidence built before this source keeps its agency.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from ingest import raw
from ingest.db import insert_frame
from ingest.sources import federal_agencies as source

ROWS = """
SELECT r.record_id, r.source_id, trim(r.record->>'CGAC AGENCY CODE') AS cgac, trim(r.record->>'SUBTIER CODE') AS subtier,
       trim(r.record->>'AGENCY NAME') AS department, trim(r.record->>'SUBTIER NAME') AS name,
       nullif(trim(r.record->>'SUBTIER ABBREVIATION'), '') AS abbreviation, nullif(trim(r.record->>'WEBSITE'), '') AS website
FROM raw.records r
WHERE list_contains($sources, r.source_id)
ORDER BY r.record_id
"""


def agency_id(name: str, department: str) -> str:
    """The id USAspending evidence gives its awarding agency: 'fed-' and the words of 'sub-tier (department)'."""
    return "fed-" + re.sub(r"[^a-z0-9]+", "-", f"{name} ({department})".lower()).strip("-")


def names_of(name: str, abbreviation: str | None, others: tuple[str, ...]) -> list[str]:
    """The names one agency goes by: the list's own, with and without 'U.S.' or spelled 'United States', with
    its abbreviation in brackets, the abbreviation alone, and the common names chosen for it."""
    bare = name[len("U.S. ") :] if name.startswith("U.S. ") else None
    found = [name, *([bare, "United States " + bare] if bare else [])]
    if abbreviation:
        found += [f"{n} ({abbreviation})" for n in list(found)] + [abbreviation]
    found += list(others)
    return list(dict.fromkeys(found))


def add_agencies(con: duckdb.DuckDBPyConnection, ids: pd.Series, names: pd.Series, record_ids: pd.Series) -> int:
    """Federal agencies into the registry: no state, no place on the map, registry 'federal'."""
    return insert_frame(
        con,
        "core.agencies",
        pd.DataFrame(
            {
                "agency_id": ids.to_numpy(),
                "ori": None,
                "name": names.to_numpy(),
                "agency_type": "Federal",
                "city": None,
                "county": None,
                "state": None,
                "latitude": None,
                "longitude": None,
                "location_method": None,
                "registry": "federal",
                "raw_record_id": record_ids.to_numpy(),
            }
        ),
    )


def run(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(ROWS, {"sources": raw.platform_sources(con, "federal_agencies")}).df()
    if rows.empty:
        return
    rows = rows.astype(object).where(rows.notna(), None)  # a blank abbreviation is no abbreviation, not "nan"
    chosen = rows[[(c, s) in source.SELECTED for c, s in zip(rows["cgac"], rows["subtier"])]]
    chosen = chosen.drop_duplicates(["cgac", "subtier"]).copy()
    chosen["agency_id"] = [agency_id(n, d) for n, d in zip(chosen["name"], chosen["department"])]
    known = {i for (i,) in con.execute("SELECT agency_id FROM core.agencies").fetchall()}
    chosen = chosen[~chosen["agency_id"].isin(known)]
    add_agencies(con, chosen["agency_id"], chosen["name"] + " (" + chosen["department"] + ")", chosen["record_id"])
    aliases = [
        {
            "agency_id": r.agency_id,
            "alias": alias,
            "source_id": r.source_id,
            "source_url": r.website,
            "raw_record_id": r.record_id,
        }
        for r in chosen.itertuples()
        for alias in names_of(r.name, r.abbreviation, source.SELECTED[(r.cgac, r.subtier)][1])
    ]
    if aliases:
        insert_frame(con, "core.agency_aliases", pd.DataFrame(aliases))
