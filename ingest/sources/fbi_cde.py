"""FBI Crime Data Explorer agency list: the registry of law-enforcement agencies and their ORIs."""

DELIM = ","
REQUIRED = (
    "agency_name",
    "agency_type_name",
    "county_name",
    "latitude",
    "longitude",
    "ori",
    "state_abbr",
    "state_name",
)


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
