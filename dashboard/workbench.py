"""A reporter's leak workbench: read an uploaded list, redact personal data, match its agencies
on the registry, and set it against the public record.

Nothing here writes the database. An upload lives in memory and is saved (redacted) only when the
user asks.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rules import textfile
from rules.matching import Match, Matcher
from rules.redact import redact

MAX_ROWS = 200_000
MB = 1024 * 1024
# A workbook is a zip: a few hundred kilobytes can unpack to gigabytes of one repeated cell. What it may
# unpack to, in megabytes (a CSV of the same table is read without this limit, up to UPLOAD_MAX_MB).
XLSX_UNPACKED_MAX_MB = 200
# Columns that hold people, not agencies: emptied whole, whatever their cells look like.
PERSONAL_COLUMN = re.compile(
    r"e-?mail|phone|mobile|contact|user(name)?|officer|employee|staff|first.?name|"
    r"last.?name|full.?name|person|login|account.?holder",
    re.I,
)


class UploadError(ValueError):
    """An upload we cannot read: the message says why and what to do."""


@dataclass
class Upload:
    name: str
    sha256: str
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def read_upload(name: str, data: bytes) -> Upload:
    """CSV (UTF-8, UTF-16 with or without a BOM, or Latin-1) or XLSX -> a redacted table of text, each cell at
    most textfile.CELL_MAX characters."""
    if not data:
        raise UploadError("The file is empty.")
    if len(data) > textfile.UPLOAD_MAX_MB * MB:
        raise UploadError(
            f"{name} is {len(data) / MB:,.0f} MB; the workbench reads files up to "
            f"{textfile.UPLOAD_MAX_MB} MB: split it and upload the parts."
        )
    notes = []
    suffix = Path(name).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            check_unpacked_size(name, data)
            frame = pd.read_excel(io.BytesIO(data), dtype=str, nrows=MAX_ROWS + 1)
            frame = frame.map(lambda v: textfile.clean(v) if isinstance(v, str) else v)
        elif suffix in (".csv", ".txt", ""):
            text, encoding = textfile.decode(data)
            if encoding != "utf-8":
                notes.append(f"Read as {encoding}.")
            check_row_lengths(text)
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                nrows=MAX_ROWS + 1,
                on_bad_lines="error",
                index_col=False,
            )
        else:
            raise UploadError(f"{name}: upload a CSV or an XLSX file.")
    except UploadError:
        raise
    except Exception as exc:  # pandas' parser errors are many; the user needs one sentence
        raise UploadError(f"{name} could not be read as a table: {exc}".split("\n")[0]) from None
    if len(frame) > MAX_ROWS:
        raise UploadError(f"{name} has more than {MAX_ROWS:,} rows: split it and upload the parts.")
    if frame.empty or not len(frame.columns):
        raise UploadError(f"{name} has no rows.")
    frame.columns = [
        textfile.cap(textfile.clean(str(c)).strip())[0] or f"column {i + 1}" for i, c in enumerate(frame.columns)
    ]
    frame, cut = cap_cells(frame.fillna(""))
    frame, redacted = redact_frame(frame)
    notes += cut + redacted
    return Upload(name, hashlib.sha256(data).hexdigest(), frame, notes)


def check_unpacked_size(name: str, data: bytes) -> None:
    """Refuse a workbook that unpacks to more than XLSX_UNPACKED_MAX_MB, before anything unpacks it.
    (The sizes are the zip's own: Python's zip reader stops at the size a member declares.)"""
    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile:
        raise UploadError(
            f"{name} could not be read as a table: it is not an XLSX workbook. Save it again as .xlsx, or as CSV."
        ) from None
    if unpacked > XLSX_UNPACKED_MAX_MB * MB:
        raise UploadError(
            f"{name} unpacks to {unpacked / MB:,.0f} MB, more than the {XLSX_UNPACKED_MAX_MB} MB a "
            "workbook may hold here: save it as CSV and upload that."
        )


def cap_cells(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Cut every cell longer than textfile.CELL_MAX characters, visibly: it ends in textfile.CUT_MARK, and a note
    says how many were cut and where. Cutting comes before redaction, which then reads at most that much."""
    out, cut = frame.copy(), {}
    for column in out.columns:
        values = out[column].astype(str)
        long = values.str.len() > textfile.CELL_MAX
        if long.any():
            out[column] = values.mask(long, values[long].map(lambda v: textfile.cap(v)[0]))
            cut[column] = int(long.sum())
    if not cut:
        return out, []
    where = ", ".join(f"“{column}” ({count:,})" for column, count in cut.items())
    return out, [
        f"{sum(cut.values()):,} cell(s) were longer than {textfile.CELL_MAX:,} characters and were cut: "
        f"each ends in “{textfile.CUT_MARK}”. In {where}."
    ]


def check_row_lengths(text: str) -> None:
    """Refuse a row with more cells than the header: pandas would shift its columns without a word."""
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    for number, row in enumerate(rows, start=2):
        if len(row) > len(header):
            raise UploadError(
                f"Row {number} has {len(row)} cells but the header has {len(header)}: "
                "fix the file (a missing quote?) and upload it again."
            )
        if number > MAX_ROWS + 1:
            return


def redact_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Empty columns that name people; strip emails and phone numbers from every other cell."""
    notes = []
    out = frame.copy()
    for column in out.columns:
        if PERSONAL_COLUMN.search(column):
            out[column] = "[redacted: personal data]"
            notes.append(f"Column “{column}” holds personal data and was redacted.")
            continue
        cleaned = out[column].astype(str).map(redact)
        changed = int((cleaned != out[column].astype(str)).sum())
        if changed:
            notes.append(f"{changed} cell(s) of “{column}” held an email address or phone number, now redacted.")
        out[column] = cleaned
    return out, notes


def guess_column(columns: list[str], *words: str) -> str | None:
    for column in columns:
        if any(w in column.lower() for w in words):
            return column
    return None


def match(
    frame: pd.DataFrame,
    matcher: Matcher,
    state_names: dict[str, str],
    name_col: str,
    state_col: str | None = None,
    city_col: str | None = None,
) -> pd.DataFrame:
    names = frame[name_col].astype(str)
    states = frame[state_col].astype(str).str.strip().str.upper() if state_col else pd.Series([None] * len(frame))
    cities = frame[city_col].astype(str) if city_col else pd.Series([None] * len(frame))
    # A name longer than any agency's is no name, and comparing it costs in proportion to its length (about
    # 50 ms for 10,000 characters): it stays unmatched without being compared.
    results = iter(
        matcher.match_many(
            [
                (n, s or None, c or None, state_names.get(s or ""))
                for n, s, c in zip(names, states, cities)
                if len(n) <= textfile.NAME_MAX
            ]
        )
    )
    results = [next(results) if len(n) <= textfile.NAME_MAX else Match("unmatched") for n in names]
    out = frame.copy()
    out["status"] = [r.status for r in results]
    out["agency_id"] = [r.agency_id for r in results]
    out["method"] = [r.method for r in results]
    out["score"] = [r.score for r in results]
    out["candidates"] = [r.candidates for r in results]
    return out


def candidate_id(label: str) -> str:
    """'Springfield Police Department (IL0840200, IL)' -> 'IL0840200'."""
    return label.rsplit("(", 1)[1].split(",")[0].strip()


def save_upload(upload: Upload, folder: Path) -> Path:
    """Keep the redacted table on this machine, named by the original file's sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{upload.sha256}.csv"
    upload.frame.to_csv(path, index=False)
    return path
