"""A local tracker of the records requests a user has sent: when, to whom, under which law, and
when the answer is due (rules/deadlines.py). Kept in a JSON file on this machine, no account.

A damaged file (not JSON, not a list, an entry with a bad date or status) never breaks the page and
is never overwritten: ingest/statefile.py keeps it aside and says so.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from ingest import settings, statefile
from ingest.statefile import EntryError

STATUSES = ("sent", "acknowledged", "answered", "denied", "appealed", "closed")
# A request date outside these years is a typo, and counting business days there has no holiday calendar.
EARLIEST, LATEST = date(1960, 1, 1), date(2099, 12, 31)
FIELDS = ("agency_id", "agency_name", "state", "sent_on")
OPTIONAL = ("status", "note")


@dataclass
class Request:
    agency_id: str
    agency_name: str
    state: str  # USPS code, or US for federal FOIA
    sent_on: str  # ISO date
    status: str = "sent"
    note: str = ""

    @property
    def sent(self) -> date:
        return date.fromisoformat(self.sent_on)


def path() -> Path:
    return settings.requests_file()


def check_date(text: str) -> date:
    try:
        sent = date.fromisoformat(text)
    except ValueError:
        raise EntryError(f"the date {text[:40]!r} is not a date written YYYY-MM-DD") from None
    if not EARLIEST <= sent <= LATEST:
        raise EntryError(f"the date {sent.isoformat()} is outside {EARLIEST.year}-{LATEST.year}")
    return sent


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise EntryError(f"the status must be one of {', '.join(STATUSES)}, not {status[:40]!r}")
    return status


def parse(entry) -> Request:
    """One entry of the file as a Request, or EntryError saying what is wrong with it."""
    entry = statefile.require_object(entry, FIELDS, OPTIONAL)
    values = {k: statefile.require_text(entry, k) for k in (*FIELDS, *(k for k in OPTIONAL if k in entry))}
    check_date(values["sent_on"])
    check_status(values.get("status", "sent"))
    return Request(**values)


def load_checked(file: Path | None = None) -> statefile.Loaded:
    """The tracked requests, and a sentence if the file was damaged (then kept aside)."""
    return statefile.read(file or path(), parse, "tracked requests")


def load(file: Path | None = None) -> list[Request]:
    return load_checked(file).items


def kept_aside(file: Path | None = None) -> list[Path]:
    return statefile.kept_aside(file or path())


def save(requests: list[Request], file: Path | None = None) -> None:
    statefile.write(file or path(), [asdict(r) for r in requests])


def add(request: Request, file: Path | None = None) -> list[Request]:
    # Checked before anything is written: a clear sentence for a malformed date or status.
    parse(asdict(request))
    requests = load_checked(file).for_update() + [request]
    save(requests, file)
    return requests


def update(index: int, status: str, file: Path | None = None) -> list[Request]:
    check_status(status)
    requests = load_checked(file).for_update()
    if not 0 <= index < len(requests):
        raise EntryError("that request is no longer in the list; reload the page")
    requests[index].status = status
    save(requests, file)
    return requests


# A visitor's own copy: the dashboard is single-user (the file lives on the machine that runs it), so a
# visitor can download the list and upload it again later, here or on another copy of the dashboard.
MAX_UPLOAD = 1_000_000  # bytes; a list of requests is a few kilobytes


def export_json(requests: list[Request]) -> bytes:
    """The tracked requests as the JSON file a visitor downloads to keep."""
    return (json.dumps([asdict(r) for r in requests], indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def import_json(data: bytes) -> list[Request]:
    """A downloaded requests file read back with every entry checked, or EntryError saying what is wrong."""
    if len(data) > MAX_UPLOAD:
        raise EntryError(f"the file is larger than {MAX_UPLOAD // 1_000_000} MB; a requests file is a few kilobytes")
    try:
        entries = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise EntryError("the file is not a requests list in JSON, as this page downloads it") from None
    if not isinstance(entries, list):
        raise EntryError("the file holds no list of requests")
    requests = []
    for n, entry in enumerate(entries, 1):
        try:
            requests.append(parse(entry))
        except EntryError as exc:
            raise EntryError(f"request {n} of the file does not check out: {exc}") from None
    return requests


def replace_all(requests: list[Request], file: Path | None = None) -> None:
    load_checked(file).for_update()  # refused while writing would overwrite a damaged file
    save(requests, file)
