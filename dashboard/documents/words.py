"""Lists in plain English, for the brief and the letter."""

from __future__ import annotations

POLICE = " Police Department"
FACTOR_FROM = 3  # this many police departments read better as "the police departments of A, B and C"


def join_words(items) -> str:
    """'A', 'A and B', 'A, B and C': no serial comma, as the letter and the brief are written."""
    items = [str(i) for i in items if str(i)]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def agency_list(names) -> str:
    """Agency names as one readable list: many '<Town> Police Department' become 'the police departments of
    <Town>, <Town> and <Town>' after the other agencies, so that a county's list is a sentence, not a page."""
    names = sorted(set(names))
    police = [n[: -len(POLICE)] for n in names if n.endswith(POLICE) and len(n) > len(POLICE)]
    if len(police) < FACTOR_FROM:
        return join_words(names)
    others = [n for n in names if not (n.endswith(POLICE) and len(n) > len(POLICE))]
    return "; ".join([*others, f"the police departments of {join_words(police)}"])


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
