"""What someone typed -> the place they mean and every registry agency that serves it, evidence first.

One function, `lookup`, answers the Place page and `python -m ingest lookup`. It reads the database through
the `run(sql, params) -> DataFrame` it is given (the page's cached connection, or the command's own), and
matches names in Python with rules/places.py, so that "St. Louis", "SAINT LOUIS" and "Saint-Louis" agree."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from rules import places

Run = Callable[[str, dict], pd.DataFrame]

# Every registry agency with its evidence summary (served.agency_map) and research status (views.coverage).
AGENCIES = """
    SELECT a.agency_id, a.ori, a.name, a.agency_kind AS kind, a.city, a.county, a.state, a.state_name,
           m.status, m.products, coalesce(m.evidence_count, 0)::BIGINT AS evidence_count, m.first_date,
           m.last_documented, c.research_status
    FROM views.agencies a
    LEFT JOIN served.agency_map m USING (agency_id)
    LEFT JOIN views.coverage c USING (agency_id)
"""
PLACES = "SELECT kind, name, state FROM views.places"
POLICIES = """
    SELECT policy_id, jurisdiction, jurisdiction_level, place_name, state, stance, description, date_text,
           action_date, source_url, caveat
    FROM views.policies WHERE state = $state ORDER BY action_date
"""
REQUESTS = """
    SELECT r.agency_id, a.name AS agency, a.state, r.title, r.outcome, r.status, r.submitted_on, r.done_on, r.url
    FROM views.records_requests r JOIN views.agencies a USING (agency_id)
    WHERE r.about_face_recognition AND list_contains($ids::VARCHAR[], r.agency_id)
    ORDER BY a.name, r.submitted_on DESC NULLS LAST
    LIMIT 500
"""
# The order of the columns a script or a reader gets for each agency.
AGENCY_FIELDS = (
    "agency_id",
    "ori",
    "name",
    "state",
    "status",
    "last_documented",
    "kind",
    "city",
    "county",
    "serves",
    "products",
    "evidence_count",
    "research_status",
)
SERVES_ORDER = {  # which agencies of a place come first, for each kind of place
    "city": ("city", "county", "state"),
    "zip": ("city", "county", "state"),
    "county": ("county", "city", "state"),
    "state": ("state", "county", "city"),
    "agency": ("city", "county", "state"),
}
POSTAL_TOWN_ZIPS = 3  # a post-office town with fewer ZIP codes is a neighbourhood, not a place people look up
MAX_AGENCIES = 500  # an agency-name search over every state: "police" alone matches thousands


@dataclass(frozen=True)
class Place:
    level: str  # city | county | state | zip
    name: str  # "Burlington", "Washington County", "Vermont", "48226"
    state: str
    label: str  # "Burlington, VT", "ZIP code 48226 (Detroit, Wayne County, MI)"
    counties: tuple[str, ...] = ()  # county keys the place lies in (cities and ZIP codes)
    zips: int = 0  # how many ZIP codes carry its name: how big a town it is
    city: str = ""  # a ZIP code's city

    @property
    def key(self) -> str:
        return places.county_key(self.name) if self.level == "county" else places.key(self.name)


@dataclass
class Answer:
    query: str
    ambiguous: bool
    sentence: str  # one plain sentence about the answer (Markdown-free text)
    choices: list[dict] = field(default_factory=list)  # every place the words fit, best first
    places: list[Place] = field(default_factory=list)  # the place answered (none when asking which one)
    agencies: pd.DataFrame = field(default_factory=pd.DataFrame)  # in the page's order, best first
    policies: pd.DataFrame = field(default_factory=pd.DataFrame)  # laws, bans and ordinances that reach it
    known: bool = True  # False when the text is neither a place we know nor any agency's name

    def as_json(self) -> dict:
        """The answer as `ingest lookup --format json` prints it."""
        return {  # the documented keys first, then the page's sentence and the laws that reach the place
            "query": self.query,
            "ambiguous": self.ambiguous,
            "choices": self.choices,
            "places": [{"label": p.label, "level": p.level, "name": p.name, "state": p.state} for p in self.places],
            "agencies": [_json_row(row) for row in self.agencies.to_dict("records")],
            "sentence": self.sentence,
            "policies": [
                {k: _json_value(row[k]) for k in ("jurisdiction", "stance", "date_text", "source_url", "caveat")}
                for row in self.policies.to_dict("records")
            ],
        }


def _json_value(value):
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    if hasattr(value, "item"):  # numpy numbers
        return value.item()
    return value


def _json_row(row: dict) -> dict:
    return {k: _json_value(row.get(k)) for k in AGENCY_FIELDS}


# ------------------------------------------------------------------------------------------- the gazetteer


@functools.lru_cache(maxsize=1)  # one bundled ZIP table
def _zip_names() -> tuple[Counter, Counter, dict, dict]:
    """From the bundled `zipcodes` package: ZIP codes per (state, city key) and per (state, county key), the
    counties each city's ZIP codes lie in, and each postal city's name as written."""
    import zipcodes

    by_city, by_county, counties, written = Counter(), Counter(), defaultdict(set), {}
    for z in zipcodes.list_all():
        if z["zip_code_type"] != "STANDARD":
            continue
        city, county = places.key(z["city"]), places.county_key(z["county"])
        by_city[z["state"], city] += 1
        written.setdefault((z["state"], city), z["city"])
        if county:
            by_county[z["state"], county] += 1
            counties[z["state"], city].add(county)
    return by_city, by_county, counties, written


@dataclass
class Gazetteer:
    """Everything the lookup compares names against, read once per database file."""

    agencies: pd.DataFrame
    states: dict[str, str]  # USPS code -> name
    cities: dict[str, dict[str, str]]  # city key -> {state: name as written}
    counties: dict[str, dict[str, str]]  # county key -> {state: name as written}
    city_counties: dict[tuple[str, str], set[str]]  # (state, city key) -> county keys
    by_state: dict[str, pd.DataFrame] = field(default_factory=dict)  # the agencies, state by state
    one_city: set[str] = field(default_factory=set)  # states the Census counts one place in (DC)
    served: dict[str, Served] = field(default_factory=dict)  # who serves what, state by state, made when asked

    def __post_init__(self) -> None:
        self.by_state = {state: rows.reset_index(drop=True) for state, rows in self.agencies.groupby("state")}

    def serving_in(self, state: str) -> Served:
        """The state's agencies indexed by who they serve, made once per state: the bake asks for every place."""
        if state not in self.served:
            here = self.by_state.get(state, self.agencies.iloc[0:0].reset_index(drop=True))
            self.served[state] = Served(here, places.key(self.states.get(state)), state in self.one_city)
        return self.served[state]


