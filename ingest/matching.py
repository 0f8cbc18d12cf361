"""Place an agency name on the registry without guessing.

A name is placed only when it is the same agency by rule: the same normalised name in the same
state, or the same distinctive words and the same role (police, sheriff, ...) with exactly one
such candidate in the state. Anything else stays unplaced, with the candidates kept for review.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

# Words that vary between spellings of the same agency ("Police Dept." / "Police Department").
ABBREVIATIONS = {"dept": "department", "pd": "police department", "so": "sheriffs office",
                 "sheriff": "sheriffs", "ofc": "office", "univ": "university", "co": "county",
                 "twp": "township", "mt": "mount", "ft": "fort", "st": "saint", "ste": "sainte"}
FILLER = {"department", "office", "of", "the", "and", "dept", "services", "division"}
ROLES = {"police": "police", "sheriffs": "sheriff", "marshal": "marshal", "constable": "constable",
         "constables": "constable", "corrections": "corrections", "attorney": "attorney",
         "highway": "highway patrol", "patrol": "highway patrol", "university": "university",
         "college": "university", "school": "school", "district": "district", "public": "public safety",
         "safety": "public safety", "investigation": "investigation", "investigations": "investigation"}
REPEATED_SUFFIX = re.compile(r"^(?P<name>.+?\b(?P<suffix>Police Department|Sheriff's Office))\s+(?P=suffix)$")


def clean_registry_name(name: str) -> str:
    """'Las Vegas Metropolitan Police Department Police Department' -> '... Police Department'."""
    name = " ".join(name.split())
    match = REPEATED_SUFFIX.match(name)
    return match.group("name") if match else name


def normalise(name: str) -> str:
    text = clean_registry_name(name).lower().replace("&", " and ").replace("'s", "s").replace("’s", "s")
    tokens = re.sub(r"[^a-z0-9]+", " ", text).split()
    expanded = " ".join(ABBREVIATIONS.get(t, t) for t in tokens).split()
    return " ".join(t for t in expanded if t != "the")


def key(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(distinctive words, roles): the parts that must agree for two names to be one agency."""
    tokens = normalise(name).split()
    roles = frozenset(ROLES[t] for t in tokens if t in ROLES)
    words = frozenset(t for t in tokens if t not in FILLER and t not in ROLES)
    return words, roles


@dataclass
class Match:
    status: str                    # matched | ambiguous | unmatched
    agency_id: str | None = None
    method: str | None = None      # exact_name | same_words
    score: float | None = None
    candidates: list[str] = field(default_factory=list)


class Matcher:
    """Registry rows are (agency_id, name, state). Lookups are blocked by state."""

    def __init__(self, rows: list[tuple[str, str, str]]):
        self.by_state: dict[str, list[tuple[str, str, str, tuple]]] = {}
        for agency_id, name, state in rows:
            self.by_state.setdefault(state, []).append((agency_id, name, normalise(name), key(name)))

    def match(self, name: str, state: str, state_name: str | None = None) -> Match:
        rows = self.by_state.get(state, [])
        wanted = normalise(name)
        if state_name and wanted.startswith(normalise(state_name) + " "):
            # "Delaware State Police" is listed as plain "State Police" in Delaware.
            short = wanted[len(normalise(state_name)) + 1:]
            exact_short = [r for r in rows if r[2] == short]
            if len(exact_short) == 1 and not any(r[2] == wanted for r in rows):
                return Match("matched", exact_short[0][0], "exact_name_without_state", 100.0)
        exact = [r for r in rows if r[2] == wanted]
        if len(exact) == 1:
            return Match("matched", exact[0][0], "exact_name", 100.0)
        if len(exact) > 1:
            return Match("ambiguous", candidates=[f"{r[1]} ({r[0]})" for r in exact])
        wanted_key = key(name)
        same = [r for r in rows if r[3] == wanted_key and wanted_key[0]]
        if len(same) == 1:
            return Match("matched", same[0][0], "same_words", fuzz.token_sort_ratio(wanted, same[0][2]))
        if len(same) > 1:
            return Match("ambiguous", candidates=[f"{r[1]} ({r[0]})" for r in same])
        return Match("unmatched")
