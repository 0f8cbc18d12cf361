"""Records-law deadlines: business days across holidays, calendar days, and no fixed deadline."""
from datetime import date

from dashboard import queries
from dashboard.documents.letter import law_from_row
from ingest.deadlines import add_business_days, due_date


def test_federal_foia_20_business_days_across_thanksgiving():
    # Nov 16, 2026 (a Monday): Thanksgiving (Nov 26) is skipped; the day after is a working day.
    found = due_date(date(2026, 11, 16), "US", 20, "business", "FOIA")
    assert found.due == date(2026, 12, 15)
    assert "20 business days" in found.explanation


def test_business_days_skip_weekends_and_new_year():
    assert add_business_days(date(2026, 12, 31), 1, "US") == date(2027, 1, 4)   # Jan 1 is a Friday holiday


def test_a_state_with_calendar_days():
    law = law_from_row(queries.records_law("CA"), "CA")
    assert (law.response_days, law.day_type) == (10, "calendar")
    assert law.deadline(date(2026, 11, 16)).due == date(2026, 11, 26)   # calendar days count the holiday
    assert "7922.535" in law.citation


def test_a_state_with_no_fixed_deadline_says_so():
    law = law_from_row(queries.records_law("AL"), "AL")
    found = law.deadline(date(2026, 11, 16))
    assert found.due is None and "no fixed response deadline" in found.explanation
    assert "no fixed response deadline" in law.deadline_sentence(date(2026, 11, 16))


def test_unknown_day_kinds_give_both_readings():
    law = law_from_row(queries.records_law("MI"), "MI")
    found = law.deadline(date(2026, 11, 16))
    assert found.due is None and (found.earliest, found.latest) == (date(2026, 11, 21), date(2026, 11, 23))
    assert "between November 21, 2026 and November 23, 2026" in law.deadline_sentence(date(2026, 11, 16))


def test_federal_letter_names_its_due_date():
    law = law_from_row(queries.records_law("US"), "US")
    assert "that is by December 15, 2026" in law.deadline_sentence(date(2026, 11, 16))
