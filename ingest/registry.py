"""The source table: data/sources.csv, one row per source, bundled file or live endpoint.

Adding a dataset is adding a row: a bundled file names its `files`; a live source (`mode` live) names its
`endpoint` and, for a city's open-data portal, the dataset id and which of its columns are ours."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ingest.paths import DATA_DIR, SOURCES_FILE

FIELDS = (
    "source_id",
    "name",
    "platform",
    "mode",
    "files",
    "url",
    "homepage",
    "license",
    "attribution",
    "retrieved",
    "weight",
    "notes",
)
MODES = ("bundled", "live")
# Live rows add where to fetch from: the endpoint (its scheme and host can be overridden), a dataset id
# (Socrata), a field mapping `ours=theirs|...` and the jurisdiction whose records they are.
LIVE_FIELDS = ("endpoint", "dataset", "fields", "jurisdiction")
# How much a source's word counts: `documented` (a cited publication or a public record), `weak` (a leak,
# an unverified list: alone it makes a claim only `unconfirmed`), `reference` (registries, catalogs, places).
WEIGHTS = ("documented", "weak", "reference")
LIVE_PLATFORMS = ("atlas", "usaspending", "muckrock", "socrata", "file")


@dataclass(frozen=True)
class Source:
    source_id: str
    name: str
    platform: str
    files: tuple[str, ...]
    url: str
    homepage: str
    license: str
    attribution: str
    retrieved: str
    weight: str
    notes: str
    mode: str = "bundled"  # bundled | live
    endpoint: str = ""
    dataset: str = ""
    fields: str = ""
    jurisdiction: str = ""

    def paths(self, data_dir: Path = DATA_DIR) -> list[Path]:
        return [data_dir / f for f in self.files]

    @property
    def field_map(self) -> dict[str, str]:
        """'award_id=contract_no|vendor=prime_contractor' -> {'award_id': 'contract_no', ...}."""
        pairs = (p.split("=", 1) for p in self.fields.split("|") if "=" in p)
        return {ours.strip(): theirs.strip() for ours, theirs in pairs}


def _read(path: Path, required: tuple[str, ...]) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [f for f in required if f not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        return list(reader)


def _source(path: Path, row: dict) -> Source:
    mode = row["mode"]
    if mode not in MODES:
        raise ValueError(f"{path}: source {row['source_id']!r} has mode {mode!r}; use one of {MODES}")
    if not row["url"] or not row["license"] or not row["attribution"]:
        raise ValueError(f"{path}: source {row['source_id']!r} needs a url, a license and an attribution")
    if row["weight"] not in WEIGHTS:
        raise ValueError(f"{path}: source {row['source_id']!r} has weight {row['weight']!r}; use one of {WEIGHTS}")
    if mode == "live" and row["platform"] not in LIVE_PLATFORMS:
        raise ValueError(
            f"{path}: live source {row['source_id']!r} has platform {row['platform']!r}; use one of {LIVE_PLATFORMS}"
        )
    files = tuple(f.strip() for f in row["files"].split(";") if f.strip())
    known = {k: v for k, v in row.items() if k in FIELDS or k in LIVE_FIELDS}
    if mode == "bundled" and not files:
        raise ValueError(f"{path}: bundled source {row['source_id']!r} names no files")
    return Source(**{**known, "files": files})


def load(path: Path = SOURCES_FILE) -> list[Source]:
    sources = [_source(path, row) for row in _read(path, FIELDS + LIVE_FIELDS)]
    ids = [s.source_id for s in sources]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: duplicate source_id")
    return sources


def get(source_id: str) -> Source:
    for source in load():
        if source.source_id == source_id:
            return source
    raise KeyError(source_id)


def live(selector: str, catalog: list[Source] | None = None) -> list[Source]:
    """Live sources named by `selector`: 'all', a platform ('socrata': every portal row) or a source id."""
    rows = [s for s in (catalog if catalog is not None else load()) if s.mode == "live"]
    chosen = [s for s in rows if selector == "all" or selector in (s.source_id, s.platform)]
    if not chosen:
        names = sorted({s.platform for s in rows} | {s.source_id for s in rows})
        raise KeyError(f"no live source {selector!r}; use all or one of: {', '.join(names)}")
    return chosen
