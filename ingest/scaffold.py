"""`python -m ingest new-source NAME --platform PLATFORM --file data/...csv`: the files a new source needs.

It writes the platform module (the columns a file must have, and which of them hold the Atlas's fields), its
transform (registered in ORDER), a test that builds from a small fixture of the dataset's own rows, that
fixture, and a draft row in data/sources.csv. It never overwrites: if any of these exists, it writes nothing
and says which. What it cannot know (the URL, licence, attribution, what a row means) is left as TODO for
the contributor, and tests/test_scaffold.py fails while a draft row is left in data/sources.csv.
"""

from __future__ import annotations

import csv
import json
import keyword
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.transform.atlas_layout import ATLAS_COLUMNS

NAME = re.compile(r"[a-z][a-z0-9_]{1,62}")
ADDED = re.compile(r"^ADDED = \(([^)]*)\)$", re.M)  # the tuple in ingest/transform/__init__.py
FIXTURE_ROWS = 3  # of each kind (face recognition, other technologies): small enough to read at a glance
DRAFT = "TODO"  # what the draft row says where the contributor must write the real value
SOURCE_FIELDS_DRAFT = {
    "url": f"{DRAFT}: the dataset's own URL",
    "license": f"{DRAFT}: its licence",
    "attribution": f"{DRAFT}: whom to credit, as the publisher asks",
    "retrieved": DRAFT,
    "weight": "weak",
    "notes": f"DRAFT (python -m ingest new-source): {DRAFT} fill in url, homepage, license, "
    "attribution, retrieved, weight and what a row can and cannot tell.",
}


class Refused(ValueError):
    """The scaffold wrote nothing; the message says why in a sentence."""


@dataclass
class Plan:
    name: str
    platform: str
    root: Path
    dataset: Path
    files: dict[Path, str] = field(default_factory=dict)  # new file -> its text
    source_row: dict[str, str] = field(default_factory=dict)

    @property
    def transform_init(self) -> Path:
        return self.root / "ingest" / "transform" / "__init__.py"


def key(column: str) -> str:
    """'Link 1 Source', 'Link1Source' and 'link1_source' all read 'link1source'."""
    return re.sub(r"[^a-z0-9]", "", column.lower())


def guess_columns(header: list[str]) -> dict[str, str]:
    """Atlas column -> the dataset's column of the same name once spaces, case and punctuation are set
    aside. A suggestion the contributor checks, written as such in the module."""
    by_key = {key(c): c for c in header if c.strip()}
    return {atlas: by_key[key(atlas)] for atlas in ATLAS_COLUMNS if key(atlas) in by_key}


def spellings(header: list[str], rows: list[list[str]], column: str | None) -> tuple[str, ...]:
    """The values of `column` that read 'Face Recognition' once case and spacing are set aside."""
    if column is None:
        return ()
    i = header.index(column)
    return tuple(sorted({r[i] for r in rows if len(r) > i and key(r[i]) == key("Face Recognition")}))


def technology_column(header: list[str], rows: list[list[str]]) -> str | None:
    """The first named column where some row says 'Face Recognition' (a guess, written as one)."""
    return next((c for c in header if c.strip() and spellings(header, rows, c)), None)


