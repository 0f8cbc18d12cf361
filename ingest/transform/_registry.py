"""One agency matcher per build for the live-source transforms: building it indexes every registry
agency and alias (about a second), and the registry does not change between those transforms."""

from __future__ import annotations

from rules.matching import Matcher, from_database

_cache: dict[tuple, tuple[Matcher, dict[str, str]]] = {}


def reset() -> None:
    """Called at the start of every build's transforms: a matcher never outlives its build."""
    _cache.clear()


def matcher(con) -> tuple[Matcher, dict[str, str]]:
    # Keyed by what the matcher indexes: a transform that adds agencies before another gets a fresh one.
    key = con.execute(
        "SELECT (SELECT count(*) FROM core.agencies), (SELECT count(*) FROM core.agency_aliases)"
    ).fetchall()[0]
    if key not in _cache:
        _cache.clear()
        _cache[key] = from_database(con)
    return _cache[key]