class Served:
    """One state's agencies grouped by the place each serves, so that a place's list is a few dictionary
    look-ups (rows are positions in the state's frame). The rule, for a city (or a ZIP code's city): its own
    agencies; its counties' own agencies that are not a town's police or a state agency (a sheriff, a
    college); and statewide agencies (those placed in no county, those with evidence, those placed in its
    counties, and a territory's police named for it). For a county: its agencies and its cities', and the
    statewide ones. In a state of one city (Washington, DC) an agency placed nowhere serves that city."""

    def __init__(self, here: pd.DataFrame, state_key: str, one_city: bool):
        self.here = here
        kind, city, county = here["kind"].tolist(), here["city_key"].tolist(), here["county_key"].tolist()
        evidence, name_key = here["has_evidence"].tolist(), here["name_key"].tolist()
        self.has_city = [c != "" for c in city]
        self.state_base: list[int] = []  # statewide wherever one lives in the state
        self.state_by_county: dict[str, list[int]] = defaultdict(list)  # statewide, placed in this county
        self.by_city: dict[str, list[int]] = defaultdict(list)
        self.by_county: dict[str, list[int]] = defaultdict(list)  # every non-state agency placed in the county
        self.county_own: dict[str, list[int]] = defaultdict(list)  # the county's own: no town, not a town's police
        self.nowhere: list[int] = []  # placed in no city and no county: the city's own in a one-city state
        for i in range(len(here)):
            state_kind = kind[i] == "State"
            if (state_kind and (county[i] == "" or evidence[i])) or (state_key and name_key[i] == state_key):
                self.state_base.append(i)
            elif state_kind:
                self.state_by_county[county[i]].append(i)
            if state_kind:
                continue
            if city[i]:
                self.by_city[city[i]].append(i)
            if county[i]:
                self.by_county[county[i]].append(i)
                if not city[i] and kind[i] != "Municipal":
                    self.county_own[county[i]].append(i)
            elif not city[i] and one_city:
                self.nowhere.append(i)
        self.sort_key = list(
            zip((not e for e in evidence), here["name"].fillna("").tolist(), here["agency_id"].tolist())
        )
        self.name_key = name_key
        self.agency_ids = here["agency_id"].tolist()
        self.everyone = [self._state_level(kind[i], city[i], county[i]) for i in range(len(here))]

    @staticmethod
    def _state_level(kind: str, city: str, county: str) -> str:
        if kind == "State":
            return "state"
        return "city" if city else "county" if county else "state"

    def levels(self, place: Place) -> dict[int, str]:
        """Row -> the level at which it serves the place: where an agency fits two, the narrower wins for a city
        and 'state' wins for a county (as the page has always listed them)."""
        if place.level == "state":
            return dict(enumerate(self.everyone))
        found: dict[int, str] = {}
        state_wide = [*self.state_base, *(i for c in place.counties for i in self.state_by_county.get(c, ()))]
        if place.level == "county":
            for i in self.by_county.get(place.key, ()):
                found[i] = "city" if self.has_city[i] else "county"
            for i in (*state_wide, *self.state_by_county.get(place.key, ())):
                found[i] = "state"
            return found
        city = places.key(place.city) if place.level == "zip" else place.key
        for i in state_wide:
            found[i] = "state"
        for county in place.counties:
            for i in self.county_own.get(county, ()):
                found[i] = "county"
        for i in (*self.by_city.get(city, ()), *self.nowhere):
            found[i] = "city"
        return found

    def ordered(self, found: dict[int, str], levels: tuple[str, ...], typed: str) -> list[int]:
        """Evidence first; then the place's own agencies before its county's and its state's; then the agency
        named for the place ("Miami Police Department" before "Florida International University"); then by name."""
        rank = {level: n for n, level in enumerate(levels)}

        def order(i: int):
            evidence_last, name, agency_id = self.sort_key[i]
            named_last = bool(typed) and not self.name_key[i].startswith(typed)
            return evidence_last, rank.get(found[i], len(levels)), named_last, name, agency_id

        return sorted(found, key=order)


