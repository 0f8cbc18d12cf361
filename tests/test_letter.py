"""The records request letter (issue 16): its period covers the evidence it cites, its lists read as English,
and it is addressed from MuckRock's 2017 agency directory (dated, to be checked) with no one's personal email."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from dashboard import queries
from dashboard.documents.letter import build_letter, law_from_row, period_start
from rules.contacts import address_state, mailing_address, role_email

TODAY = date(2026, 12, 6)
MIAMI_PD = "FL0130600"  # FACES rows from a 2013 presentation
DETROIT_PD = "MI8234900"


def letter_for(agency_id: str) -> str:
    agency = queries.agency(agency_id)
    state = agency["state"] if isinstance(agency["state"], str) else "US"
    return build_letter(
        agency, queries.agency_claims(agency_id), law_from_row(queries.records_law(state), state), TODAY
    )


def asked_from(letter: str) -> date:
    found = re.search(r"from January 1, (\d{4}) to the date of this request", letter)
    assert found, letter
    return date(int(found.group(1)), 1, 1)


def test_the_period_starts_before_the_earliest_evidence_it_cites():
    letter = letter_for(MIAMI_PD)
    assert "earliest record 2013" in letter
    assert asked_from(letter) == date(2012, 1, 1)  # it said 2016 while citing 2013 evidence


def test_every_agency_with_claims_is_asked_from_before_its_evidence(db):
    rows = db.execute(
        "SELECT agency_id, min(first_date) FROM served.claims WHERE first_date IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT 60"
    ).fetchall()
    for agency_id, first in rows:
        assert asked_from(letter_for(agency_id)) < first, agency_id


def test_no_evidence_keeps_the_default_period():
    assert period_start(pd.DataFrame(columns=["first_date"])) == 2016
    assert period_start(pd.DataFrame({"first_date": [pd.Timestamp("2019-05-01")]})) == 2016
    assert period_start(pd.DataFrame({"first_date": [pd.Timestamp("2016-01-01"), None]})) == 2015


def claims(products: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "vendor": [p.split()[0] for p in products],
            "product": products,
            "status": "used",
            "contested": False,
            "evidence_count": 1,
            "first_date": pd.Timestamp("2019-01-01"),
            "last_date": pd.Timestamp("2019-01-01"),
            "last_documented": pd.Timestamp("2019-01-01"),
            "source_urls": "https://example.org/a",
        }
    )


@pytest.mark.parametrize(
    "products, said",
    [
        (["Alpha One"], "including Alpha One."),
        (["Alpha One", "Beta Two"], "including Alpha One and Beta Two."),
        (["Alpha One", "Beta Two", "Gamma Three"], "including Alpha One, Beta Two and Gamma Three."),
    ],
)
def test_products_and_vendors_are_listed_as_english(products, said):
    agency = {"name": "Test Police Department", "city": "Town", "county": None, "state": "MI"}
    letter = build_letter(agency, claims(products), None, TODAY)
    assert said in letter
    vendors = [p.split()[0] for p in products]
    assert (
        f"Communications with {' and '.join(vendors) if len(vendors) < 3 else 'Alpha, Beta and Gamma'} about" in letter
    )
    assert "1 public record;" in letter and "record(s)" not in letter


def test_the_address_comes_from_the_2017_directory_dated_and_to_be_checked():
    letter = letter_for(MIAMI_PD)
    head = letter.split("Re:")[0]
    assert "Miami Police Department\n400 NW 2nd Avenue\nMiami, Florida 33128\n" in head
    assert "(address as of 2017, check it: MuckRock's agency directory, https://www.muckrock.com/agency/" in head


def test_a_records_office_email_is_given_when_it_names_an_office():
    head = letter_for("FL0130400").split("Re:")[0]  # Hialeah Police Department
    assert "Records email: policerecords@hialeahfl.gov" in head and "address as of 2017, check it" in head


def test_the_address_arrives_through_the_pipeline(db):
    """Source registry -> raw record of the bundled file -> core.agency_contacts, placed by the matcher."""
    row = db.execute(
        """SELECT c.source_id, s.platform, r.record->>'name', r.record->>'address', c.as_of
           FROM core.agency_contacts c JOIN raw.records r ON r.record_id = c.raw_record_id
           JOIN meta.sources s ON s.source_id = c.source_id WHERE c.agency_id = ?""",
        [MIAMI_PD],
    ).fetchone()
    assert row[:3] == ("muckrock_agencies_2017", "muckrock_agencies", "Miami Police Department")
    assert "400 NW 2nd Avenue" in row[3] and row[4] == date(2017, 9, 23)


def test_where_no_address_is_known_the_letter_says_where_to_find_it(db):
    agency_id = db.execute(
        "SELECT agency_id FROM views.agencies WHERE state = 'FL' AND agency_id NOT IN "
        "(SELECT agency_id FROM views.agency_contacts) AND agency_id IN (SELECT agency_id FROM served.claims) "
        "ORDER BY agency_id LIMIT 1"
    ).fetchone()[0]
    head = letter_for(agency_id).split("Re:")[0]
    assert "address as of" not in head
    assert "[Mailing address not in our data: find the records office's address on the agency's website" in head
    assert "https://www.muckrock.com/agency/list/" in head and "guide to the Florida Public Records Law" in head


def test_no_personal_email_reaches_a_letter(db):
    withheld = db.execute(
        """SELECT c.agency_id, r.record->>'email' FROM core.agency_contacts c
           JOIN raw.records r ON r.record_id = c.raw_record_id WHERE c.email_withheld ORDER BY 1 LIMIT 40"""
    ).fetchall()
    assert len(withheld) >= 20
    for agency_id, email in withheld:
        assert email.lower() not in letter_for(agency_id).lower(), agency_id
    kept = db.execute(
        "SELECT records_email, source_name FROM core.agency_contacts WHERE records_email IS NOT NULL"
    ).fetchall()
    assert kept and all(role_email(email, name) == email for email, name in kept)


@pytest.mark.parametrize(
    "email, agency, kept",
    [
        ("records@example.gov", "", True),
        ("FOIA@Agency.gov", "", True),
        ("publicrecords@city.gov", "", True),
        ("pio@nlrpolice.org", "", True),
        ("311@miamidade.gov", "", True),
        ("contact.miamidade@flhealth.gov", "Miami-Dade County Health Department", True),
        ("directorsoffice@mdpd.com", "", True),
        ("kate.silvia@massmail.state.ma.us", "", False),
        ("LornaSalomon@miamisao.com", "Miami-Dade State Attorney's Office", False),
        ("ddavis@miami-airport.com", "", False),
        ("jimmymorales@miamibeachfl.gov", "City of Miami Beach", False),
        ("records@", "", False),
        ("records@example.gov, foia@example.gov", "", False),
        ("", "", False),
        (None, "", False),
    ],
)
def test_only_an_offices_email_is_kept(email, agency, kept):
    assert (role_email(email, agency) is not None) is kept


def test_an_address_keeps_no_phone_no_name_and_not_the_agency_name_twice():
    text = (
        "City of Miami \r\nDepartment of Fire-Rescue \r\nDivision of Emergency Management \r\n305-416-5439 \r\n"
        "444 S.W. Second Avenue, 10th Floor \r\nMiami, Florida 33130"
    )
    assert mailing_address(text) == (
        "City of Miami\nDepartment of Fire-Rescue\nDivision of Emergency Management\n"
        "444 S.W. Second Avenue, 10th Floor\nMiami, Florida 33130"
    )
    assert mailing_address("Lorna Salomon\nAttn: Jane Roe\n1350 N.W. 12 Avenue\nMiami, FL 33136-2111") == (
        "1350 N.W. 12 Avenue\nMiami, FL 33136-2111"
    )
    assert mailing_address(
        "Miami Police Department\n400 NW 2nd Avenue\nMiami, Florida 33128", "Miami Police Department"
    ) == ("400 NW 2nd Avenue\nMiami, Florida 33128")
    assert mailing_address("Attn: Records Unit\n645 Pierce Street\nClearwater, Florida 33756") == (
        "Attn: Records Unit\n645 Pierce Street\nClearwater, Florida 33756"
    )
    assert mailing_address("someone@example.org") is None and mailing_address("1 Main St") is None


def test_an_address_names_its_state():
    names = {"FL": "Florida", "NY": "New York", "MA": "Massachusetts"}
    assert address_state("400 NW 2nd Avenue\nMiami, Florida 33128", names) == "FL"
    assert address_state("Orlando, FL. 32816", names) == "FL"
    assert address_state("1 Police Plaza\nNew York, New York 10038", names) == "NY"
    assert address_state("Milford, MA 01757", names) == "MA"
    assert address_state("Somewhere 12345", names) is None
