"""Watchlists: a city, county, state, agency or vendor to follow, kept in a local JSON file (no account).
Each build writes one Atom feed per watchlist with what changed for it."""
from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.paths import DATA_DIR

KINDS = ("city", "county", "state", "agency", "vendor")
# Each kind filters meta.changes joined to the agency; the column names come from this fixed map only.
FILTERS = {"city": "lower(a.city) = lower($value)", "county": "lower(a.county) = lower($value)",
           "state": "c.state = upper($value)", "agency": "c.agency_id = $value", "vendor": "lower(c.vendor) = lower($value)"}


@dataclass(frozen=True)
class Watch:
    name: str
    kind: str
    value: str

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or "watchlist"


def path() -> Path:
    return Path(os.environ.get("WATCHDOG_WATCHLISTS") or DATA_DIR / "watchlists.json")


def load(file: Path | None = None) -> list[Watch]:
    file = file or path()
    if not file.exists():
        return []
    return [Watch(**w) for w in json.loads(file.read_text(encoding="utf-8"))]


def save(watches: list[Watch], file: Path | None = None) -> None:
    file = file or path()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps([asdict(w) for w in watches], indent=2) + "\n", encoding="utf-8")


def add(watch: Watch, file: Path | None = None) -> list[Watch]:
    if watch.kind not in KINDS:
        raise ValueError(f"a watchlist follows one of {', '.join(KINDS)}, not {watch.kind!r}")
    if not watch.name.strip() or not watch.value.strip():
        raise ValueError("a watchlist needs a name and a value")
    watches = [w for w in load(file) if w.name != watch.name] + [watch]
    save(watches, file)
    return watches


def remove(name: str, file: Path | None = None) -> list[Watch]:
    watches = [w for w in load(file) if w.name != name]
    save(watches, file)
    return watches
