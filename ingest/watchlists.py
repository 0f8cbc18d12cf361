"""Watchlists: a city, county, state, agency or vendor to follow, kept in a local JSON file (no account).
Each build writes one Atom feed per watchlist with what changed for it, named by the watchlist's slug.

Names are at most NAME_LIMIT characters, and no two watchlists share a slug (the feed's file name): a
name whose slug is taken is refused with a sentence. A name with no Latin letters or digits (say
"Москва") gets a stable slug from a short hash of the name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest import settings, statefile
from ingest.statefile import EntryError

KINDS = ("city", "county", "state", "agency", "vendor")
NAME_LIMIT = 80
VALUE_LIMIT = 200
# Each kind filters meta.changes joined to the agency; the column names come from this fixed map only.
FILTERS = {
    "city": "lower(a.city) = lower($value)",
    "county": "lower(a.county) = lower($value)",
    "state": "c.state = upper($value)",
    "agency": "c.agency_id = $value",
    "vendor": "lower(c.vendor) = lower($value)",
}


@dataclass(frozen=True)
class Watch:
    name: str
    kind: str
    value: str

    @property
    def slug(self) -> str:
        return slug_of(self.name)


def slug_of(name: str) -> str:
    readable = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if readable:
        return readable
    # No Latin letters or digits: a short hash of the name (NFC, so one name always gives one slug).
    return "w-" + hashlib.sha256(unicodedata.normalize("NFC", name).encode("utf-8")).hexdigest()[:10]


def path() -> Path:
    return settings.watchlists_file()


def check(watch: Watch) -> Watch:
    """The watchlist itself, or EntryError with a sentence fragment saying what is wrong."""
    if watch.kind not in KINDS:
        raise EntryError(f"a watchlist follows one of {', '.join(KINDS)}, not {watch.kind[:40]!r}")
    if not watch.name.strip() or not watch.value.strip():
        raise EntryError("a watchlist needs a name and a value")
    if len(watch.name) > NAME_LIMIT:
        raise EntryError(f"a watchlist name is at most {NAME_LIMIT} characters; this one has {len(watch.name)}")
    if len(watch.value) > VALUE_LIMIT:
        raise EntryError(f"what a watchlist follows is at most {VALUE_LIMIT} characters; this has {len(watch.value)}")
    if any(unicodedata.category(c) == "Cc" for c in watch.name + watch.value):
        raise EntryError("a watchlist name and value cannot hold control characters such as line breaks")
    return watch


def parser():
    """Parse entries in file order; an entry whose slug an earlier one holds is refused (one feed each)."""
    seen: dict[str, str] = {}

    def parse(entry) -> Watch:
        entry = statefile.require_object(entry, ("name", "kind", "value"))
        watch = check(Watch(*(statefile.require_text(entry, k) for k in ("name", "kind", "value"))))
        if watch.slug in seen:
            raise EntryError(f"{watch.name!r} would share the feed name {watch.slug!r} with {seen[watch.slug]!r}")
        seen[watch.slug] = watch.name
        return watch

    return parse


def load_checked(file: Path | None = None) -> statefile.Loaded:
    """The watchlists, and a sentence if the file was damaged (then kept aside)."""
    return statefile.read(file or path(), parser(), "watchlists")


def load(file: Path | None = None) -> list[Watch]:
    return load_checked(file).items


def save(watches: list[Watch], file: Path | None = None) -> None:
    statefile.write(file or path(), [asdict(w) for w in watches])


def add(watch: Watch, file: Path | None = None) -> list[Watch]:
    """Add a watchlist, or replace the one of the same name; ValueError (a sentence) if it is refused."""
    check(watch)
    others = [w for w in load_checked(file).for_update() if w.name != watch.name]
    taken = next((w for w in others if w.slug == watch.slug), None)
    if taken:
        raise EntryError(
            f"the name {watch.name!r} is too close to the watchlist {taken.name!r}: both would publish "
            f"the feed watch-{watch.slug}.xml. Choose another name"
        )
    watches = others + [watch]
    save(watches, file)
    return watches


def remove(name: str, file: Path | None = None) -> list[Watch]:
    watches = [w for w in load_checked(file).for_update() if w.name != name]
    save(watches, file)
    return watches
