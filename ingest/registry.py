"""The source table: data/sources.csv is the one place a dataset is added."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ingest.paths import DATA_DIR, SOURCES_FILE

FIELDS = ("source_id", "name", "platform", "files", "url", "homepage", "license",
          "attribution", "retrieved", "weight", "notes")
# How much a source's word counts: `documented` (a cited publication or a public record), `weak` (a leak,
# an unverified list: alone it makes a claim only `unconfirmed`), `reference` (registries, catalogs, places).
WEIGHTS = ("documented", "weak", "reference")


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

    def paths(self, data_dir: Path = DATA_DIR) -> list[Path]:
        return [data_dir / f for f in self.files]


def load(path: Path = SOURCES_FILE) -> list[Source]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [f for f in FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = list(reader)
    sources = []
    for row in rows:
        if not row["url"] or not row["license"] or not row["attribution"]:
            raise ValueError(f"{path}: source {row['source_id']!r} needs a url, a license and an attribution")
        if row["weight"] not in WEIGHTS:
            raise ValueError(f"{path}: source {row['source_id']!r} has weight {row['weight']!r}; use one of {WEIGHTS}")
        files = tuple(f.strip() for f in row["files"].split(";") if f.strip())
        sources.append(Source(**{**row, "files": files}))
    ids = [s.source_id for s in sources]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: duplicate source_id")
    return sources


def get(source_id: str) -> Source:
    for source in load():
        if source.source_id == source_id:
            return source
    raise KeyError(source_id)