def gazetteer(run: Run) -> Gazetteer:
    agencies = run(AGENCIES, {})
    cache: dict[str, str] = {}

    def keyed(values: pd.Series, how) -> pd.Series:
        return values.map(lambda v: cache.setdefault(f"{how.__name__}:{v}", how(v)) if isinstance(v, str) else "")

    agencies["city_key"] = keyed(agencies["city"], places.key)
    agencies["county_key"] = keyed(agencies["county"], places.county_key)
    agencies["name_key"] = agencies["name"].map(places.key)
    parts = [agencies["name_key"], keyed(agencies["city"], places.key), keyed(agencies["county"], places.key)]
    parts += [keyed(agencies["state"], places.key), keyed(agencies["state_name"], places.key)]
    agencies["search_key"] = functools.reduce(lambda a, b: a + " " + b, parts).str.split().str.join(" ")
    raw = [agencies[c].fillna("").str.lower() for c in ("name", "city", "county", "state", "state_name")]
    agencies["search_text"] = functools.reduce(lambda a, b: a + " " + b, raw)
    agencies["has_evidence"] = agencies["evidence_count"] > 0
    states = dict(agencies.dropna(subset=["state_name"]).groupby("state")["state_name"].first())

    cities: dict[str, dict[str, str]] = defaultdict(dict)
    counties: dict[str, dict[str, str]] = defaultdict(dict)
    census_places: Counter = Counter()
    for kind, name, state in run(PLACES, {}).itertuples(index=False):
        if kind == "place":
            cities[places.key(name)].setdefault(state, name)
            census_places[state] += 1
        else:
            counties[places.county_key(name)].setdefault(state, name)
    # The registry's own cities and counties where the Census has no such name (Connecticut's old counties).
    for (state, ck), name in agencies.groupby(["state", "city_key"])["city"].first().items():
        if ck:
            cities[ck].setdefault(state, name)
    for (state, ck), name in agencies.groupby(["state", "county_key"])["county"].first().items():
        if ck:
            written = name.title() if name.isupper() else name
            counties[ck].setdefault(state, written if places.names_a_county(written) else f"{written} County")

    by_zip_city, _, zip_counties, postal = _zip_names()
    # Towns the post office names and the Census does not (Brooklyn, Flushing), when big enough to matter
    for (state, ck), name in postal.items():
        if by_zip_city[state, ck] >= POSTAL_TOWN_ZIPS and state in states:
            cities[ck].setdefault(state, name)
    city_counties = {k: set(v) for k, v in zip_counties.items()}
    located = agencies[(agencies["city_key"] != "") & (agencies["county_key"] != "")]
    for state, ck, county in located[["state", "city_key", "county_key"]].itertuples(index=False):
        city_counties.setdefault((state, ck), set()).add(county)
    one_city = {state for state, n in census_places.items() if n == 1}
    return Gazetteer(agencies, states, dict(cities), dict(counties), city_counties, one_city=one_city)


