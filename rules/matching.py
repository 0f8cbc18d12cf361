"""Place an agency name on the registry without guessing.

A name is placed only when it is the same agency by rule, tried in this order:
1. the same normalised name (or a recorded alias such as "NYPD") in the state;
1b. a name the registry's own name implies, when no agency has the name itself: the police of an institution the
   FBI lists by its name ("University of Georgia" for "University of Georgia Police Department", the part before
   a colon for a campus: "University of Chicago: Cook County"), or the same name spaced otherwise ("De Kalb
   County" for "DeKalb County"). A town's police are never found without "Town"/"Township": "Springfield Police
   Department" may be a city's police that the registry lacks, not Springfield Township's;
2. with the state's name dropped ("Delaware State Police" is listed as "State Police");
3. the same distinctive words and the same role (police, sheriff, ...);
4. a spelling slip: one candidate far closer than any other, with the same role and the same
   number of distinctive words, each word nearly the same.
Several candidates make the answer `ambiguous` (a city may break the tie); none makes it
`unmatched`. Without a state, only rules 1 and 3 apply, across every state. An agency with no state (a federal
component) is found from any state by rule 1 only: its exact name or a recorded alias ("ICE").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

# Words that vary between spellings of the same agency ("Police Dept." / "Police Department").
ABBREVIATIONS = {
    "dept": "department",
    "pd": "police department",
    "so": "sheriffs office",
    "sheriff": "sheriffs",
    "ofc": "office",
    "univ": "university",
    "co": "county",
    "twp": "township",
    "mt": "mount",
    "ft": "fort",
    "st": "saint",
    "ste": "sainte",
    "isd": "independent school district",
    "da": "district attorney",
    "dps": "department of public safety",
}
FILLER = {"department", "office", "of", "the", "and", "at", "dept", "services", "division"}
ROLES = {
    "police": "police",
    "sheriffs": "sheriff",
    "marshal": "marshal",
    "constable": "constable",
    "constables": "constable",
    "corrections": "corrections",
    "attorney": "attorney",
    "highway": "highway patrol",
    "patrol": "highway patrol",
    "university": "university",
    "college": "university",
    "school": "school",
    "district": "district",
    "public": "public safety",
    "safety": "public safety",
    "investigation": "investigation",
    "investigations": "investigation",
}
REPEATED_SUFFIX = re.compile(r"^(?P<name>.+?\b(?P<suffix>Police Department|Sheriff's Office))\s+(?P=suffix)$")
FUZZY_FLOOR = 92.0  # overall similarity a spelling slip must reach
FUZZY_MARGIN = 6.0  # ... and how far ahead of the next agency it must be
WORD_FLOOR = 80.0  # each distinctive word against its counterpart
NATIONWIDE = "*"  # index scope of agencies with no state (federal components), found from any state


def clean_registry_name(name: str) -> str:
    """'Las Vegas Metropolitan Police Department Police Department' -> '... Police Department'."""
    name = " ".join(name.split())
    match = REPEATED_SUFFIX.match(name)
    return match.group("name") if match else name


INSTITUTION = re.compile(r"\b(university|college|institute)\b", re.I)
POLICE_WORDS = re.compile(r"\b(police|public safety|sheriff|security)\b", re.I)


def implied_names(name: str) -> list[str]:
    """Names a registry agency's police go by that the registry does not write (see rule 1b above)."""
    if INSTITUTION.search(name) and not POLICE_WORDS.search(name):
        whole = name.replace(":", " ")
        return [f"{whole} Police Department"] + ([f"{name.split(':')[0]} Police Department"] if ":" in name else [])
    return []


def normalise(name: str) -> str:
    text = clean_registry_name(name).lower().replace("&", " and ").replace("'s", "s").replace("’s", "s")
    tokens = re.sub(r"[^a-z0-9]+", " ", text).split()
    expanded = " ".join(ABBREVIATIONS.get(t, t) for t in tokens).split()
    return " ".join(t for t in expanded if t != "the")


VOCABULARY = sorted(
    {
        w
        for w in (
            *FILLER,
            *ROLES,
            *" ".join(ABBREVIATIONS.values()).split(),
            "county",
            "township",
            "village",
            "city",
            "metropolitan",
            "sheriffs",
        )
    }
    - {"of", "the", "and"}
)


