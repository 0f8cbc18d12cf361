"""Corrections to evidence from data/corrections.csv (source_id 'evidence'), applied at every build.

Only the kind of a piece of evidence can be corrected here ('replace'), or the evidence withdrawn
('withdraw'); each correction needs a source. A correction that names no existing evidence is
quarantined rather than silently ignored."""

from __future__ import annotations

import duckdb

from ingest.transform.policies import corrections
from rules.claims import LADDER

# Every kind evidence can carry (the ladder less "unconfirmed", which only a claim can be).
KINDS = set(LADDER) - {"unconfirmed"}


def run(con: duckdb.DuckDBPyConnection) -> None:
    for evidence_id, fixes in corrections(con, "evidence").items():
        for fix in fixes:
            row = con.execute("SELECT kind FROM core.evidence WHERE evidence_id = ?", [evidence_id]).fetchone()
            problem = (None if row else "names no evidence in this build") if fix["source"] else "has no source"
            if fix["action"] == "replace" and (fix["field"] != "kind" or fix["value"] not in KINDS):
                problem = problem or f"can only set kind to one of {sorted(KINDS)}"
            if problem:
                con.execute(
                    "INSERT INTO core.quarantine VALUES ('corrections', NULL, NULL, NULL, ?, ?)",
                    [f"correction of {evidence_id} {problem}", str(fix)],
                )
                continue
            if fix["action"] == "withdraw":
                con.execute(
                    "INSERT INTO core.corrections VALUES (?, 'evidence', ?, 'withdrawn', ?, ?, ?)",
                    [evidence_id, row[0], fix["note"], fix["source"], fix["date"]],
                )
                con.execute("DELETE FROM core.evidence_links WHERE evidence_id = ?", [evidence_id])
                con.execute("DELETE FROM core.evidence WHERE evidence_id = ?", [evidence_id])
            else:
                con.execute(
                    "INSERT INTO core.corrections VALUES (?, 'kind', ?, ?, ?, ?, ?)",
                    [evidence_id, row[0], fix["value"], fix["note"], fix["source"], fix["date"]],
                )
                con.execute(
                    "UPDATE core.evidence SET kind = ?, kind_reason = ? WHERE evidence_id = ?",
                    [fix["value"], f"corrected: {fix['note']} ({fix['source']})", evidence_id],
                )