# ------------------------------------------------------------------------------------------- places


def _city(gaz: Gazetteer, name: str, state: str) -> Place:
    ck = places.key(name)
    by_city, *_ = _zip_names()
    return Place(
        "city",
        name,
        state,
        f"{name}, {state}",
        tuple(sorted(gaz.city_counties.get((state, ck), ()))),
        by_city[state, ck],
    )


def _county(name: str, state: str) -> Place:
    _, by_county, *_ = _zip_names()
    return Place("county", name, state, f"{name}, {state}", (), by_county[state, places.county_key(name)])


def _namesakes(gaz: Gazetteer, name: str, state: str | None = None) -> list[Place]:
    """The places a name fits, in one state or all: counties when the words say county, else cities (and
    counties only when no city has the name, as "Miami-Dade")."""
    wanted_counties = gaz.counties.get(places.county_key(name), {})
    if places.names_a_county(name):
        typed = places.key(name)
        # "Orleans Parish" means Louisiana's, not Orleans County in New York or Vermont
        exact = {s: n for s, n in wanted_counties.items() if places.key(n) == typed}
        found = [_county(n, s) for s, n in (exact or wanted_counties).items()]
    else:
        # "Kansas City" as the Census writes it; else "New York City" or "City of Detroit" as people say them
        named = gaz.cities.get(places.key(name)) or gaz.cities.get(places.city_key(name), {})
        found = [_city(gaz, n, s) for s, n in named.items()]
        if not found:
            found = [_county(n, s) for s, n in wanted_counties.items()]
    return [p for p in found if state is None or p.state == state]


def _zip_place(gaz: Gazetteer, code: str) -> Place | None:
    import zipcodes

    try:
        found = zipcodes.matching(code) if zipcodes.is_real(code) else []
    except (TypeError, ValueError):
        found = []
    if not found:
        return None
    z = found[0]
    label = f"ZIP code {code} ({', '.join(part for part in (z['city'], z['county'], z['state']) if part)})"
    return Place("zip", code, z["state"], label, (places.county_key(z["county"]),), 1, z["city"])


# ------------------------------------------------------------------------------------------- agencies


def _serving(gaz: Gazetteer, place: Place, ordered: bool = True) -> pd.DataFrame:
    """Every registry agency that serves a place, with `serves` saying at which level, best first (the rule:
    `Served`)."""
    served = gaz.serving_in(place.state)
    found = served.levels(place)
    if ordered:
        rows = served.ordered(found, SERVES_ORDER[place.level], _typed(place))
    else:
        rows = sorted(found)
    return served.here.iloc[rows].assign(serves=[found[i] for i in rows]).reset_index(drop=True)


def _typed(place: Place) -> str:
    return places.key(place.city) if place.level == "zip" else place.key


def serving(gaz: Gazetteer, place: Place) -> list[tuple[str, str]]:
    """(agency_id, the level at which it serves) for every agency that serves a place, best first: the one rule
    the Place page, `ingest lookup` and the public site's place pages share."""
    served = gaz.serving_in(place.state)
    found = served.levels(place)
    ordered = served.ordered(found, SERVES_ORDER[place.level], _typed(place))
    return [(served.agency_ids[i], found[i]) for i in ordered]


def place_named(gaz: Gazetteer, level: str, name: str, state: str) -> Place:
    """A city or a county as the lookup answers it, from its name and state (a public page's place)."""
    return _county(name, state) if level == "county" else _city(gaz, name, state)


