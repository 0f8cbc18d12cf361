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

import numpy as np
import pandas as pd

from rules import documented, textfile
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


# What the matcher and the review add to each row. A column of the file with one of these names keeps its values,
# renamed.
MATCH_COLUMNS = (
    "file_row",
    "state_used",
    "status",
    "agency_id",
    "agency_name",
    "agency_state",
    "method",
    "score",
    "candidates",
)
# A state written at the end of the name when the file has no state for the row: "Miami-Dade Police Department, FL".
STATE_AT_END = re.compile(r"^(?P<name>.*\S)\s*,\s*(?P<state>[A-Za-z]{2})\s*$")


def in_table(column: str) -> str:
    """What `match()` calls a column of the file (renamed only when it has the name of a column it adds)."""
    return f"{column} (in the file)" if column in MATCH_COLUMNS else column


def state_code(state: str, known: dict[str, str]) -> str:
    """The USPS code for a state cell written as a code or as the state's name ("Florida", "new york"); anything
    else as written, in capitals (the matcher then finds nothing in it, rather than something elsewhere)."""
    wanted = " ".join(state.split()).upper()
    if wanted in known:
        return wanted
    by_name = {name.upper(): code for code, name in known.items() if name}
    return by_name.get(wanted, wanted)


def split_state(name: str, state: str | None, known: dict[str, str]) -> tuple[str, str | None]:
    """The name and the state to match it in: the row's own state when it has one, else a known state code at the
    end of the name ("Miami-Dade Police Department, FL"). Anything else after a comma stays part of the name."""
    if state:
        return name, state
    found = STATE_AT_END.match(name)
    if found and found["state"].upper() in known:
        return found["name"], found["state"].upper()
    return name, None


def match(
    frame: pd.DataFrame,
    matcher: Matcher,
    state_names: dict[str, str],
    name_col: str,
    state_col: str | None = None,
    city_col: str | None = None,
) -> pd.DataFrame:
    """The file's rows with what the matcher says of each: status (matched | ambiguous | unmatched), agency_id,
    method, score, candidates (labels), the state it was matched in and the row's number in the file."""
    names = frame[name_col].astype(str)
    states = frame[state_col].astype(str).str.strip().str.upper() if state_col else pd.Series([""] * len(frame))
    cities = frame[city_col].astype(str) if city_col else pd.Series([None] * len(frame))
    codes = {s: state_code(s, state_names) for s in set(states) if s}  # once per distinct cell, not per row
    asked = [split_state(n, codes.get(s), state_names) for n, s in zip(names, states)]
    # A name longer than any agency's is no name, and comparing it costs in proportion to its length (about
    # 50 ms for 10,000 characters): it stays unmatched without being compared.
    results = iter(
        matcher.match_many(
            [
                (n, s, c or None, state_names.get(s or ""))
                for (n, s), c in zip(asked, cities)
                if len(n) <= textfile.NAME_MAX
            ]
        )
    )
    results = [next(results) if len(n) <= textfile.NAME_MAX else Match("unmatched") for n, _ in asked]
    out = frame.rename(columns={c: in_table(c) for c in frame.columns})
    # The row as a spreadsheet numbers it: the header is row 1.
    out["file_row"] = range(2, len(frame) + 2)
    out["state_used"] = [s or "" for _, s in asked]
    out["status"] = [r.status for r in results]
    out["agency_id"] = [r.agency_id for r in results]
    out["method"] = [r.method for r in results]
    out["score"] = [r.score for r in results]
    out["candidates"] = [r.candidates for r in results]
    return out


def candidate_id(label: str) -> str:
    """'Springfield Police Department (IL0840200, IL)' -> 'IL0840200'."""
    return label.rsplit("(", 1)[1].split(",")[0].strip()


# ------------------------------------------------------------------------------------------------- review
# A row's status in the export. Only a person turns "to review" into "matched" or "rejected".
MATCHED, TO_REVIEW, REJECTED, NO_MATCH = "matched", "to review", "rejected", "no match"
STATUSES = (MATCHED, TO_REVIEW, REJECTED, NO_MATCH)
NONE_OF_THESE = "none of these"  # a reviewer's decision: no candidate is this row's agency