def fix_vocabulary(norm: str) -> str:
    """Mend slips in the words every agency name shares ('Sherfif's Office', 'Police Deparmtent')."""
    out = []
    for token in norm.split():
        if len(token) >= 6 and token not in VOCABULARY:
            best = process.extractOne(token, VOCABULARY, scorer=fuzz.ratio, score_cutoff=80)
            token = best[0] if best else token
        out.append(token)
    return " ".join(out)


def key(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(distinctive words, roles): the parts that must agree for two names to be one agency."""
    tokens = normalise(name).split()
    roles = frozenset(ROLES[t] for t in tokens if t in ROLES)
    words = frozenset(t for t in tokens if t not in FILLER and t not in ROLES)
    return words, roles


@dataclass
class Match:
    status: str  # matched | ambiguous | unmatched
    agency_id: str | None = None
    method: str | None = None  # exact_name | alias | exact_name_without_state | same_words | spelling
    score: float | None = None
    candidates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Agency:
    agency_id: str
    name: str
    state: str | None
    city: str | None = None


class Matcher:
    """Registry agencies plus aliases, indexed by state. Lookups never leave the given state."""

    def __init__(self, agencies: list[Agency] | list[tuple], aliases: list[tuple[str, str]] = ()):
        self.agencies: dict[str, Agency] = {}
        for a in agencies:
            a = a if isinstance(a, Agency) else Agency(*a)
            self.agencies[a.agency_id] = a
        self.exact: dict[tuple[str | None, str], set[str]] = {}
        self.words: dict[tuple[str | None, tuple], set[str]] = {}
        self.implied: dict[tuple[str | None, str], set[str]] = {}  # rule 1b, consulted only when rule 1 finds none
        for a in self.agencies.values():
            self._index(a.agency_id, a.name, a.state)
            for other in implied_names(a.name):
                self._index_implied(a.agency_id, other, a.state)
        for agency_id, alias in aliases:
            if agency_id in self.agencies:
                self._index(agency_id, alias, self.agencies[agency_id].state)
        # Blocks for the spelling tier: normalised names per state, in a fixed order.
        self.blocks: dict[str, tuple[list[str], list[str]]] = {}
        for a in sorted(self.agencies.values(), key=lambda a: a.agency_id):
            ids, names = self.blocks.setdefault(a.state or "", ([], []))
            ids.append(a.agency_id)
            names.append(normalise(a.name))

    def _index(self, agency_id: str, name: str, state: str | None) -> None:
        norm, k = normalise(name), key(name)
        compact = _compact(norm)
        # None: the all-states index used when no state is given; an agency with no state (a federal one) is
        # also indexed as NATIONWIDE, where a lookup within a state finds it by its exact name or alias.
        for scope in (state, None) if state else (None, NATIONWIDE):
            self.exact.setdefault((scope, norm), set()).add(agency_id)
            self.exact.setdefault((scope, compact), set()).add(agency_id)
            if k[0]:
                self.words.setdefault((scope, (k[0], k[1])), set()).add(agency_id)

    def _index_implied(self, agency_id: str, name: str, state: str | None) -> None:
        norm, k = normalise(name), key(name)
        for scope in (state, None) if state else (None, NATIONWIDE):
            self.implied.setdefault((scope, norm), set()).add(agency_id)
            if k[0] and INSTITUTION.search(name):
                self.words.setdefault((scope, (k[0], k[1])), set()).add(agency_id)

    def _label(self, agency_id: str) -> str:
        a = self.agencies[agency_id]
        return f"{a.name} ({agency_id}, {a.state or 'no state'})"

    def _decide(self, ids: set[str], method: str, city: str | None) -> Match | None:
        if not ids:
            return None
        if len(ids) > 1 and city:
            in_city = {i for i in ids if _in_city(self.agencies[i], city)}
            if len(in_city) == 1:
                ids = in_city
        if len(ids) == 1:
            return Match("matched", next(iter(ids)), method, 100.0)
        return Match("ambiguous", candidates=sorted(self._label(i) for i in ids))

    def match(
        self, name: str, state: str | None = None, city: str | None = None, state_name: str | None = None
    ) -> Match:
        return self.match_many([(name, state, city, state_name)])[0]

    def match_many(self, queries: list[tuple]) -> list[Match]:
        """Match (name, state[, city[, state_name]]) tuples; the spelling tier runs per state in one batch."""
        results: list[Match | None] = []
        pending: dict[str, list[int]] = {}
        for i, q in enumerate(queries):
            name, state, city, state_name = (tuple(q) + (None, None, None))[:4]
            state = (state or "").strip().upper() or None
            found = self._by_rule(name or "", state, city, state_name)
            results.append(found)
            if found is None and state:
                pending.setdefault(state, []).append(i)
        for state, positions in pending.items():
            for i, found in zip(positions, self._spelling(state, [queries[i][0] for i in positions])):
                results[i] = found
        return [r or Match("unmatched") for r in results]

    def _by_rule(self, name: str, state: str | None, city: str | None, state_name: str | None) -> Match | None:
        norm = normalise(name)
        if not norm:
            return Match("unmatched")
        found = self._rules(name, norm, state, city, state_name)
        mended = fix_vocabulary(norm)
        if found is None and mended != norm:
            found = self._rules(mended, mended, state, city, state_name)
            if found and found.status == "matched":
                found.method = "spelling"
        return found if found or state else Match("unmatched")

    def _rules(self, name: str, norm: str, state: str | None, city: str | None, state_name: str | None) -> Match | None:
        ids = self.exact.get((state, norm), set())
        if state and not ids:
            ids = self.exact.get((NATIONWIDE, norm), set())
        own_name = any(normalise(self.agencies[i].name) == norm for i in ids)
        method = "exact_name" if own_name else "alias"
        found = self._decide(ids, method, city)
        if found:
            return found
        implied = self.implied.get((state, norm), set()) | self.exact.get((state, _compact(norm)), set())
        found = self._decide(implied, "implied_name", city)
        if found:
            return found
        if state and state_name and norm.startswith(normalise(state_name) + " "):
            short = norm[len(normalise(state_name)) + 1 :]
            found = self._decide(self.exact.get((state, short), set()), "exact_name_without_state", city)
            if found and found.status == "matched":
                return found
        k = key(name)
        if k[0]:
            found = self._decide(self.words.get((state, (k[0], k[1])), set()), "same_words", city)
            if found:
                if found.status == "matched":
                    found.score = fuzz.token_sort_ratio(norm, normalise(self.agencies[found.agency_id].name))
                return found
        return None

    def _spelling(self, state: str, names: list[str]) -> list[Match]:
        ids, registry = self.blocks.get(state, ([], []))
        if not registry:
            return [Match("unmatched") for _ in names]
        wanted = [fix_vocabulary(normalise(n)) for n in names]
        scores = process.cdist(wanted, registry, scorer=fuzz.ratio, workers=1)
        out = []
        for row, query in zip(scores, wanted):
            order = np.argsort(row)[::-1][:3]
            best, second = order[0], (order[1] if len(order) > 1 else None)
            suggestions = [self._label(ids[j]) for j in order if row[j] >= 70]
            margin = row[best] - (row[second] if second is not None else 0)
            if row[best] >= FUZZY_FLOOR and margin >= FUZZY_MARGIN and _same_shape(query, registry[best]):
                out.append(Match("matched", ids[best], "spelling", float(row[best])))
            else:
                out.append(Match("unmatched", candidates=suggestions))
        return out


def from_database(con) -> tuple[Matcher, dict[str, str]]:
    """The matcher over every agency the database holds (by its registry's own name) and every alias, and the
    USPS -> state name map. The one definition of what a name may be matched to: the build calls it once, after
    the registries and their aliases are loaded; the command line and the dashboard call it on a built file."""
    agencies = [Agency(*r) for r in con.execute("SELECT agency_id, name, state, city FROM core.agencies").fetchall()]
    aliases = con.execute("SELECT agency_id, alias FROM core.agency_aliases").fetchall()
    state_names = dict(con.execute("SELECT state, state_name FROM core.states").fetchall())
    return Matcher(agencies, aliases), state_names


def _same_shape(a: str, b: str) -> bool:
    """Same roles, same number of distinctive words, each word nearly the same: a typo, not another agency."""
    (wa, ra), (wb, rb) = key(a), key(b)
    if ra != rb or len(wa) != len(wb) or not wa:
        return False
    return all(fuzz.ratio(x, y) >= WORD_FLOOR for x, y in zip(sorted(wa), sorted(wb)))


def _in_city(agency: Agency, city: str) -> bool:
    city = city.strip().lower()
    return bool(city) and (
        city == (agency.city or "").lower() or normalise(agency.name).startswith(normalise(city) + " ")
    )


def _compact(norm: str) -> str:
    """The normalised name without spaces, as its own key ('#' cannot occur in a normalised name)."""
    return "#" + norm.replace(" ", "")
