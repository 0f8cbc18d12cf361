"""Census Gazetteer places and counties: internal points used to place agencies on the map."""

DELIM = "|"
REQUIRED = ("USPS", "GEOID", "NAME", "INTPTLAT", "INTPTLONG")

# Legal/statistical suffixes the Census appends to place names ("Plano city", "Abanda CDP").
# Longest first, so "city and borough" wins over "borough".
PLACE_SUFFIXES = (
    "consolidated government (balance)",
    "metropolitan government (balance)",
    "unified government (balance)",
    "metro government (balance)",
    "city and borough",
    "(balance)",
    "municipality",
    "comunidad",
    "zona urbana",
    "borough",
    "village",
    "city",
    "town",
    "CDP",
    "township",
    "plantation",
)


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
