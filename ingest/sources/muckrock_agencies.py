"""MuckRock's agency directory as of 2017 (API v1 dump): where to send a records request. Read for each
agency's mailing address and records office email only; never evidence of anything (see
ingest/transform/agency_contacts.py)."""

DELIM = ","
REQUIRED = ("id", "name", "status", "address", "email", "absolute_url")


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
