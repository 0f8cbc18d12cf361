"""When a records request is due: business or calendar days as the state's law says, holidays
from the `holidays` package, and no date at all where the law sets no fixed deadline.

Day 1 is the first day after the request is received. Where the table does not say whether its
days are business or calendar days, both readings are given rather than one guessed. day_type
'none' means a source says the law sets no fixed number of days; `note` is what the law says about
timing in its own words (core.records_laws.deadline_note) and is added to the explanation. Due
dates count the base deadline only: extensions a law allows are in the note and the caveat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays


@dataclass
class Deadline:
    due: date | None  # None: no fixed deadline, or the kind of day is unknown
    earliest: date | None  # with unknown day kinds: the calendar-day reading
    latest: date | None  # ... and the business-day reading
    explanation: str


def holiday_calendar(state: str, years: range):
    # Federal FOIA counts federal holidays; a state's law its own (the package adds state holidays).
    if state.upper() == "US":
        return holidays.country_holidays("US", years=years)
    try:
        return holidays.country_holidays("US", subdiv=state.upper(), years=years)
    except NotImplementedError:
        return holidays.country_holidays("US", years=years)


def add_business_days(start: date, days: int, state: str) -> date:
    off = holiday_calendar(state, range(start.year, start.year + 2 + days // 200))
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            counted += 1
    return current


def due_date(
    requested: date, state: str, response_days: int | None, day_type: str, citation: str, note: str | None = None
) -> Deadline:
    said = f" {note}" if note else ""
    if day_type == "none":
        return Deadline(
            None,
            None,
            None,
            f"{citation} sets no fixed response deadline.{said} Ask for an acknowledgement and an estimated date.",
        )
    if response_days is None:
        return Deadline(
            None,
            None,
            None,
            f"{citation} sets no fixed response deadline in our table: "
            f"ask for an acknowledgement and an estimated date.{said}",
        )
    if day_type == "business":
        due = add_business_days(requested, response_days, state)
        return Deadline(
            due,
            due,
            due,
            f"{citation}: {response_days} business days from {requested:%B %d, %Y}, "
            f"skipping weekends and {state.upper()} holidays: due {due:%B %d, %Y}.{said}",
        )
    if day_type == "calendar":
        due = requested + timedelta(days=response_days)
        return Deadline(
            due,
            due,
            due,
            f"{citation}: {response_days} calendar days from {requested:%B %d, %Y}: due {due:%B %d, %Y}.{said}",
        )
    early = requested + timedelta(days=response_days)
    late = add_business_days(requested, response_days, state)
    return Deadline(
        None,
        early,
        late,
        f"{citation}: {response_days} days, and our table does not say whether "
        f"business or calendar days: due between {early:%B %d, %Y} (calendar) and "
        f"{late:%B %d, %Y} (business).{said}",
    )
