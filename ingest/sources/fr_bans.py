"""A compiled table of local and state facial-recognition bans and oversight rules."""

DELIM = ","
REQUIRED = ("jurisdiction", "date_of_action", "stance_link_text", "stance_plain", "source_url")


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
