"""How people type places, read without a database: "Burlington, VT", "Burlington VT", "Washington County, OR",
"St. Louis" or "Saint Louis", a ZIP code, a state's name or code. The lookup (dashboard/lookup.py) matches what
this returns against the registry and the Census gazetteer, whose names are normalised by the same `key`."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_CHARS = 120  # the Place page's box holds as much
# Words written more than one way in place names: each is compared in one spelling.
SPELLINGS = {"saint": "st", "sainte": "ste", "ft": "fort", "mt": "mount"}
# What follows a county's name ("Orleans Parish", "Juneau City and Borough"), longest first.
COUNTY_WORDS = ("city and borough", "census area", "municipality", "borough", "county", "parish")
ZIP = re.compile(r"(?:(?P<before>.*?)[\s,]+)?(?P<zip>\d{5})(?:-\d{4})?")


@functools.lru_cache(maxsize=1 << 16)  # the bake and the gazetteer read the same names many times
def key(name: str | None) -> str:
    """A name as it is compared: no accents, case or punctuation, one spelling of Saint/St., Fort/Ft. and
    Mount/Mt. ("St. Louis", "SAINT LOUIS" and "Saint-Louis" are all "st louis")."""
    if not isinstance(name, str):
        return ""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"[\u2018\u2019'`]", "", plain)  # O'Fallon and OFallon are one name
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(SPELLINGS.get(w, w) for w in words)


def county_key(name: str | None) -> str:
    """A county's name without the word for a county: "Washington County", "WASHINGTON" and "Washington
    Parish" all compare as "washington"."""
    found = key(name)
    for word in COUNTY_WORDS:
        if found.endswith(" " + word):
            return found[: -len(word) - 1]
    return found


def city_key(name: str | None) -> str:
    """A city's name without the words people add to it: "New York City" and "City of Detroit" are "new york"
    and "detroit". The lookup tries the name as typed first, so that "Kansas City" stays Kansas City."""
    found = key(name)
    return re.sub(r"^(?:city|town|village|borough) of | city$", "", found) if found.count(" ") else found


def names_a_county(name: str) -> bool:
    """True when the words say county (or parish, borough ...): "Washington County", not "Washington"."""
    return county_key(name) != key(name)


@dataclass(frozen=True)
class Reading:
    """One way to read the text: a place's name and, when the text gave one, its state."""

    name: str
    state: str | None = None
    stated: bool = False  # the state was set off by a comma ("Burlington, VT"): the reader meant it


@dataclass(frozen=True)
class Typed:
    """What was typed, and every way to read it, most likely first."""

    text: str
    zip: str | None = None
    state: str | None = None  # the whole text names a state ("Vermont", "VT")
    readings: tuple[Reading, ...] = field(default_factory=tuple)


def state_code(text: str, states: Mapping[str, str]) -> str | None:
    """The USPS code for a state's code or name ("vt", "V.T.", "Vermont"), else None."""
    code = re.sub(r"[\s.]", "", text).upper()
    if len(code) == 2 and code in states:
        return code
    wanted = key(text)
    return next((c for c, n in states.items() if wanted and key(n) == wanted), None)


def parse(text: str, states: Mapping[str, str]) -> Typed:
    """The readings of what a person typed. `states` maps USPS codes to state names."""
    text = " ".join(str(text)[:MAX_CHARS].split())
    found = ZIP.fullmatch(text)
    if found:  # "48226", "48226-1234", "Detroit, MI 48226": the ZIP code says it all
        return Typed(text, zip=found["zip"])
    readings: list[Reading] = []
    name, comma, tail = text.rpartition(",")
    if comma and name.strip() and state_code(tail, states):
        readings.append(Reading(name.strip(" ,"), state_code(tail, states), stated=True))
    # "Burlington VT", "Portland Oregon", "Fort Washington": the last words may be a state, or part of the name
    words = text.replace(",", " ").split()
    for cut in range(len(words) - 1, 0, -1):
        code = state_code(" ".join(words[cut:]), states)
        if code:
            # an upper-case code ("Burlington VT") is meant as one; a state's name may be the end of a place's
            stated = len(words) - cut == 1 and re.fullmatch(r"[A-Z]\.?[A-Z]\.?", words[cut]) is not None
            readings.append(Reading(" ".join(words[:cut]), code, stated))
    readings.append(Reading(text.strip(" ,")))
    return Typed(text, state=state_code(text, states), readings=tuple(dict.fromkeys(readings)))


def dominant(zip_counts: list[int]) -> int | None:
    """Which of several places with one name a person means without asking, if any: a city among small towns
    (Miami, FL has 57 ZIP codes, every other Miami one). A place with at least three ZIP codes is taken when
    every other has one or none; otherwise (Springfield: 13 in MA, 7 in IL and MO) the person is asked."""
    if len(zip_counts) < 2:
        return 0 if zip_counts else None
    ranked = sorted(range(len(zip_counts)), key=lambda i: -zip_counts[i])
    top, rest = ranked[0], ranked[1:]
    return top if zip_counts[top] >= 3 and all(zip_counts[i] <= 1 for i in rest) else None


def count(n: int, one: str, many: str | None = None) -> str:
    """'1 agency', '2 agencies', '0 places'."""
    many = many or (one[:-1] + "ies" if one.endswith("y") and one[-2:-1] not in "aeiou" else one + "s")
    return f"{n:,} {one if n == 1 else many}"
