"""A local tracker of the records requests a user has sent: when, to whom, under which law, and
when the answer is due (ingest/deadlines.py). Kept in a JSON file on this machine, no account."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from ingest.paths import DATA_DIR

STATUSES = ("sent", "acknowledged", "answered", "denied", "appealed", "closed")


@dataclass
class Request:
    agency_id: str
    agency_name: str
    state: str            # USPS code, or US for federal FOIA
    sent_on: str          # ISO date
    status: str = "sent"
    note: str = ""

    @property
    def sent(self) -> date:
        return date.fromisoformat(self.sent_on)


def path() -> Path:
    return Path(os.environ.get("WATCHDOG_REQUESTS") or DATA_DIR / "requests.json")


def load(file: Path | None = None) -> list[Request]:
    file = file or path()
    return [Request(**r) for r in json.loads(file.read_text(encoding="utf-8"))] if file.exists() else []


def save(requests: list[Request], file: Path | None = None) -> None:
    file = file or path()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps([asdict(r) for r in requests], indent=2) + "\n", encoding="utf-8")


def add(request: Request, file: Path | None = None) -> list[Request]:
    date.fromisoformat(request.sent_on)   # a clear error for a malformed date, before anything is written
    if request.status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    requests = load(file) + [request]
    save(requests, file)
    return requests


def update(index: int, status: str, file: Path | None = None) -> list[Request]:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    requests = load(file)
    requests[index].status = status
    save(requests, file)
    return requests
