"""Agencies' own statements: right of reply, each one quoted from its published source."""

DELIM = ","
REQUIRED = ("agency_id", "vendor", "kind", "statement", "date", "source_url")


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
