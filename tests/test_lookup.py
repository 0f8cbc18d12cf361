"""Places as people type them: the one lookup behind the Place page and `python -m ingest lookup`, on the
bundled data. Every expected answer is read from the database here, never copied from the code's output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import lookup
from rules import places

ROOT = Path(__file__).resolve().parent.parent
STATES = {"VT": "Vermont", "WA": "Washington", "NY": "New York", "MO": "Missouri", "OR": "Oregon", "DC": "D.C."}


@pytest.fixture(scope="module")
def run(db):
    return lambda sql, params: db.execute(sql, params).df()


@pytest.fixture(scope="module")
def gaz(run):
    return lookup.gazetteer(run)


@pytest.fixture(scope="module")
def ask(run, gaz):
    return lambda text: lookup.lookup(text, run, gaz)


def rows(db, sql: str, *params) -> list[tuple]:
    return db.execute(sql, list(params)).fetchall()


def evidence_first(answer) -> None:
    flags = answer.agencies["has_evidence"].tolist()
    assert flags == sorted(flags, reverse=True), "agencies with evidence come first"


# ------------------------------------------------------------------------------------------- reading the text


@pytest.mark.parametrize(
    ("text", "name", "state"),
    [
        ("Burlington, VT", "Burlington", "VT"),
        ("Burlington VT", "Burlington", "VT"),
        ("burlington , vermont", "burlington", "VT"),
        ("Washington County, OR", "Washington County", "OR"),
        ("Washington County OR", "Washington County", "OR"),
        ("St. Louis MO", "St. Louis", "MO"),
        ("Washington D.C.", "Washington", "DC"),
    ],
)
def test_a_state_after_the_name_is_read_with_or_without_a_comma(text, name, state):
    first = places.parse(text, STATES).readings[0]
    assert (first.name, first.state) == (name, state)


def test_saint_and_st_are_one_spelling_and_zip_codes_and_states_are_recognised():
    assert places.key("St. Louis") == places.key("Saint Louis") == places.key("SAINT-LOUIS")
    assert places.county_key("ST LOUIS") == places.county_key("St. Louis County")
    assert places.parse("48226", STATES).zip == "48226"
    assert places.parse("Detroit, MI 48226-1234", STATES).zip == "48226"
    assert places.parse("Vermont", STATES).state == places.parse("vt", STATES).state == "VT"
    # A state's name at the end may be part of the place's: the whole name is read too
    assert places.Reading("Fort Washington") in places.parse("Fort Washington", STATES).readings


def test_plurals():
    assert places.count(1, "agency") == "1 agency"
    assert places.count(2, "agency") == "2 agencies"
    assert places.count(3, "county") == "3 counties"
    assert places.count(0, "place") == "0 places"


def test_a_city_among_small_towns_is_answered_and_rivals_are_asked_about():
    assert places.dominant([57, 1, 1, 0]) == 0
    assert places.dominant([1, 4, 0]) == 1
    assert places.dominant([13, 7, 7]) is None
    assert places.dominant([2, 1]) is None  # two small towns: ask


# ------------------------------------------------------------------------------------------- the answers


def test_washington_county_asks_which_one_with_counts(ask, db):
    answer = ask("Washington County")
    expected = {
        s for (s,) in rows(db, "SELECT state FROM views.places WHERE kind = 'county' AND name = ?", "Washington County")
    }
    assert len(expected) >= 25
    assert answer.ambiguous and answer.agencies.empty and not answer.places
    assert {c["state"] for c in answer.choices} == expected
    assert all(c["label"] == f"Washington County, {c['state']}" for c in answer.choices)
    oregon = next(c for c in answer.choices if c["state"] == "OR")
    (n,) = rows(
        db,
        """SELECT count(*) FROM views.agencies WHERE state = 'OR' AND (
               (upper(county) IN ('WASHINGTON', 'WASHINGTON COUNTY') AND agency_kind <> 'State')
               OR (agency_kind = 'State' AND (county IS NULL OR upper(county) IN ('WASHINGTON', 'WASHINGTON COUNTY')
                   OR agency_id IN (SELECT agency_id FROM served.agency_map))))""",
    )[0]
    assert oregon["agencies"] == n
    assert f"{len(expected)} counties are called Washington County" in answer.sentence


def test_washington_county_in_a_state_lists_that_county_only(ask, db):
    answer = ask("Washington County, OR")
    assert not answer.ambiguous and answer.places[0].label == "Washington County, OR"
    assert set(answer.agencies["state"]) == {"OR"}
    sheriff = rows(
        db,
        "SELECT agency_id FROM views.agencies WHERE state = 'OR' AND agency_kind = 'County' AND upper(county) LIKE 'WASHINGTON%'",
    )
    assert {a for (a,) in sheriff} <= set(answer.agencies["agency_id"])
    evidence_first(answer)
    # A county that is not in the state typed: the places that have one are offered instead
    nowhere = ask("Washington County, WA")
    assert nowhere.ambiguous and nowhere.sentence.startswith("There is no Washington County in Washington.")
    assert "WA" not in {c["state"] for c in nowhere.choices}


def test_springfield_asks_instead_of_picking_illinois(ask, db):
    answer = ask("Springfield")
    states = {s for (s,) in rows(db, "SELECT state FROM views.places WHERE kind = 'place' AND name = ?", "Springfield")}
    assert answer.ambiguous and not answer.places and answer.agencies.empty
    assert states <= {c["state"] for c in answer.choices}
    assert {"IL", "MA", "MO"} <= {c["state"] for c in answer.choices}
    picked = ask("Springfield, IL")
    assert not picked.ambiguous and set(picked.agencies["state"]) == {"IL"}


def test_burlington_with_and_without_the_comma_is_one_answer(ask, db):
    comma, plain = ask("Burlington, VT").as_json(), ask("Burlington VT").as_json()
    assert comma["agencies"] and comma["places"] == plain["places"]
    assert comma["agencies"] == plain["agencies"]
    own = {a for (a,) in rows(db, "SELECT agency_id FROM views.agencies WHERE state = 'VT' AND city = 'Burlington'")}
    first = [a["agency_id"] for a in comma["agencies"][: len(own)]]
    assert own and set(first) == own, "the city's own agencies lead when none has evidence"
    assert all(a["state"] == "VT" for a in comma["agencies"])


def test_saint_louis_and_st_louis_agree(ask, db):
    st, saint = ask("St. Louis").as_json(), ask("Saint Louis").as_json()
    assert st["places"] == saint["places"] and st["agencies"] == saint["agencies"]
    assert st["places"][0]["label"] == "St. Louis, MO"
    (police,) = rows(
        db,
        "SELECT agency_id FROM views.agencies WHERE state = 'MO' AND city = 'St. Louis' AND agency_kind = 'Municipal'",
    )[0]
    assert police in {a["agency_id"] for a in st["agencies"]}
    # The registry writes the county "ST LOUIS": its sheriff serves the city
    county = rows(
        db, "SELECT agency_id FROM views.agencies WHERE state = 'MO' AND county = 'ST LOUIS' AND agency_kind = 'County'"
    )
    assert {a for (a,) in county} <= {a["agency_id"] for a in st["agencies"]}


def test_miami_answers_miami_florida_with_its_police_first(ask, db):
    answer = ask("Miami")
    assert not answer.ambiguous and answer.places[0].label == "Miami, FL"
    (police,) = rows(
        db, "SELECT agency_id FROM views.agencies WHERE state = 'FL' AND name = 'Miami Police Department'"
    )[0]
    assert answer.agencies["agency_id"].iloc[0] == police
    assert len(answer.choices) > 1, "the other places called Miami are offered"
    evidence_first(answer)


def test_a_zip_code_is_its_city_county_and_state(ask, db):
    answer = ask("48226")
    assert answer.places[0].label == "ZIP code 48226 (Detroit, Wayne County, MI)"
    assert set(answer.agencies["state"]) == {"MI"}
    with_evidence = rows(
        db,
        """SELECT agency_id FROM served.agency_map WHERE state = 'MI' AND (city = 'Detroit'
           OR (agency_kind = 'State') OR (city IS NULL AND county = 'Wayne County' AND agency_kind NOT IN ('Municipal')))""",
    )
    shown = answer.agencies[answer.agencies["has_evidence"]]
    assert set(shown["agency_id"]) == {a for (a,) in with_evidence}
    assert answer.agencies["agency_id"].iloc[0] == "MI8234900"  # Detroit's police: evidence, and the city's own
    assert ask("00000").known is False and "not a US ZIP code" in ask("00000").sentence


def test_a_state_name_lists_every_agency_in_the_state_and_its_laws(ask, db):
    answer = ask("Vermont")
    assert answer.places[0].level == "state" and answer.places[0].state == "VT"
    (n,) = rows(db, "SELECT count(*) FROM views.agencies WHERE state = 'VT'")[0]
    assert len(answer.agencies) == n
    assert ask("VT").as_json()["agencies"] == answer.as_json()["agencies"]


def test_statewide_laws_reach_every_place_in_the_state(ask, db):
    statewide = {
        p
        for (p,) in rows(db, "SELECT policy_id FROM views.policies WHERE state = 'CA' AND jurisdiction_level = 'state'")
    }
    assert statewide
    for text in ("Oakland, CA", "Fresno, CA", "94103"):
        assert statewide <= set(ask(text).policies["policy_id"]), text
    city_bans = rows(
        db, "SELECT policy_id, place_name FROM views.policies WHERE state = 'CA' AND jurisdiction_level = 'city'"
    )
    sf = {p for p, name in city_bans if name == "San Francisco"}
    assert sf and sf <= set(ask("94103").policies["policy_id"])
    assert not sf & set(ask("Fresno, CA").policies["policy_id"])


def test_an_agency_name_is_not_read_as_a_place(ask, db):
    answer = ask("Detroit Police")
    assert not answer.places and not answer.ambiguous
    matching = rows(
        db,
        """SELECT agency_id FROM views.agencies WHERE contains(lower(concat_ws(' ', name, city, county, state, state_name)), 'detroit')
           AND contains(lower(concat_ws(' ', name, city, county, state, state_name)), 'police')""",
    )
    assert set(answer.agencies["agency_id"]) == {a for (a,) in matching}
    assert answer.agencies["agency_id"].iloc[0] == "MI8234900"


@pytest.mark.parametrize("text", ["'; DROP TABLE x; --", "%", "_", "\\", "$q"])
def test_text_that_is_no_place_and_no_agency_says_so(ask, text):
    answer = ask(text)
    assert answer.known is False and answer.agencies.empty and not answer.ambiguous
    assert answer.sentence.startswith(f"No agency matching “{text}”")


# ------------------------------------------------------------------------------------------- the command


def ingest(*args, db) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingest", "lookup", *args, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_prints_the_documented_json(built_db, ask):
    result = ingest("Burlington, VT", "--format", "json", db=built_db)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert list(answer)[:5] == ["query", "ambiguous", "choices", "places", "agencies"]
    assert answer["query"] == "Burlington, VT" and answer["ambiguous"] is False
    assert answer["choices"][0]["label"] == "Burlington, VT" and answer["choices"][0]["state"] == "VT"
    assert list(answer["agencies"][0]) == list(lookup.AGENCY_FIELDS)
    assert list(answer["agencies"][0])[:6] == ["agency_id", "ori", "name", "state", "status", "last_documented"]
    # the page's answer, in the page's order
    assert answer == json.loads(json.dumps(ask("Burlington, VT").as_json(), default=str))
    plain = json.loads(ingest("Burlington VT", "--format", "json", db=built_db).stdout)
    assert plain["agencies"] == answer["agencies"]


def test_command_asks_which_springfield(built_db):
    result = ingest("Springfield", "--format", "json", db=built_db)
    answer = json.loads(result.stdout)
    assert answer["ambiguous"] is True and answer["agencies"] == [] and answer["places"] == []
    assert "Springfield, IL" in {c["label"] for c in answer["choices"]}
    assert all({"label", "state", "level", "agencies", "with_evidence"} <= set(c) for c in answer["choices"])
    text = ingest("Springfield", db=built_db)
    assert text.returncode == 0, text.stderr
    assert "which one do you mean?" in text.stdout and "Springfield, IL" in text.stdout


def test_command_text_lists_the_agencies(built_db):
    result = ingest("48226", db=built_db)
    assert result.returncode == 0, result.stderr
    assert "ZIP code 48226 (Detroit, Wayne County, MI)" in " ".join(result.stdout.split())
    assert "MI8234900" in result.stdout


def test_command_without_a_database_says_so(tmp_path):
    result = ingest("Miami", db=tmp_path / "none.duckdb")
    assert result.returncode == 1 and "There is no database at" in result.stderr


def test_words_people_add_to_a_city_name(ask, db):
    assert ask("City of Detroit").as_json()["places"] == ask("Detroit, MI").as_json()["places"]
    assert ask("New York City").as_json()["places"] == ask("New York, NY").as_json()["places"]
    # A city whose own name ends in "City" keeps it, and two large ones are asked about
    kansas = ask("Kansas City")
    states = {s for (s,) in rows(db, "SELECT state FROM views.places WHERE kind = 'place' AND name = 'Kansas City'")}
    assert kansas.ambiguous and {c["state"] for c in kansas.choices} == states == {"KS", "MO"}
    assert ask("").known is False and ask("").sentence.startswith("Nothing was typed")


def test_the_command_is_listed_with_its_help():
    listed = subprocess.run([sys.executable, "-m", "ingest", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert "lookup" in listed.stdout and "the Place page's answer" in " ".join(listed.stdout.split())
    own = subprocess.run([sys.executable, "-m", "ingest", "lookup", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert own.returncode == 0 and "--format" in own.stdout and "Burlington, VT" in own.stdout


def test_a_post_office_town_the_census_does_not_name_is_a_place(ask, db):
    import zipcodes

    census = rows(db, "SELECT state FROM views.places WHERE kind = 'place' AND name = 'Brooklyn' AND state = 'NY'")
    postal = [z for z in zipcodes.filter_by(city="Brooklyn", state="NY") if z["zip_code_type"] == "STANDARD"]
    assert not census and len(postal) >= 3
    answer = ask("Brooklyn")
    assert answer.places[0].label == "Brooklyn, NY" and answer.places[0].counties == ("kings",)
    # its county's own agencies (here a college with no city of its own), never another town's police
    county = rows(
        db,
        "SELECT agency_id FROM views.agencies WHERE state = 'NY' AND upper(county) LIKE 'KINGS%' "
        "AND city IS NULL AND agency_kind NOT IN ('Municipal', 'State')",
    )
    assert county and {a for (a,) in county} <= set(answer.agencies[answer.agencies["serves"] == "county"]["agency_id"])


def test_a_territory_s_own_police_serve_its_towns_and_a_zip_label_has_no_empty_part(ask, db):
    police = {
        a for (a,) in rows(db, "SELECT agency_id FROM views.agencies WHERE state = 'PR' AND name = 'Puerto Rico'")
    }
    assert police
    for text in ("San Juan, PR", "00901"):
        assert police <= set(ask(text).agencies["agency_id"]), text
    import zipcodes

    (samoa,) = zipcodes.matching("96799")
    assert samoa["county"] == ""  # the package gives American Samoa's ZIP code no county
    assert ask("96799").places[0].label == "ZIP code 96799 (Pago Pago, AS)"


def test_washington_dc_lists_the_districts_agencies_placed_nowhere(ask, db):
    """DC is one city: an agency the registry places in no city and no county there (Metro Transit Police) serves
    Washington, as the district's own."""
    answer = ask("Washington, DC")
    nowhere = {
        name
        for (name,) in rows(
            db,
            "SELECT name FROM views.agencies WHERE state = 'DC' AND city IS NULL AND county IS NULL "
            "AND agency_kind <> 'State'",
        )
    }
    assert "Metro Transit Police" in nowhere
    city = answer.agencies[answer.agencies["serves"] == "city"]
    assert nowhere <= set(city["name"])


def test_the_static_pages_list_and_the_place_pages_table_are_one_list(gaz):
    """lookup.serving (the static pages' list) and the Place page's table are one list in one order."""
    for level, name, state in (
        ("city", "Miami", "FL"),
        ("county", "Miami-Dade County", "FL"),
        ("city", "Detroit", "MI"),
    ):
        place = lookup.place_named(gaz, level, name, state)
        table = lookup._serving(gaz, place)
        assert lookup.serving(gaz, place) == list(zip(table["agency_id"], table["serves"]))
        assert len(table) == len(set(table["agency_id"]))
