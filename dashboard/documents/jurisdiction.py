"""Which city, county or state a typed name means, in any state: "Miami-Dade", "Springfield, IL",
"Travis County, Texas" or "FL". Pure: the candidates come from queries.find_jurisdictions."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

SUFFIXES = ("", " county", " parish", " borough")
STATE_CODE = re.compile(r"^[A-Za-z]{2}$")


@dataclass(frozen=True)
class Place:
    level: str  # city | county | state
    name: str  # the city's or county's name; the state's USPS code for a state
    state: str

    @property
    def label(self) -> str:
        return self.state if self.level == "state" else f"{self.name}, {self.state}"


def split_state(typed: str) -> tuple[str, str | None]:
    """'Springfield, IL' -> ('Springfield', 'IL'); 'Travis County, Texas' -> ('Travis County', 'Texas');
    'Miami-Dade' -> ('Miami-Dade', None). The part after the last comma names the state."""
    words = " ".join(typed.split())
    if "," in words:
        name, state = (part.strip() for part in words.rsplit(",", 1))
        return name, state or None
    return words, None


def in_state(row, state: str | None) -> bool:
    return state is None or state.upper() == row.state or state.lower() == str(row.state_name or "").lower()


def describe(row) -> str:
    where = "the whole state" if row.level == "state" else f"{row.level}, {row.state}"
    return f"{row.name} ({where}; {row.with_evidence} of {row.agencies} agencies with evidence)"


def choose(typed: str, candidates: pd.DataFrame) -> tuple[Place | None, str]:
    """The one place the typed name means among the candidates (the exact name, then the name with " County",
    then partial ones), or None and a sentence saying what to type instead. A bare two-letter code or a state's name means the whole state."""
    name, state = split_state(typed)
    if not name:
        return None, "Type a city, county or state, e.g. “Miami-Dade” or “Springfield, IL”."
    rows = [r for r in candidates.itertuples() if in_state(r, state)]
    if state is None and STATE_CODE.match(name):
        states = [r for r in rows if r.level == "state" and r.state == name.upper()]
        if states:
            return Place("state", states[0].state, states[0].state), ""
    # The name as typed first ("Texas" is the state, not Texas County), then with a county's suffix.
    same = [r for r in rows if str(r.name).lower() == name.lower()]
    suffixed = [r for r in rows if str(r.name).lower() in {name.lower() + s for s in SUFFIXES[1:]}]
    found = same or suffixed or rows
    if len(found) == 1:
        r = found[0]
        return Place(r.level, r.state if r.level == "state" else r.name, r.state), ""
    if not found:
        where = f" in {state}" if state else ""
        return None, f"No city, county or state named “{name}”{where} is in the registry. Check the spelling."
    options = "; ".join(describe(r) for r in found[:10])
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    return None, (
        f"“{typed.strip()}” could mean several places: {options}{more}. Add the state after a comma "
        "(“Springfield, IL”) or the kind (“Travis County”)."
    )
