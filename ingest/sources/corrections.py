"""data/corrections.csv: corrections and caveats, each with its source, applied at every build."""

DELIM = ","
REQUIRED = ("source_id", "record_key", "field", "action", "value", "note", "source", "date")


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
