"""Dates as sources write them: 7/31/2020, 08/08/2019, 11/08/19, 2012, "October 16th, 2019", "March, 2018"."""

from __future__ import annotations

import re
from datetime import date, datetime

US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
# Only from the first digit of a run: tried from every digit, a long run of digits took quadratic time.
ORDINAL = re.compile(r"(?<!\d)(\d+)(st|nd|rd|th)\b")


def parse(text: str | None) -> tuple[date | None, str | None]:
    """Return (date, precision) with precision day, month or year; (None, None) if unreadable."""
    if text is None or not text.strip():
        return None, None
    text = " ".join(text.split())
    m = US_DATE.match(text)
    if m:
        month, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if year < 100:
            year += 2000 if year < 70 else 1900
        try:
            return date(year, month, day), "day"
        except ValueError:
            return None, None
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1), "year"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text), "day"
    text = ORDINAL.sub(r"\1", text)
    for fmt, precision in (("%B %d, %Y", "day"), ("%B %d %Y", "day"), ("%B, %Y", "month"), ("%B %Y", "month")):
        try:
            return datetime.strptime(text, fmt).date(), precision
        except ValueError:
            continue
    return None, None
