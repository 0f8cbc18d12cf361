"""Every status carries its date (issue 15): rules/documented.py words, and the claims view's last_documented."""

from __future__ import annotations

import datetime as dt

from rules import documented
from rules.documented import is_stale, stale_before, status_with_date

TODAY = dt.date(2026, 12, 6)


def test_a_recent_claim_says_when_it_was_last_documented():
    assert status_with_date("used", dt.date(2023, 5, 1), TODAY) == "used, last documented 2023"


def test_a_claim_older_than_five_years_says_not_documented_since():
    assert status_with_date("used", dt.date(2013, 6, 10), TODAY) == "used, not documented since 2013"
    assert is_stale("2021-12-05", TODAY) and not is_stale("2021-12-06", TODAY)
    assert stale_before(dt.date(2024, 2, 29)) == dt.date(2019, 2, 28)


def test_an_undated_claim_says_so():
    assert status_with_date("procured", None, TODAY) == "procured, undated"


def test_last_documented_is_the_newest_link_not_the_earliest(db):
    # An Atlas row is dated by its earliest link; a later article on the same row documents the claim later.
    row = db.execute(
        """
        SELECT c.last_date, c.last_documented FROM views.claims c
        WHERE c.agency_id IN (SELECT agency_id FROM core.evidence WHERE evidence_id = 'atlas_2020:AOS0181:unnamed')
          AND c.vendor_id IS NULL AND c.product_id IS NULL
    """
    ).fetchall()
    assert row and row[0][1] >= dt.date(2019, 8, 1) > row[0][0]


def test_named_system_is_none_when_names_tie():
    """One row naming three systems names none of them "the" system; before, the pick followed the process's string
    hashing, so the same brief named SANDAG in one run and ARJIS or TACIDS in the next."""
    row = (
        "The San Diego Association of Governments (SANDAG) runs the Automated Regional Justice Information System "
        "(ARJIS), whose Tactical Identification System (TACIDS) used FaceFirst."
    )
    assert documented.named_system([row]) is None
    assert documented.named_system([row, "It used the Tactical Identification System (TACIDS) again."]) == (
        "Tactical Identification System (TACIDS)"
    )
