"""Which city, county or state a typed name means, for the hearing brief: the Place page's own lookup
(dashboard/lookup.py), so that "Miami-Dade", "Springfield, IL", "Saint Louis" and "48226" are read one way
everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.lookup import Run, lookup


@dataclass(frozen=True)
class Place:
    level: str  # city | county | state
    name: str  # the city's or county's name as the registry writes it; the state's USPS code for a state
    state: str

    @property
    def label(self) -> str:
        return self.state if self.level == "state" else f"{self.name}, {self.state}"


@dataclass(frozen=True)
class Found:
    place: Place | None
    sentence: str  # what to do when no one place was meant
    choices: tuple[str, ...] = ()  # the places the words fit, each a label to look up again ("Springfield, IL")


def find(text: str, run: Run) -> Found:
    """The one city, county or state the text means; a ZIP code means its city. Otherwise the lookup's own sentence
    and, when several places share the name, their labels to choose from."""
    answer = lookup(text, run)
    if answer.places:
        meant = answer.places[0]
        if meant.level == "zip":
            return Found(Place("city", meant.city, meant.state), "")
        return Found(Place(meant.level, meant.state if meant.level == "state" else meant.name, meant.state), "")
    if answer.ambiguous:
        return Found(None, answer.sentence, tuple(c["label"] for c in answer.choices))
    if answer.known:  # the words name agencies, not a place
        return Found(None, f"“{answer.query}” names agencies, not a place: type a city, county or state.")
    return Found(None, answer.sentence)
