"""Lists in plain English, for the brief and the letter."""

from __future__ import annotations

# Suffixes many agency names share, and how a list of them reads once the suffix is said once.
FACTORED = (
    (" County Sheriff's Office", "the county sheriff's offices of"),
    (" Police Department", "the police departments of"),
)
FACTOR_FROM = 3  # this many such names read better as "the police departments of A, B and C"


def join_words(items) -> str:
    """'A', 'A and B', 'A, B and C': no serial comma, as the letter and the brief are written."""
    items = [str(i) for i in items if str(i)]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def agency_list(names) -> str:
    """Agency names as one readable list: many '<Town> Police Department' become 'the police departments of
    <Town>, <Town> and <Town>' (and sheriff's offices likewise) after the other agencies, so that a county's list
    is a sentence, not a page."""
    rest, groups = sorted(set(names)), []
    for suffix, phrase in FACTORED:
        places = [n[: -len(suffix)] for n in rest if n.endswith(suffix) and len(n) > len(suffix)]
        if len(places) >= FACTOR_FROM:
            groups.append(f"{phrase} {join_words(places)}")
            rest = [n for n in rest if not (n.endswith(suffix) and len(n) > len(suffix))]
    return "; ".join(groups) if not rest else "; ".join([join_words(rest) if not groups else "; ".join(rest), *groups])


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
