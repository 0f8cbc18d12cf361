"""Curated other names of registry agencies ("NYPD"), each with the page that uses it."""

DELIM = ","
REQUIRED = ("agency_id", "alias", "source_url")


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
