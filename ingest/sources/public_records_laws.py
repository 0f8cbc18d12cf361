"""State public-records laws: statute, response deadline and the guide to check it against."""

DELIM = ","
REQUIRED = ("state", "name", "statute", "responseWithinDays", "rcGuideUrl")


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