def _ordered(found: pd.DataFrame, levels: tuple[str, ...], typed: str) -> pd.DataFrame:
    """Evidence first; then the place's own agencies before its county's and its state's; then the agency
    named for the place ("Miami Police Department" before "Florida International University"); then by name."""
    rank = found["serves"].map({level: i for i, level in enumerate(levels)}).fillna(len(levels))
    named = ~found["name_key"].str.startswith(typed) if typed else False
    return (
        found.assign(_e=~found["has_evidence"], _r=rank, _n=named)
        .sort_values(["_e", "_r", "_n", "name", "agency_id"], kind="stable")
        .drop(columns=["_e", "_r", "_n"])
        .reset_index(drop=True)
    )


def _named(gaz: Gazetteer, text: str, state: str | None = None) -> pd.DataFrame:
    """Agencies whose name, city, county or state hold every word typed ("Detroit Police")."""
    words = text.lower().split()[:8]
    a = gaz.agencies if state is None else gaz.agencies[gaz.agencies["state"] == state]
    mask = pd.Series(bool(words), index=a.index)
    for word in words:
        if re.fullmatch(r"[\w.,'\u2018\u2019-]+", word) and places.key(word):  # "St.", "O'Fallon", "Winston-Salem"
            for part in places.key(word).split():
                mask &= a["search_key"].str.contains(part, regex=False)
        else:  # symbols are matched as typed: "$q" is not the letter q
            mask &= a["search_text"].str.contains(word, regex=False)
    found = a[mask]
    serves = pd.Series("state", index=found.index)
    serves[(found["kind"] != "State") & (found["county_key"] != "")] = "county"
    serves[(found["kind"] != "State") & (found["city_key"] != "")] = "city"
    return _ordered(found.assign(serves=serves), SERVES_ORDER["agency"], places.key(text)).head(MAX_AGENCIES)


def _policies(run: Run, place: Place) -> pd.DataFrame:
    """State laws and bans reach every place in the state; a city's or a county's own reach it."""
    rules = run(POLICIES, {"state": place.state})
    if rules.empty:
        return rules
    keep = [reaches(rule, place) for rule in rules[["jurisdiction_level", "place_name"]].to_dict("records")]
    return rules[keep].reset_index(drop=True)


def reaches(policy: dict, place: Place) -> bool:
    """Whether a policy of the place's state reaches the place: a state's does everywhere; a county's reaches the
    county and the cities in it; a city's its city. Every policy of a state reaches the state's page."""
    level = policy.get("jurisdiction_level")
    if place.level == "state" or level == "state":
        return True
    name = policy.get("place_name")
    if level == "county":
        return places.county_key(name) in (place.counties or (place.key,))
    return level == "city" and place.level != "county" and places.key(name) == _typed(place)


def records_requests(run: Run, agency_ids: list[str]) -> pd.DataFrame:
    """Records requests about face recognition sent to these agencies: someone asked, never proof of use."""
    return run(REQUESTS, {"ids": list(agency_ids)})


# ------------------------------------------------------------------------------------------- the answer


def _choice(gaz: Gazetteer, place: Place) -> dict:
    serving = _serving(gaz, place, ordered=False)
    return {
        "label": place.label,
        "state": place.state,
        "level": place.level,
        "agencies": len(serving),
        "with_evidence": int(serving["has_evidence"].sum()),
        "zip_codes": place.zips,
    }


def _best_first(gaz: Gazetteer, found: list[Place]) -> tuple[list[Place], list[dict]]:
    choices = [(p, _choice(gaz, p)) for p in found]
    # The biggest place first (statewide agencies' evidence would put any Florida town before Springfield, MA)
    choices.sort(key=lambda pc: (-pc[0].zips, -pc[1]["agencies"], -pc[1]["with_evidence"], pc[0].label))
    return [p for p, _ in choices], [c for _, c in choices]


def _answer_place(text: str, run: Run, gaz: Gazetteer, place: Place, choices: list[dict]) -> Answer:
    agencies = _serving(gaz, place)
    n, k = len(agencies), int(agencies["has_evidence"].sum())
    return Answer(
        text,
        False,
        _place_sentence(place, n, k),
        choices,
        [place],
        agencies,
        _policies(run, place),
    )


