"""EFF Atlas of Surveillance CSV exports, in either of the two formats seen in the wild.

The 2020 export has 25 columns and no ORI; today's has 28, adding `NEWAOSNUMBER (ORI9)`,
`TECH ABV` and `Other Links`. One loader reads both and says which it found.
"""
from __future__ import annotations

from dataclasses import dataclass

DELIM = ","
LINK_FIELDS = ("", " Snapshot", " Source", " Type", " Date")
COMMON = (
    "AOSNUMBER", "City", "County", "State", "Agency", "Type of LEA", "Summary", "Type of Juris",
    "Technology", "Vendor",
    *(f"Link {n}{f}" for n in (1, 2, 3) for f in LINK_FIELDS),
)
CURRENT_ONLY = ("NEWAOSNUMBER (ORI9)", "TECH ABV", "Other Links")
FACE_RECOGNITION = "Face Recognition"
# NEWAOSNUMBER is the ORI9 plus a technology suffix; "XX..." values are Atlas surrogates, not ORIs.
TECH_SUFFIXES = ("FRT", "ALPR", "BWC", "GDT", "UAV", "CSS", "RTCC", "PP", "CR", "FC", "VA", "RING", "DRN")


@dataclass(frozen=True)
class AtlasFormat:
    name: str            # "2020" or "current"
    columns: tuple[str, ...]
    has_ori: bool
    extra: tuple[str, ...]   # columns neither format knows, reported rather than dropped silently

    def describe(self) -> str:
        text = (f"Atlas {self.name} format: {len(self.columns)} columns, "
                f"{'with' if self.has_ori else 'without'} NEWAOSNUMBER (ORI9)")
        return text + (f"; unrecognised columns kept in raw: {', '.join(self.extra)}" if self.extra else "")


def detect_format(columns: list[str] | tuple[str, ...]) -> AtlasFormat:
    from ingest.raw import SchemaDrift

    missing = [c for c in COMMON if c not in columns]
    if missing:
        raise SchemaDrift(f"Atlas export: missing column(s) {', '.join(repr(c) for c in missing)}; "
                          f"found {len(columns)}: {', '.join(columns)}")
    has_ori = "NEWAOSNUMBER (ORI9)" in columns
    extra = tuple(c for c in columns if c not in COMMON and c not in CURRENT_ONLY)
    return AtlasFormat("current" if has_ori else "2020", tuple(columns), has_ori, extra)


def required_columns(path) -> tuple[str, ...]:
    return COMMON


def ori_from_newaosnumber(value: str | None) -> str | None:
    """'TX0430600FRT' -> 'TX0430600'; surrogates ('XX0000083FRT') and blanks -> None."""
    if not value:
        return None
    value = value.strip().upper()
    if value.startswith("XX"):
        return None
    for suffix in sorted(TECH_SUFFIXES, key=len, reverse=True):
        if value.endswith(suffix) and len(value) - len(suffix) == 9:
            return value[: -len(suffix)]
    return value[:9] if len(value) >= 9 and value[:2].isalpha() and value[2:9].isalnum() else None


def surrogate_id(value: str | None) -> str | None:
    """The Atlas's own id for an agency with no ORI ('XX0000083FRT' -> 'XX0000083')."""
    if value and value.strip().upper().startswith("XX"):
        return value.strip().upper()[:9]
    return None
