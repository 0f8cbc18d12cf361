"""When a claim was last documented, in words: "used, last documented 2013", or, when its newest evidence is
more than STALE_AFTER_YEARS old, "used, not documented since 2013". A status without its date would present
old evidence as today's. Dates are the newest of the claim's evidence and links (views.claims last_documented)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

STALE_AFTER_YEARS = 5


def _as_date(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def stale_before(today: dt.date | None = None) -> dt.date:
    """The date before which a claim's newest evidence counts as old: five years before today."""
    today = today or dt.date.today()
    try:
        return today.replace(year=today.year - STALE_AFTER_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - STALE_AFTER_YEARS, day=28)


def is_stale(last_documented, today: dt.date | None = None) -> bool:
    last = _as_date(last_documented)
    return last is not None and last < stale_before(today)


def when(last_documented, today: dt.date | None = None) -> str:
    """'last documented 2013', 'not documented since 2013', or 'undated' when no source gives a date."""
    last = _as_date(last_documented)
    if last is None:
        return "undated"
    return f"not documented since {last.year}" if is_stale(last, today) else f"last documented {last.year}"


def status_with_date(status: str, last_documented, today: dt.date | None = None) -> str:
    """'used, last documented 2013'."""
    return f"{status}, {when(last_documented, today)}"


# One document standing behind this many evidence rows is said so, once, rather than counted as many sources.
MANY_ROWS = 5
_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9&-]{2,})\)")
_TITLE_WORD = re.compile(r"^(?:[A-Z][\w'-]*|&|of|and|for|the)$")


def named_system(summaries) -> str | None:
    """The system most of the rows' own words name, as 'Full Name (ACRONYM)': the Atlas's 246 Florida rows all
    say "Face Analysis Comparison & Examination System (FACES)". None when no name recurs in most of them."""
    texts = [t for t in summaries if isinstance(t, str)]
    counts: dict[str, int] = {}
    for text in texts:
        for found in set(_name_before(text, m) for m in _ACRONYM.finditer(text)):
            if found:
                counts[found] = counts.get(found, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] * 2 <= len(texts):
        return None
    # Names as often as the first are a tie: no one system is "the" system (and picking one would change with
    # each process's string hashing, which orders the set above).
    return ranked[0][0] if len(ranked) == 1 or ranked[1][1] < ranked[0][1] else None


def _name_before(text: str, match: re.Match) -> str | None:
    words = text[: match.start()].split()
    name: list[str] = []
    while words and _TITLE_WORD.match(words[-1]):
        name.insert(0, words.pop())
    while name and not name[0][:1].isupper():  # a name starts with a capital, not with "of" or "the"
        name.pop(0)
    return f"{' '.join(name)} ({match.group(1)})" if name else None