def _place_sentence(place: Place, n: int, k: int) -> str:
    who = {
        "state": "every agency on our list in the state",
        "county": "the county's own, its cities' and statewide agencies",
    }.get(place.level, "its city's, its county's and statewide agencies")
    where, counting = place.label, f" (counting {who})"
    if n == 0:
        return f"No agency on our list serves {where}."
    if n == 1:
        return f"The one agency that serves {where} has {'' if k else 'no '}public evidence of facial-recognition use."
    if k == 0:
        return f"None of the {n:,} agencies that serve {where} has public evidence of facial-recognition use{counting}."
    subject = f"All {n:,}" if k == n else f"{k:,} of the {n:,}"
    verb = "has" if k == 1 else "have"
    return f"{subject} agencies that serve {where} {verb} public evidence of facial-recognition use{counting}."


def lookup(text: str, run: Run, gaz: Gazetteer | None = None) -> Answer:
    """The answer for what a person typed: a ZIP code, "City, ST", "City ST", "County, ST", a state's name or
    code, or an agency's name. A name several places share is asked about, unless one is a city among small
    towns (rules/places.dominant); the other places come back as `choices` either way."""
    gaz = gaz or gazetteer(run)
    typed = places.parse(text, gaz.states)
    query = typed.text
    if not query:
        return Answer(
            query,
            False,
            "Nothing was typed: give a ZIP code, a city, a county, a state or an agency's name.",
            known=False,
        )
    if typed.zip:
        place = _zip_place(gaz, typed.zip)
        if place is None:
            return Answer(query, False, f"{typed.zip} is not a US ZIP code we know.", known=False)
        return _answer_place(query, run, gaz, place, [_choice(gaz, place)])
    if typed.state:
        name = gaz.states.get(typed.state, typed.state)
        place = Place("state", name, typed.state, name)
        others = _namesakes(gaz, query) if len(query) > 2 else []
        _, choices = _best_first(gaz, others)
        return _answer_place(query, run, gaz, place, [_choice(gaz, place), *choices])
    for reading in typed.readings:
        found = _namesakes(gaz, reading.name, reading.state)
        if not found:
            continue
        found, choices = _best_first(gaz, found)
        pick = places.dominant([p.zips for p in found])
        if pick is None:
            return _asking(query, reading.name, choices)
        return _answer_place(query, run, gaz, found[pick], [choices[pick], *choices[:pick], *choices[pick + 1 :]])
    stated = next((r for r in typed.readings if r.stated), None)
    if stated is not None:
        # "Washington County, WA": the place is elsewhere, not the state's agencies whose names hold the words
        elsewhere = _namesakes(gaz, stated.name)
        if elsewhere:
            _, choices = _best_first(gaz, elsewhere)
            where = gaz.states.get(stated.state, stated.state)
            return Answer(
                query,
                True,
                f"There is no {stated.name} in {where}. {_which(len(choices), stated.name)}",
                choices,
            )
        named = _named(gaz, stated.name, stated.state)
        if not named.empty:
            return _agencies_answer(query, named)
    named = _named(gaz, query)
    if named.empty:
        return Answer(
            query,
            False,
            f"No agency matching “{query}” is on our list of US law-enforcement agencies, and we know no place "
            "by that name.",
            known=False,
        )
    return _agencies_answer(query, named)


def _which(n: int, name: str) -> str:
    kind = "county" if places.names_a_county(name) else "place"
    return f"{places.count(n, kind)} {'is' if n == 1 else 'are'} called {name}: which one do you mean?"


def _asking(query: str, name: str, choices: list[dict]) -> Answer:
    return Answer(query, True, _which(len(choices), name), choices)


def _agencies_answer(query: str, named: pd.DataFrame) -> Answer:
    n, k = len(named), int(named["has_evidence"].sum())
    if n == 1:
        has = "has" if k else "has no"
        return Answer(
            query,
            False,
            f"One agency matches “{query}”: it {has} public evidence of facial-recognition use.",
            [],
            [],
            named,
        )
    matching = f"{places.count(n, 'agency')} matching “{query}”"
    if n >= MAX_AGENCIES:
        matching = f"The first {n:,} agencies matching “{query}” (type more words to narrow it)"
    evidence = (
        "none has public evidence of facial-recognition use in our data"
        if k == 0
        else f"{k:,} {'has' if k == 1 else 'have'} public evidence of facial-recognition use"
    )
    return Answer(query, False, f"{matching}: {evidence}.", [], [], named)