def needs_review(status: str, method: str | None) -> bool:
    """Several agencies fit the name, or the one that fits differs by a spelling slip: a person decides."""
    return status == "ambiguous" or (status == "matched" and method == "spelling")


def doubtful(matched: pd.DataFrame) -> np.ndarray:
    """needs_review() for every row of `match()` at once: a file may hold 200,000 rows, and this runs on every
    click."""
    given = matched["status"].to_numpy(dtype=object)
    spelling = matched["method"].to_numpy(dtype=object) == "spelling"
    return (given == "ambiguous") | ((given == "matched") & spelling)


def candidate_ids(row) -> list[str]:
    """The agencies a person may choose from for a row of `match()`."""
    if row["status"] == "ambiguous":
        return [candidate_id(label) for label in row["candidates"]]
    return [row["agency_id"]] if row["status"] == "matched" else []


def rank_candidates(ids: list[str], row_state: str | None, agencies: dict, evidence: dict[str, int]) -> list[str]:
    """Agencies in the row's state first, then those with the most evidence on record, then by name and state."""

    def order(agency_id: str):
        agency = agencies.get(agency_id)
        state = (agency.state if agency else None) or ""
        name = agency.name if agency else agency_id
        return (not row_state or state != row_state, -evidence.get(agency_id, 0), name, state, agency_id)

    return sorted(dict.fromkeys(ids), key=order)


def row_label(file_row: int, name, state) -> str:
    """How the review names a row: its number and its own text, and its state only when the file gives one
    ('Row 3: “Springfield Police Department”, no state in the file'; never '"X" ()')."""
    shown = " ".join(str(name).split()) if name is not None else ""
    where = " ".join(str(state).split()) if isinstance(state, str) else ""
    return f"Row {file_row}: “{shown or '(no name)'}”, " + (f"state {where}" if where else "no state in the file")


def candidate_label(agency_id: str, agencies: dict, evidence: dict[str, int]) -> str:
    """'Springfield Police Department · IL · IL0840200 · 2 evidence rows' (a choice in the review)."""
    if agency_id == NONE_OF_THESE:
        return "None of these: reject the match"
    agency = agencies.get(agency_id)
    if agency is None:
        return agency_id
    count = evidence.get(agency_id, 0)
    found = f"{count:,} evidence row{'s' if count != 1 else ''}" if count else "no evidence on record"
    return f"{agency.name} · {agency.state or 'federal, no state'} · {agency_id} · {found}"


def review_status(status: str, method: str | None, decision: str | None) -> str:
    """The row's status in the export: a person's decision first; without one, a doubtful row stays to review."""
    if decision == NONE_OF_THESE:
        return REJECTED
    if decision:
        return MATCHED
    if needs_review(status, method):
        return TO_REVIEW
    return MATCHED if status == "matched" else NO_MATCH


