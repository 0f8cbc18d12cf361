"""A public-records request letter for one agency, citing its state's law and deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.documents.words import join_words, plural
from rules.deadlines import Deadline, due_date
from rules.documented import status_with_date

# The period asked for starts a year before the earliest evidence the letter cites (contracts and trials
# come before the articles that report them), and never later than this year.
DEFAULT_FROM_YEAR = 2016
DIRECTORY = "https://www.muckrock.com/agency/list/"

ASKS = (
    "Contracts, purchase orders, invoices, payments, quotes and grant applications for facial-recognition "
    "products or services{products}.",
    "Records of any free trial, pilot or test account, including the list of accounts opened, the dates they "
    "were active and the terms of the trial (personal information may be redacted).",
    "Search logs, audit logs or usage reports showing how many facial-recognition searches were run, by month.",
    "Policies, procedures, training materials and use guidelines governing facial recognition.",
    "Audits, reviews, accuracy or bias assessments, and reports to the council or any oversight body.",
    "Communications with {vendors} about these products.",
)


@dataclass
class Law:
    state: str
    law_name: str
    statute: str | None
    response_days: int | None
    day_type: str  # business | calendar | unknown | none (no fixed number of days)
    guide_url: str
    deadline_note: str | None = None  # what the law says about timing, in its own words, with its section
    caveat: str | None = None  # each correction's note and source

    @property
    def citation(self) -> str:
        if not self.statute:
            return self.law_name
        # A statute that already carries a parenthesis (its response section) reads better after a comma.
        return f"{self.law_name}, {self.statute}" if "(" in self.statute else f"{self.law_name} ({self.statute})"

    def deadline(self, requested: date) -> Deadline:
        return due_date(requested, self.state, self.response_days, self.day_type, self.citation, self.deadline_note)

    def deadline_sentence(self, requested: date | None = None) -> str:
        requested = requested or date.today()
        found = self.deadline(requested)
        said = f" {self.deadline_note}" if self.deadline_note else ""
        ask = " I ask that you acknowledge this request promptly and tell me when I can expect the records."
        if self.day_type == "none":
            return f"The {self.law_name} sets no fixed response deadline.{said}{ask}"
        if self.response_days is None:
            return (
                f"The table of state laws we rely on gives no fixed response deadline for the {self.law_name} "
                f"(check {self.guide_url}).{said}{ask}"
            )
        if self.day_type == "unknown":
            return (
                f"I understand the {self.law_name} calls for a response within {self.response_days} days "
                f"(whether business or calendar days is not stated in the table we rely on; see {self.guide_url}), "
                f"that is between {_day(found.earliest)} and {_day(found.latest)}.{said}"
            )
        return (
            f"The {self.law_name} requires a response within {self.response_days} {self.day_type} days, "
            f"that is by {_day(found.due)}.{said}"
        )


def law_from_row(row: dict | None, state: str) -> Law | None:
    if row is None:
        return None
    return Law(
        state,
        row["law_name"],
        row.get("statute"),
        _int(row.get("response_days")),
        row["day_type"],
        row["guide_url"],
        _text(row.get("deadline_note")),
        _text(row.get("caveat")),
    )


def build_letter(
    agency: dict,
    claims: pd.DataFrame,
    law: Law | None,
    today: date | None = None,
    requester: str = "[Your name]",
    contact: str = "[Your mailing address or email]",
) -> str:
    today = today or date.today()
    products = sorted(p for p in claims["product"].dropna().unique() if "not named" not in p) if len(claims) else []
    vendors = sorted(v for v in claims["vendor"].dropna().unique() if "not named" not in v) if len(claims) else []
    product_text = f", including {join_words(products)}" if products else ""
    vendor_text = join_words(vendors) if vendors else "any facial-recognition vendor"
    under = f"Under the {law.citation}" if law else "Under the public-records law that applies to your agency"
    asks = "\n".join(
        f"{n}. {text.format(products=product_text, vendors=vendor_text)}" for n, text in enumerate(ASKS, start=1)
    )
    evidence = (
        "\n".join(
            f"- {row.product}: {status_with_date(row.status, getattr(row, 'last_documented', None), today)}"
            f"{_earliest(getattr(row, 'first_date', None))}, {plural(int(row.evidence_count), 'public record')}; "
            f"{(row.source_urls or '').split(' ')[0]}"
            for row in claims.itertuples()
        )
        if len(claims)
        else ""
    )
    parts = [
        f"{today:%B %d, %Y}".replace(" 0", " "),
        f"Public Records Officer\n{agency['name']}\n{addressed(agency, law)}",
        f"Re: Public records request{' under the ' + law.citation if law else ''}: facial recognition",
        "Dear Records Officer,",
        f"{under}, I request copies of the following records held by the {agency['name']}, "
        f"from January 1, {period_start(claims)} to the date of this request:",
        asks,
    ]
    if evidence:
        parts.append(
            "Public sources indicate that your agency has used or acquired facial-recognition technology:\n" + evidence
        )
    parts += [
        law.deadline_sentence(today) if law else "Please tell me when I can expect a response.",
        "If you deny any part of this request, please cite the specific exemption for each withheld record and "
        "release all segregable portions. I ask that fees be waived because the records concern the public's "
        "understanding of government surveillance; if fees will exceed $25, please tell me before you incur them. "
        "Electronic copies are preferred.",
        f"Sincerely,\n{requester}\n{contact}",
    ]
    return "\n\n".join(parts) + "\n"


def period_start(claims: pd.DataFrame) -> int:
    """The year the request period starts: the year before the earliest evidence cited, or 2016 if later."""
    dates = pd.to_datetime(claims["first_date"], errors="coerce").dropna() if "first_date" in claims else []
    return min(DEFAULT_FROM_YEAR, min(dates).year - 1) if len(dates) else DEFAULT_FROM_YEAR


def addressed(agency: dict, law: Law | None) -> str:
    """The lines under the agency's name: its mailing address and records email where a bundled source knows
    them (dated, to be checked), else its place and where to find the address."""
    address, email = _text(agency.get("mailing_address")), _text(agency.get("records_email"))
    place = ", ".join(
        str(v) for v in (agency.get("city"), agency.get("county"), agency.get("state")) if v and not pd.isna(v)
    )
    lines = [address] if address else [place] if place else []
    if email:
        lines.append(f"Records email: {email}")
    if address or email:
        what = "address" if address else "email"
        where = f", {agency['contact_url']}" if _text(agency.get("contact_url")) else ""
        lines.append(
            f"({what} as of {_year(agency.get('contact_as_of'))}, check it: MuckRock's agency directory{where})"
        )
    if not address:
        guide = f", or through the guide to the {law.law_name} ({law.guide_url})" if law else ""
        lines.append(
            "[Mailing address not in our data: find the records office's address on the agency's website, in "
            f"MuckRock's agency directory ({DIRECTORY}){guide}.]"
        )
    return "\n".join(lines)


def _earliest(value) -> str:
    """', earliest record 2013': the date the request period is set from, shown beside the claim."""
    return (
        ""
        if value is None or (not isinstance(value, (str, date)) and pd.isna(value))
        else f", earliest record {_year(value)}"
    )


def _year(value) -> str:
    if value is None or (not isinstance(value, (str, date)) and pd.isna(value)):
        return "an unknown date"
    return str(pd.Timestamp(value).year)


def _day(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value) or None


def _int(value) -> int | None:
    if value is None or pd.isna(value):
        return None
    return int(value)
