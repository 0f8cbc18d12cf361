"""The small JSON files a user keeps on this machine (tracked requests, watchlists): read without ever
crashing a page, written without ever destroying what was there.

A file that is not JSON, not a list, or holds entries that do not check out is never overwritten:
it is renamed aside (`requests.json.damaged-20261206T083000Z`), the entries that do check out are
written to a fresh file, and the caller gets one sentence saying what happened.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
DAMAGED = ".damaged-"


class EntryError(ValueError):
    """One entry of a state file does not check out; the message is a sentence fragment for the user."""


@dataclass
class Loaded:
    items: list = field(default_factory=list)
    problem: str | None = None  # a sentence when the file was damaged and kept aside
    left_damaged: bool = False  # damaged and could not be set aside: writing would destroy it

    def for_update(self) -> list:
        """The entries to change and write back; refused while writing would overwrite a damaged file."""
        if self.left_damaged:
            raise EntryError(self.problem)
        return self.items


def read(file: Path, parse: Callable[[object], T], what: str) -> Loaded:
    """Entries of `file` through `parse`, in order (it raises EntryError on a bad entry, and may check an
    entry against those before it). A damaged file is kept aside."""
    if not file.exists():
        return Loaded()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return _set_aside(file, [], what, f"it is not readable JSON ({_short(exc)})")
    if not isinstance(data, list):
        return _set_aside(file, [], what, f"it holds a {type(data).__name__} where a list of {what} belongs")
    items, bad = [], []
    for number, entry in enumerate(data, start=1):
        try:
            items.append(parse(entry))
        except EntryError as exc:
            bad.append(f"entry {number}: {exc}")
    if bad:
        more = f"; and {len(bad) - 3} more" if len(bad) > 3 else ""
        return _set_aside(file, items, what, "; ".join(bad[:3]) + more)
    return Loaded(items)


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


def _set_aside(file: Path, salvaged: list, what: str, reason: str) -> Loaded:
    aside = file.with_name(f"{file.name}{DAMAGED}{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}")
    try:
        os.rename(file, aside)
    except FileNotFoundError:
        # Another session set it aside a moment ago: what it wrote in its place is the file to read.
        return Loaded(salvaged, f"The {what} file was damaged and another session has just set it aside.")
    except OSError as exc:
        return Loaded(
            salvaged,
            f"The {what} file {file} could not be used as it was ({reason}), and it could not "
            f"be set aside ({_short(exc)}); it was left as it is.",
            left_damaged=True,
        )
    if salvaged:
        write(file, [asdict(item) for item in salvaged])
    kept = f"the entries that were fine ({len(salvaged)}) are kept" if salvaged else "a new, empty list was started"
    return Loaded(
        salvaged,
        f"The {what} file {file} could not be used as it was ({reason}). It was kept aside, "
        f"unchanged, as {aside.name}; {kept}.",
    )


def write(file: Path, items: list[dict]) -> None:
    """Write the list (of plain dicts) to a temporary file, then rename it over `file`: never a half-written file."""
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(items, indent=2, ensure_ascii=False) + "\n")
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def kept_aside(file: Path) -> list[Path]:
    """Damaged copies of `file` kept beside it, oldest first."""
    return sorted(file.parent.glob(f"{file.name}{DAMAGED}*")) if file.parent.exists() else []


def require_text(entry: dict, key: str, what: str = "") -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        raise EntryError(f"{what or key} must be text, not {type(value).__name__}")
    return value


def require_object(entry, keys: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(entry, dict):
        raise EntryError(f"a {type(entry).__name__} where an object with {', '.join(keys)} belongs")
    missing = [k for k in keys if k not in entry]
    extra = [k for k in entry if k not in keys and k not in optional]
    if missing:
        raise EntryError(f"missing {', '.join(missing)}")
    if extra:
        raise EntryError(f"unknown field(s) {', '.join(sorted(map(str, extra)))}")
    return entry
