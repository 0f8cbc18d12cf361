"""Files: a CSV, XLSX or JSON list (a leaked client list, a records-request spreadsheet, an agenda
export) imported with a column mapping. The file is archived byte for byte; its sha256 is its provenance.

    python -m ingest run file --file clients.xlsx --map agency=Agency,state=State,vendor=Vendor --name "..."
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import NamedTuple

from ingest.raw import SchemaDrift
from ingest.sources._live import FetchContext, Outcome
from rules import textfile

RECORDS_PATH = None  # a JSON import is an array of objects
MAPPED = ("agency", "state", "city", "vendor", "product", "date")
NEEDED = ("agency", "vendor")
FORMATS = ("csv", "xlsx", "json")


class Reject(NamedTuple):
    """A row of an imported file that is not a record: kept in quarantine with the reason."""

    row_number: int | None
    reason: str
    text: str


def required_fields(source, meta) -> tuple[str, ...]:
    return tuple(meta["mapping"][k] for k in NEEDED)


def check_mapping(mapping: dict) -> None:
    unknown = [k for k in mapping if k not in MAPPED]
    missing = [k for k in NEEDED if not mapping.get(k)]
    if unknown or missing:
        raise ValueError(
            f"--map needs {', '.join(NEEDED)} (and may give {', '.join(MAPPED)})"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
        )


def xlsx_rows(data: bytes) -> list[dict]:
    """The first sheet as text records keyed by its header row, as a CSV would be read."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [textfile.clean(str(h)).strip() if h is not None else "" for h in next(rows, ())]
    return [
        {h: ("" if v is None else textfile.clean(str(v))) for h, v in zip(header, row) if h}
        for row in rows
        if any(v is not None for v in row)
    ]


def read_records(data: bytes, fmt: str) -> tuple[list[str], list[dict], list[Reject], str]:
    """The file's columns, its rows as records keyed by column, the rows that are not records, and the
    encoding its text was read as. CSV and JSON text is decoded as the workbench decodes an upload
    (rules/textfile.py: a BOM, UTF-16 without one, UTF-8, Latin-1); NULs and stray BOMs are removed."""
    if fmt == "xlsx":
        records = xlsx_rows(data)
        return sorted({k for r in records for k in r}), records, [], "xlsx"
    if fmt == "csv":
        header, rows, encoding = textfile.csv_rows(data)
        records, rejects = [], []
        for number, row in enumerate(rows, start=1):
            if not row:
                continue  # a blank line holds no row
            if len(row) > len(header):
                rejects.append(
                    Reject(number, f"row has {len(row)} cells but the header has {len(header)}", ",".join(row))
                )
            else:
                records.append(dict(zip(header, row)))
        return header, records, rejects, encoding
    text, encoding = textfile.decode(data)
    document = json.loads(text)
    if not isinstance(document, list):
        raise SchemaDrift(f"a JSON import must be an array of objects, not {json_kind(document)}")
    records = [r for r in document if isinstance(r, dict)]
    rejects = [
        Reject(n, f"not a JSON object but {json_kind(r)}", json.dumps(r, ensure_ascii=False))
        for n, r in enumerate(document, start=1)
        if not isinstance(r, dict)
    ]
    return sorted({k for r in records for k in r}), records, rejects, encoding


def json_kind(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "a string", list: "a list", dict: "an object", type(None): "null"}.get(type(value), "a value")


def fetch(ctx: FetchContext) -> Outcome:
    path, mapping = Path(ctx.options["path"]), dict(ctx.options.get("mapping") or {})
    check_mapping(mapping)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{path.name}: import a .csv, .xlsx or .json file")
    data = path.read_bytes()
    saved = ctx.run.save(
        data,
        url=f"file:{path.name}",
        ext=fmt,
        kind="import",
        extra={"original_name": path.name, "mapping": mapping, "title": ctx.options.get("name") or path.name},
    )
    columns, records, rejects, encoding = read_records(data, fmt)
    missing = [theirs for theirs in mapping.values() if theirs not in columns]
    if missing:
        raise SchemaDrift(
            f"{path.name}: no column(s) {', '.join(repr(c) for c in missing)}; the file has: {', '.join(columns)}"
        )
    count = len(records) + len(rejects)
    ctx.advance(count)
    notes = [f"{path.name}: sha256 {saved.meta['sha256']}"]
    if encoding not in ("utf-8", "xlsx"):
        notes.append(f"{path.name}: read as {encoding}")
    if rejects:
        notes.append(f"{path.name}: {len(rejects)} row(s) are not records and go to quarantine at the build")
    return Outcome(count, None, notes)


def archived_records(item) -> tuple[list[dict], list[Reject]]:
    """An archived import read as `fetch` read it: its records, and the rows that are not records."""
    _, records, rejects, _ = read_records(item.path.read_bytes(), item.path.suffix.lower().lstrip("."))
    return records, rejects


def archived_rows(item) -> list[dict]:
    return archived_records(item)[0]
