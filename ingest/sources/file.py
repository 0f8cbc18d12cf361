"""Files: a CSV, XLSX or JSON list (a leaked client list, a records-request spreadsheet, an agenda
export) imported with a column mapping. The file is archived byte for byte; its sha256 is its provenance.

    python -m ingest run file --file clients.xlsx --map agency=Agency,state=State,vendor=Vendor --name "..."
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ingest.raw import SchemaDrift
from ingest.sources._live import FetchContext, Outcome

RECORDS_PATH = None     # a JSON import is an array of objects
MAPPED = ("agency", "state", "city", "vendor", "product", "date")
NEEDED = ("agency", "vendor")
FORMATS = ("csv", "xlsx", "json")


def required_fields(source, meta) -> tuple[str, ...]:
    return tuple(meta["mapping"][k] for k in NEEDED)


def check_mapping(mapping: dict) -> None:
    unknown = [k for k in mapping if k not in MAPPED]
    missing = [k for k in NEEDED if not mapping.get(k)]
    if unknown or missing:
        raise ValueError(f"--map needs {', '.join(NEEDED)} (and may give {', '.join(MAPPED)})"
                         + (f"; missing {', '.join(missing)}" if missing else "")
                         + (f"; unknown {', '.join(unknown)}" if unknown else ""))


def xlsx_rows(data: bytes) -> list[dict]:
    """The first sheet as text records keyed by its header row, as a CSV would be read."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    return [{h: ("" if v is None else str(v)) for h, v in zip(header, row) if h}
            for row in rows if any(v is not None for v in row)]


def columns_and_count(data: bytes, fmt: str) -> tuple[list[str], int]:
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        return (rows[0] if rows else []), max(len(rows) - 1, 0)
    if fmt == "xlsx":
        rows = xlsx_rows(data)
        return sorted({k for r in rows for k in r}), len(rows)
    records = json.loads(data)
    if not isinstance(records, list):
        raise SchemaDrift("a JSON import must be an array of objects")
    return sorted({k for r in records if isinstance(r, dict) for k in r}), len(records)


def fetch(ctx: FetchContext) -> Outcome:
    path, mapping = Path(ctx.options["path"]), dict(ctx.options.get("mapping") or {})
    check_mapping(mapping)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{path.name}: import a .csv, .xlsx or .json file")
    data = path.read_bytes()
    saved = ctx.run.save(data, url=f"file:{path.name}", ext=fmt, kind="import",
                         extra={"original_name": path.name, "mapping": mapping,
                                "title": ctx.options.get("name") or path.name})
    columns, count = columns_and_count(data, fmt)
    missing = [theirs for theirs in mapping.values() if theirs not in columns]
    if missing:
        raise SchemaDrift(f"{path.name}: no column(s) {', '.join(repr(c) for c in missing)}; "
                          f"the file has: {', '.join(columns)}")
    ctx.advance(count)
    return Outcome(count, None, [f"{path.name}: sha256 {saved.meta['sha256']}"])


def archived_rows(item) -> list[dict]:
    return xlsx_rows(item.path.read_bytes())