def reviewed(matched: pd.DataFrame, decisions: dict, agencies: dict) -> pd.DataFrame:
    """The export: each row of the file with its status (matched, to review, rejected, no match), the chosen
    agency's id, name and state, how it was found (the matcher's rule, or "reviewed" when a person chose), and
    the candidates of a row still to review. `decisions` maps a row's index to an agency id or NONE_OF_THESE;
    a decision that is not one of the row's candidates, or on a row that needs none, counts for nothing."""
    given = matched["status"].to_numpy(dtype=object)
    status = np.where(doubtful(matched), TO_REVIEW, np.where(given == "matched", MATCHED, NO_MATCH)).astype(object)
    ids = np.where(status == MATCHED, matched["agency_id"].to_numpy(dtype=object), None)
    methods = np.where(status == MATCHED, matched["method"].to_numpy(dtype=object), None)
    for index, decision in decisions.items():
        at = matched.index.get_loc(index) if index in matched.index else None
        if at is None or status[at] != TO_REVIEW:
            continue
        if decision == NONE_OF_THESE:
            status[at] = REJECTED
        elif decision in candidate_ids(matched.iloc[at]):
            status[at], ids[at], methods[at] = MATCHED, decision, "reviewed"
    status, ids, methods = (pd.Series(v, index=matched.index, dtype=object) for v in (status, ids, methods))
    waiting = status == TO_REVIEW
    out = matched.drop(columns=["candidates", "score"])
    out["status"], out["agency_id"], out["method"] = status, ids, methods
    chosen = {i: (_name(agencies, i), _state(agencies, i)) for i in ids.dropna().unique()}
    named = [chosen.get(i, ("", "")) for i in ids]
    out.insert(out.columns.get_loc("agency_id") + 1, "agency_name", [name for name, _ in named])
    out.insert(out.columns.get_loc("agency_name") + 1, "agency_state", [state for _, state in named])
    out["candidates"] = ""
    # The matcher's own labels, "Name (ID, ST)"; a spelling match's one agency written the same way.
    out.loc[waiting, "candidates"] = [
        "; ".join(labels)
        if state == "ambiguous"
        else f"{_name(agencies, i)} ({i}, {_state(agencies, i) or 'no state'})"
        for labels, state, i in zip(
            matched.loc[waiting, "candidates"], matched.loc[waiting, "status"], matched.loc[waiting, "agency_id"]
        )
    ]
    return out


def _name(agencies: dict, agency_id: str | None) -> str:
    agency = agencies.get(agency_id) if agency_id else None
    return agency.name if agency else ""


def _state(agencies: dict, agency_id: str | None) -> str:
    agency = agencies.get(agency_id) if agency_id else None
    return (agency.state or "") if agency else ""


def counts(table: pd.DataFrame) -> dict[str, int]:
    """Rows per export status, every status present (zero included)."""
    found = table["status"].value_counts()
    return {status: int(found.get(status, 0)) for status in STATUSES}


def claims_by_row(table: pd.DataFrame, name_col: str, claims: pd.DataFrame, today=None) -> pd.DataFrame:
    """For every matched row, its agency's claims (product, status, when last documented, contested, evidence
    rows, a source); a matched agency with no claim shows once, saying so."""
    columns = ["file_row", in_table(name_col), "agency_id", "agency_name", "agency_state"]
    rows = table.loc[table["status"] == MATCHED, columns].rename(columns={in_table(name_col): "name in the file"})
    out = rows.merge(claims, on="agency_id", how="left")
    out["status"] = out["status"].fillna("no claim on record")
    out["last documented"] = [
        documented.when(d, today) if has else "" for d, has in zip(out["last_documented"], out["product"].notna())
    ]
    out["product"] = out["product"].fillna("")
    # The product's label names its vendor ("DataWorks Plus (product not named)"): the vendor is not repeated.
    return out[
        [
            "file_row",
            "name in the file",
            "agency_name",
            "agency_state",
            "product",
            "status",
            "last documented",
            "contested",
            "evidence_count",
            "agency_id",
            "a_source",
        ]
    ]


def in_reading_order(table: pd.DataFrame, name_col: str) -> pd.DataFrame:
    """The export with what a reader looks for first: the row, its name, its status and agency, then how it was
    found, then the file's other columns."""
    first = [
        "file_row",
        in_table(name_col),
        "status",
        "agency_name",
        "agency_id",
        "agency_state",
        "method",
        "state_used",
        "candidates",
    ]
    return table[first + [c for c in table.columns if c not in first]]


def dated_statuses(claims: pd.DataFrame, today=None) -> dict[str, str]:
    """Per agency: 'DataWorks Plus (product not named): procured, last documented 2020; ...'."""
    out: dict[str, list[str]] = {}
    for claim in claims.itertuples():
        said = documented.status_with_date(claim.status, claim.last_documented, today)
        out.setdefault(claim.agency_id, []).append(f"{claim.product}: {said}")
    return {agency_id: "; ".join(parts) for agency_id, parts in out.items()}


def save_upload(upload: Upload, folder: Path) -> Path:
    """Keep the redacted table on this machine, named by the original file's sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{upload.sha256}.csv"
    upload.frame.to_csv(path, index=False)
    return path