def read_dataset(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise Refused(f"There is no file at {path}: copy the dataset under data/, then name it with --file.") from None
    except UnicodeDecodeError:
        raise Refused(f"{path} is not UTF-8 text: save it as UTF-8 CSV and try again.") from None
    if not rows or not any(c.strip() for c in rows[0]):
        raise Refused(f"{path} has no header row: the scaffold reads the column names from it.")
    return rows[0], rows[1:]


def fixture_rows(
    header: list[str], rows: list[list[str]], technology: str | None, face_recognition: tuple[str, ...]
) -> list[list[str]]:
    """The dataset's own first rows: a few face-recognition rows and a few others, in file order."""
    if technology is None:
        return rows[: FIXTURE_ROWS * 2]
    column = header.index(technology)
    fr = [r for r in rows if len(r) > column and r[column] in face_recognition][:FIXTURE_ROWS]
    other = [r for r in rows if len(r) > column and r[column] not in face_recognition][:FIXTURE_ROWS]
    return [r for r in rows if any(r is x for x in fr + other)]


def plan(name: str, platform: str, dataset: Path, root: Path) -> Plan:
    for label, value in (("source name", name), ("platform", platform)):
        if not NAME.fullmatch(value) or keyword.iskeyword(value):
            raise Refused(
                f"The {label} {value!r} must be 2 to 63 lowercase letters, digits or '_', starting with "
                "a letter (it names a Python module and a source id)."
            )
    # Absolute but not resolved: a folder under data/ may be a link, and the registry names the path as given.
    dataset = Path(os.path.abspath(dataset))
    data_dir = Path(os.path.abspath(root / "data"))
    if not dataset.is_relative_to(data_dir):
        raise Refused(f"{dataset} is not under {data_dir}: copy the dataset there first (the build reads data/ only).")
    header, rows = read_dataset(dataset)
    if not rows:
        raise Refused(f"{dataset} has a header but no rows: there is nothing to add.")
    columns = guess_columns(header)
    technology = columns.get("Technology") or technology_column(header, rows)
    if technology:
        columns["Technology"] = technology
    face_recognition = spellings(header, rows, technology)
    p = Plan(name, platform, root, dataset)
    relative = dataset.relative_to(data_dir).as_posix()
    fixture = root / "tests" / "fixtures" / platform / dataset.name
    p.files = {
        root / "ingest" / "sources" / f"{platform}.py": source_module(
            name, platform, relative, header, columns, face_recognition
        ),
        root / "ingest" / "transform" / f"{platform}.py": transform_module(name, platform),
        root / "tests" / f"test_source_{platform}.py": test_module(name, platform),
        fixture: csv_text([header, *fixture_rows(header, rows, technology, face_recognition)]),
    }
    p.source_row = {
        "source_id": name,
        "name": f"{DRAFT}: what the dataset is, as its publisher names it",
        "platform": platform,
        "mode": "bundled",
        "files": relative,
        **SOURCE_FIELDS_DRAFT,
    }
    return p


def refusals(p: Plan) -> list[str]:
    found = [f"{path.relative_to(p.root)} exists" for path in p.files if path.exists()]
    registered = {row["source_id"]: row for row in read_sources(p.root)}
    if p.name in registered:
        found.append(f"data/sources.csv already has a source {p.name!r}")
    init = p.transform_init.read_text(encoding="utf-8")
    if not ADDED.search(init):
        found.append("ingest/transform/__init__.py has no tuple 'ADDED = (...)' to register the transform in")
    elif f'"{p.platform}",' in init:
        found.append(f"ingest/transform/__init__.py already runs {p.platform}")
    return found


def read_sources(root: Path) -> list[dict]:
    with open(root / "data" / "sources.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def create(name: str, platform: str, dataset: Path, root: Path) -> Plan:
    """Write every file of the plan, or none: a refusal names everything that is in the way."""
    p = plan(name, platform, dataset, root)
    problems = refusals(p)
    if problems:
        raise Refused(
            "Nothing was written, because " + "; ".join(problems) + ". Choose another name or remove "
            "what is there first."
        )
    for path, text in p.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="") as fh:  # "x": never over a file made meanwhile
            fh.write(text)
    append_source(root, p.source_row)
    register_transform(p.transform_init, platform)
    return p


def append_source(root: Path, row: dict[str, str]) -> None:
    path = root / "data" / "sources.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        fields = next(csv.reader(fh))
    text = path.read_bytes()
    with open(path, "a", newline="", encoding="utf-8") as fh:
        if text and not text.endswith(b"\n"):
            fh.write("\n")
        csv.writer(fh, lineterminator="\n").writerow([row.get(f, "") for f in fields])


def register_transform(init: Path, platform: str) -> None:
    """The module's name appended to ADDED, which ORDER runs after atlas_layout and before the Atlas."""
    text = init.read_text(encoding="utf-8")
    found = ADDED.search(text)  # checked before anything was written (refusals)
    names = re.findall(r'"([a-z0-9_]+)"', found.group(1)) + [platform]
    listed = "".join(f'    "{n}",\n' for n in names)
    init.write_text(text[: found.start()] + "ADDED = (\n" + listed + ")" + text[found.end() :], encoding="utf-8")


def csv_text(rows: list[list[str]]) -> str:
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def literal(text: str) -> str:
    """A Python string literal in double quotes, as ruff writes them."""
    return json.dumps(text, ensure_ascii=False)


def tuple_literal(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(literal(v) for v in values) + ("," if len(values) == 1 else "") + ")"


def source_module(
    name: str,
    platform: str,
    relative: str,
    header: list[str],
    columns: dict[str, str],
    face_recognition: tuple[str, ...],
) -> str:
    required = "".join(f"    {literal(c)},\n" for c in header if c.strip())
    mapped = "".join(f"    {literal(atlas)}: {literal(own)},\n" for atlas, own in columns.items())
    unmapped = "".join(f'    # {literal(atlas)}: "",\n' for atlas in ATLAS_COLUMNS if atlas not in columns)
    return f'''"""{DRAFT}: one sentence on what a row of {name} is, and what it cannot tell you.

Scaffolded by `python -m ingest new-source {name} --platform {platform}`
from data/{relative}.
Its rows are read in the Atlas's columns (ATLAS_COLUMNS below, ingest/transform/atlas_layout.py): the
face-recognition rows become evidence and the others coverage, by the Atlas's own rules. A dataset that
is not about agencies and their technologies writes its own core rows in its transform instead.
"""

DELIM = ","
# The columns every file of this platform must have: a file without one is refused, naming it.
REQUIRED = (
{required})
# Atlas column -> this dataset's column.
# {DRAFT}: the entries below were guessed from the column names: check each, map the commented ones the
# dataset has, delete the rest, then delete this line.
ATLAS_COLUMNS = {{
{mapped}{unmapped}}}
# How this dataset writes the technology "Face Recognition" (exact values, as found in the file).
FACE_RECOGNITION = {tuple_literal(face_recognition)}


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
'''


def transform_module(name: str, platform: str) -> str:
    return f'''"""raw -> core for {name}: its rows restated in the Atlas's columns, so that the Atlas
transform reads the face-recognition rows as evidence and coverage the others, each by its one set of rules.

Scaffolded by `python -m ingest new-source`; runs in ORDER (ingest/transform/__init__.py) before the Atlas.
"""

from __future__ import annotations

import duckdb

from ingest.sources import {platform} as source
from ingest.transform import atlas_layout


def run(con: duckdb.DuckDBPyConnection) -> None:
    atlas_layout.stage(con, "{platform}", source.ATLAS_COLUMNS, source.FACE_RECOGNITION)
'''


def test_module(name: str, platform: str) -> str:
    return f'''"""{name} through the real loader and transforms, from a fixture of its own rows
(tests/fixtures/{platform}/), beside the real registry and catalog.
Scaffolded by `python -m ingest new-source`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sources import {platform} as source
from tests.small_build import fixture_records, small_build

SOURCE = "{name}"
FIXTURES = Path(__file__).parent / "fixtures" / "{platform}"


@pytest.fixture(scope="module")
def con():
    con = small_build(SOURCE, FIXTURES)
    yield con
    con.close()


def records(con, sql: str) -> set[int]:
    return {{r for (r,) in con.execute(sql, [SOURCE]).fetchall()}}


def test_every_fixture_row_lands_in_raw(con):
    landed = con.execute("SELECT count(*) FROM raw.records WHERE source_id = ?", [SOURCE]).fetchone()[0]
    assert landed == len(fixture_records(FIXTURES))


def test_face_recognition_rows_become_evidence_and_the_others_coverage(con):
    technology = source.ATLAS_COLUMNS["Technology"]
    sql = "SELECT record_id, list_contains(?, record->>?) FROM raw.records WHERE source_id = ?"
    kinds = dict(con.execute(sql, [list(source.FACE_RECOGNITION), technology, SOURCE]).fetchall())
    assert any(kinds.values()), "the fixture needs a face-recognition row: it is what becomes evidence"
    evidence = records(con, "SELECT raw_record_id FROM core.evidence WHERE source_id = ?")
    quarantined = records(con, "SELECT raw_record_id FROM core.quarantine WHERE source_id = ?")
    assert evidence | quarantined == {{r for r, fr in kinds.items() if fr}}
    research = records(con, "SELECT raw_record_id FROM core.research WHERE source_id = ?")
    assert research <= {{r for r, fr in kinds.items() if not fr}}
'''
