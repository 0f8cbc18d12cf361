"""Imported files -> evidence of kind `used` from a weak source (alone, a claim is only `unconfirmed`).

Each row's agency is placed on the registry by rule (rules/matching.py); an unmatched or ambiguous
agency, or a vendor not in the catalog, keeps its row in quarantine with the reason, never guessed.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from ingest.db import insert_frame
from rules import dates, textfile
from rules.classify import Classifier
from rules.matching import Match, Matcher


def imports(con) -> list[tuple]:
    return con.execute(
        "SELECT raw_file_id, source_id, original_name, sha256, mapping, title "
        "FROM meta.file_imports ORDER BY raw_file_id"
    ).fetchall()


def run(con: duckdb.DuckDBPyConnection, matcher: Matcher, state_names: dict[str, str]) -> None:
    files = imports(con)
    if not files:
        return
    classifier = Classifier.from_db(con)
    evidence, quarantine = [], []
    for raw_file_id, source_id, name, sha, mapping, title in files:
        try:
            found, held = file_evidence(
                con, matcher, state_names, classifier, raw_file_id, source_id, name, sha, json.loads(mapping), title
            )
        except Exception as exc:  # one archived file must never stop the build: it is set aside, with why
            found, held = (
                [],
                [
                    (
                        source_id,
                        raw_file_id,
                        None,
                        None,
                        f"the imported file {name} could not be read as records: {type(exc).__name__}: {exc}",
                        None,
                    )
                ],
            )
        evidence += found
        quarantine += held
    insert_frame(
        con,
        "core.quarantine",
        pd.DataFrame(
            quarantine, columns=["source_id", "raw_file_id", "row_number", "raw_record_id", "reason", "raw_text"]
        ),
    )
    insert_frame(con, "core.evidence", pd.DataFrame(evidence).drop_duplicates("evidence_id") if evidence else None)


def file_evidence(
    con, matcher, state_names, classifier, raw_file_id, source_id, name, sha, mapping, title
) -> tuple[list[dict], list[tuple]]:
    """One imported file's rows: evidence for those that place an agency and a vendor, quarantine for the rest."""
    evidence, quarantine = [], []
    records = con.execute(
        "SELECT record_id, row_number, record::VARCHAR FROM raw.records WHERE raw_file_id = ? ORDER BY record_id",
        [raw_file_id],
    ).fetchall()
    rows = []
    for record_id, row_number, text in records:
        fields, problem = mapped_fields(json.loads(text), mapping)
        if problem:
            quarantine.append((source_id, raw_file_id, row_number, record_id, problem, text))
        else:
            rows.append((record_id, row_number, text, fields))
    # A name longer than any agency's is not compared (that costs in proportion to its length): why_not says so.
    asked = iter(
        matcher.match_many(
            [
                (
                    r["agency"],
                    r.get("state", "").upper() or None,
                    r.get("city") or None,
                    state_names.get(r.get("state", "").upper()),
                )
                for *_, r in rows
                if len(r["agency"]) <= textfile.NAME_MAX
            ]
        )
    )
    found = [next(asked) if len(r["agency"]) <= textfile.NAME_MAX else Match("unmatched") for *_, r in rows]
    for (record_id, row_number, text, r), match in zip(rows, found):
        vendor_id = classifier.vendor_of(r["vendor"])
        reason = why_not(r, match, vendor_id)
        if reason:
            quarantine.append((source_id, raw_file_id, row_number, record_id, reason, text))
            continue
        when, precision = dates.parse(r.get("date"))
        evidence.append(
            {
                "evidence_id": f"{source_id}:{sha[:12]}:{row_number}:{vendor_id}",
                "agency_id": match.agency_id,
                "agency_match": match.method,
                "match_score": match.score,
                "vendor_id": vendor_id,
                "product_id": product_of(con, vendor_id, r.get("product")),
                "kind": "used",
                "kind_reason": f"listed in {name} (a weak source: alone it leaves the claim unconfirmed)",
                "event_date": when,
                "date_precision": precision,
                "amount": None,
                "summary": f"{r['agency']} appears in {name} beside {r['vendor']}.",
                "source_id": source_id,
                "source_name": title,
                "source_url": f"urn:sha256:{sha}",
                "raw_record_id": record_id,
            }
        )
    return evidence, quarantine


def mapped_fields(record: object, mapping: dict) -> tuple[dict, str | None]:
    """Our fields from one record's mapped columns, as text; or the reason the row cannot be read.

    A file's values need not be text: a JSON number or true/false becomes its text ("2019", "true"); null or
    a missing column is empty. A list or an object has no one text, and a value longer than a cell may be
    (textfile.CELL_MAX) is no name: the row goes to quarantine saying which column held what."""
    if not isinstance(record, dict):
        return {}, "the row is not a record of named columns"
    fields = {}
    for ours, theirs in mapping.items():
        value = record.get(theirs)
        if isinstance(value, (list, dict)):
            kind = "a list" if isinstance(value, list) else "an object"
            return {}, f"{ours} column {theirs!r} holds {kind}, not text"
        if isinstance(value, bool):
            value = "true" if value else "false"
        text = "" if value is None else textfile.clean(str(value)).strip()
        if len(text) > textfile.CELL_MAX:
            return {}, (
                f"{ours} column {theirs!r} holds {len(text):,} characters, more than the "
                f"{textfile.CELL_MAX:,} a cell may hold"
            )
        fields[ours] = text
    return fields, None


def why_not(row: dict, match, vendor_id: str | None) -> str | None:
    if not row["agency"]:
        return "imported row names no agency"
    if len(row["agency"]) > textfile.NAME_MAX:
        return (
            f"agency is {len(row['agency']):,} characters long, more than any agency name ({textfile.NAME_MAX} at most)"
        )
    if match.status == "ambiguous":
        return f"agency {row['agency']!r} is ambiguous: " + "; ".join(match.candidates)
    if match.status != "matched":
        return f"agency {row['agency']!r} matches no registry agency by rule"
    if not row["vendor"]:
        return "imported row names no vendor"
    if vendor_id is None:
        return f"vendor {row['vendor']!r} is not in the catalog"
    return None


def product_of(con, vendor_id: str, label: str | None) -> str | None:
    products = con.execute(
        "SELECT product_id, name, aliases FROM core.products WHERE vendor_id = ?", [vendor_id]
    ).fetchall()
    if label:
        for product_id, name, aliases in products:
            if label.strip().lower() in {n.lower() for n in (name, *(aliases or ()))}:
                return product_id
    return products[0][0] if len(products) == 1 else None
