"""The words a regular expression cannot match without, worked out from the pattern itself.

A rule's pattern stays the one implementation: these words only let a reader skip text the pattern cannot match
(none of them appears), as RE2 and Hyperscan do. Python's re tries a pattern such as `\\b(uses|used|...)\\b` at
every character, about 3 µs a sentence; looking for a few words with `in` takes a tenth of that, and a build
at a million rows reads each summary with six such patterns.
"""

from __future__ import annotations

import re

try:  # the parser behind re.compile (Python 3.11+); without it, no words are worked out and nothing is skipped
    from re import _constants as c
    from re import _parser as parser
except ImportError:  # pragma: no cover - an older or other Python
    parser = None


def needed_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Words in lower case, one of which is in the lower-cased text wherever `pattern` matches, or None when the
    pattern gives none. For ASCII text only: there lower-casing keeps each character in its place, and a
    letter matches (with re.I or without) only a letter of the same lower case."""
    if parser is None or re.search(r"[^\x00-\x7f]", pattern.pattern):
        return None
    try:
        tree = parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - a pattern the parser reads otherwise: no words, nothing is skipped
        return None
    words = {w.lower() for w in _sequence(list(tree)) or ()}
    if not words or "" in words:
        return None
    return frozenset(w for w in words if not any(o != w and o in w for o in words))  # "access" covers "access the"


def _sequence(items: list) -> set[str] | None:
    """The most selective set of words one of which every match of this sequence holds (the set whose shortest
    word is longest), or None."""
    candidates: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av)
            continue
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # match no character: the run of literals goes on across them
            continue
        if run:
            candidates.append({run})
            run = ""
        found = _item(op, av)
        if found:
            candidates.append(found)
    if run:
        candidates.append({run})
    return max(candidates, key=lambda words: min(map(len, words)), default=None)


def _item(op, av) -> set[str] | None:
    if op is c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is c.BRANCH:
        alternatives = [_sequence(list(branch)) for branch in av[1]]
        return None if any(not a for a in alternatives) else set().union(*alternatives)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
        return _sequence(list(av[2]))
    return None
