"""MuckRock's 2017 agency directory -> core.agency_contacts: each registry agency's mailing address and its
records office's role email, for the request letter.

Each directory agency is placed on the registry by the build's one matcher (rules/matching.py), in the state
its MuckRock jurisdiction or its address names; a name the matcher cannot place is left out, never guessed.
Only what rules/contacts.py allows is kept: an address without phone numbers or people's names, and an email
only when it names an office (records@, foia@), never a person.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from ingest import raw
from ingest.db import insert_frame
from rules.contacts import address_state, mailing_address, role_email
from rules.matching import Matcher

MUCKROCK = "https://www.muckrock.com"
_JURISDICTION = re.compile(r"^/agency/([a-z-]+?)-\d+/")
FEDERAL = "united-states-of-america"


def jurisdiction_state(absolute_url: str | None, state_names: dict[str, str]) -> tuple[str | None, bool]:
    """(USPS code, federal) from the directory's own URL: /agency/florida-34/... is a Florida state agency,
    /agency/united-states-of-america-10/... a federal one; a city's or county's URL names no state."""
    found = _JURISDICTION.match(absolute_url or "")
    if not found:
        return None, False
    slug = found.group(1)
    if slug == FEDERAL:
        return None, True
    by_slug = {name.lower().replace(" ", "-"): code for code, name in state_names.items()}
    return by_slug.get(slug), False


def run(con: duckdb.DuckDBPyConnection, matcher: Matcher, state_names: dict[str, str]) -> None:
    rows = con.execute(
        """SELECT r.record_id, r.source_id, r.record->>'name', r.record->>'status', r.record->>'address',
                  r.record->>'email', r.record->>'absolute_url', TRY_CAST(s.retrieved AS DATE)
           FROM raw.records r JOIN meta.sources s USING (source_id)
           WHERE list_contains(?, r.source_id) ORDER BY r.record_id""",
        [raw.platform_sources(con, "muckrock_agencies")],
    ).fetchall()
    contacts, queries = [], []
    for record_id, source_id, name, status, address, email, url, as_of in rows:
        if status != "approved" or not (name or "").strip():
            continue  # MuckRock rejected the entry (a duplicate or not an agency), or it is still pending
        name = " ".join(name.split())
        state, federal = jurisdiction_state(url, state_names)
        letter_address = mailing_address(address, name)
        state = state or (None if federal else address_state(letter_address, state_names))
        if state is None and not federal:
            continue  # without a state the matcher would look nationwide: never placed by name alone
        queries.append((name, state, None, state_names.get(state)))
        contacts.append(
            {
                "mailing_address": letter_address,
                "records_email": role_email(email, name),
                "email_withheld": bool((email or "").strip()) and role_email(email, name) is None,
                "as_of": as_of,
                "source_name": name,
                "source_url": f"{MUCKROCK}{url}" if (url or "").startswith("/agency/") else None,
                "source_id": source_id,
                "raw_record_id": record_id,
            }
        )
    placed = {}
    for contact, found in zip(contacts, matcher.match_many(queries)):
        if found.status != "matched" or not (contact["mailing_address"] or contact["records_email"]):
            continue
        best = placed.get(found.agency_id)
        # Two directory entries on one agency: the fuller one, then the older entry (MuckRock's lower id).
        if best is None or _fullness(contact) > _fullness(best):
            placed[found.agency_id] = {"agency_id": found.agency_id, **contact}
    if placed:
        insert_frame(con, "core.agency_contacts", pd.DataFrame(list(placed.values())))


def _fullness(contact: dict) -> int:
    return (contact["mailing_address"] is not None) + (contact["records_email"] is not None)
