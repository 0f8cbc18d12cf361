"""Placing agency names on the registry: by rule, never by a near miss."""

from rules.matching import Matcher, clean_registry_name, normalise

REGISTRY = [
    ("MI8234900", "Detroit Police Department", "MI"),
    ("FL0130000", "Miami-Dade Police Department", "FL"),
    ("FL0130600", "Miami Police Department", "FL"),
    ("CA0190000", "Los Angeles County Sheriff's Office", "CA"),
    ("CA0194200", "Los Angeles Police Department", "CA"),
    ("MA0070100", "Springfield Police Department", "MA"),
    ("IL0840200", "Springfield Police Department", "IL"),
    ("OR0340000", "Washington County Sheriff's Office", "OR"),
    ("MN0820000", "Washington County Sheriff's Office", "MN"),
    ("DEDSP0000", "State Police", "DE"),
    ("NV0020100", "Las Vegas Metropolitan Police Department Police Department", "NV"),
]


def test_exact_name_after_normalising_spellings():
    m = Matcher(REGISTRY)
    assert m.match("Detroit Police Dept.", "MI").agency_id == "MI8234900"
    assert m.match("DETROIT POLICE DEPARTMENT", "MI").method == "exact_name"
    assert m.match("Washington County Sheriffs Office", "OR").agency_id == "OR0340000"


def test_same_words_and_role_with_one_candidate():
    m = Matcher(REGISTRY)
    found = m.match("Los Angeles County Sheriff's Department", "CA")
    assert (found.status, found.agency_id, found.method) == ("matched", "CA0190000", "same_words")


def test_a_near_miss_is_not_a_match():
    m = Matcher(REGISTRY)
    # "Miami" is inside "Miami-Dade" but they are two agencies.
    assert m.match("Miami Police Department", "FL").agency_id == "FL0130600"
    assert m.match("Miami Beach Police Department", "FL").status == "unmatched"
    # A sheriff is not a police department of the same place.
    assert m.match("Los Angeles County Police Department", "CA").status == "unmatched"


def test_the_state_disambiguates_and_without_it_nothing_matches():
    m = Matcher(REGISTRY)
    assert m.match("Springfield Police Department", "IL").agency_id == "IL0840200"
    assert m.match("Springfield Police Department", "MO").status == "unmatched"


def test_state_name_prefix_is_dropped_only_for_an_exact_remainder():
    m = Matcher(REGISTRY)
    found = m.match("Delaware State Police", "DE", state_name="Delaware")
    assert (found.agency_id, found.method) == ("DEDSP0000", "exact_name_without_state")
    assert m.match("Delaware State Police", "DE").status == "unmatched"


def test_registry_names_with_a_repeated_suffix():
    assert (
        clean_registry_name("Las Vegas Metropolitan Police Department Police Department")
        == "Las Vegas Metropolitan Police Department"
    )
    assert normalise("Las Vegas Metropolitan Police Department Police Department") == normalise(
        "Las Vegas Metropolitan Police Dept"
    )


def test_ambiguous_names_list_their_candidates():
    m = Matcher(REGISTRY + [("MA0070200", "Springfield Police Department", "MA")])
    found = m.match("Springfield Police Department", "MA")
    assert found.status == "ambiguous" and len(found.candidates) == 2


def test_a_spelling_slip_matches_only_when_one_candidate_is_far_ahead():
    m = Matcher(REGISTRY)
    found = m.match("Detriot Police Department", "MI")
    assert (found.status, found.agency_id, found.method) == ("matched", "MI8234900", "spelling")
    assert found.score >= 90
    # Same words but another role is never a slip.
    assert m.match("Detroit Sheriffs Office", "MI").status == "unmatched"


def test_without_a_state_a_repeated_name_is_ambiguous_and_a_unique_one_matches():
    m = Matcher(REGISTRY)
    found = m.match("Springfield Police Department")
    assert found.status == "ambiguous" and {c.split("(")[1][:9] for c in found.candidates} == {"MA0070100", "IL0840200"}
    assert m.match("Washington County Sheriff").status == "ambiguous"
    assert m.match("Detroit Police Department").agency_id == "MI8234900"


def test_a_city_breaks_a_tie():
    m = Matcher(
        REGISTRY
        + [
            ("MA0000001", "Campus Police Department", "MA", "Boston"),
            ("MA0000002", "Campus Police Department", "MA", "Amherst"),
        ]
    )
    assert m.match("Campus Police Department", "MA").status == "ambiguous"
    found = m.match("Campus Police Department", "MA", city="Amherst")
    assert (found.status, found.agency_id) == ("matched", "MA0000002")


def test_aliases_and_private_companies():
    m = Matcher(REGISTRY + [("NY0303000", "New York City Police Department", "NY")], aliases=[("NY0303000", "NYPD")])
    found = m.match("NYPD", "NY")
    assert (found.agency_id, found.method) == ("NY0303000", "alias")
    assert m.match("NYPD").agency_id == "NY0303000"
    assert m.match("Macy's", "NY").status == "unmatched"
    assert m.match("Walmart Inc").status == "unmatched"


def test_match_many_equals_match_one_by_one():
    m = Matcher(REGISTRY)
    queries = [
        ("Detriot Police Dept", "MI"),
        ("Miami PD", "FL"),
        ("Springfield Police Department", None),
        ("Nowhere Police Department", "MI"),
    ]
    assert [r.agency_id for r in m.match_many(queries)] == [m.match(*q).agency_id for q in queries]


IMPLIED = [
    ("GA1", "University of Georgia", "GA"),
    ("IL1", "University of Chicago: Cook County", "IL"),
    ("AR1", "University of Arkansas: Fayetteville", "AR"),
    ("AR2", "University of Arkansas: Little Rock", "AR"),
    ("NJ1", "Clark Township Police Department", "NJ"),
    ("NY1", "Rosendale Town Police Department", "NY"),
    ("NY2", "Rosendale Police Department", "NY"),
    ("IL2", "De Kalb County Sheriff's Office", "IL"),
]


def test_names_the_registry_implies_place_campus_police_and_never_a_town_by_its_bare_name():
    m = Matcher(IMPLIED)
    assert m.match("University of Georgia Police Department", "GA").agency_id == "GA1"
    assert m.match("University of Chicago Police Department", "IL").agency_id == "IL1"  # the part before the colon
    assert m.match("University of Arkansas Little Rock Police Department", "AR").agency_id == "AR2"
    assert m.match("University of Arkansas Police Department", "AR").status == "ambiguous"  # two campuses
    assert m.match("Clark Police Department", "NJ").status == "unmatched"  # perhaps a city's police the list lacks
    assert m.match("Rosendale Police Department", "NY").agency_id == "NY2"
    assert m.match("DeKalb County Sheriff's Office", "IL").agency_id == "IL2"
    assert m.match("University of Georgia Police Department", "AL").status == "unmatched"  # never another state
    assert m.match("Georgia Police Department", "GA").status == "unmatched"
