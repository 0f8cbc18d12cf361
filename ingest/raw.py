"""Load a source file into raw.records unchanged: every value as text, hashed, deduplicated.

This is the only code that writes raw records. Source modules say how a file is read
(delimiter, required columns); they never touch the database themselves.
"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.paths import ROOT


class SchemaDrift(ValueError):
    """A file lacks a column its source module needs: stop that source, load nothing."""


@dataclass
class LoadResult:
    raw_file_id: int
    columns: list[str]
    fetched: int = 0
    new: int = 0
    rejected: int = 0


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_csv(delim: str, rejects: bool = False) -> str:
    # Fixed text with parameters only: the path and delimiter are bound, never pasted in.
    extra = ", store_rejects = true, rejects_table = 'load_rejects', rejects_scan = 'load_reject_scans'" if rejects else ""
    return (
        "read_csv($path, all_varchar = true, header = true, delim = $delim, quote = '\"', "
        f"escape = '\"', strict_mode = true, null_padding = false{extra})"
    )


def csv_columns(path: Path, delim: str = ",") -> list[str]:
    """The file's own header, read without sniffing so that a bad line further down cannot hide it."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return next(csv.reader(fh, delimiter=delim), [])


def require_columns(path: Path, found: list[str], required: list[str] | tuple[str, ...]) -> None:
    missing = [c for c in required if c not in found]
    if missing:
        raise SchemaDrift(
            f"{path.name}: missing column(s) {', '.join(repr(c) for c in missing)}; "
            f"found {len(found)} column(s): {', '.join(found)}"
        )


def load_csv(
    con: duckdb.DuckDBPyConnection,
    *,
    source_id: str,
    path: Path,
    url: str,
    fetched_at: str,
    run_id: int,
    delim: str = ",",
    required: tuple[str, ...] = (),
) -> LoadResult:
    columns = csv_columns(path, delim)
    require_columns(path, columns, required)
    rel = str(path.resolve().relative_to(ROOT)) if path.resolve().is_relative_to(ROOT) else str(path)
    raw_file_id = con.execute(
        "INSERT INTO meta.raw_files VALUES (nextval('meta.raw_file_seq'), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING raw_file_id",
        [source_id, run_id, rel, url, fetched_at, sha256_file(path), path.stat().st_size, columns],
    ).fetchone()[0]
    con.execute("DROP TABLE IF EXISTS load_rejects; DROP TABLE IF EXISTS load_reject_scans")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE staged AS
        SELECT row_number() OVER () AS row_number, j::VARCHAR AS record, sha256(j::VARCHAR) AS content_hash
        FROM (SELECT to_json(t) AS j FROM {_read_csv(delim, rejects=True)} AS t)
        """,
        {"path": str(path), "delim": delim},
    )
    fetched = con.execute("SELECT count(*) FROM staged").fetchone()[0]
    # A record already in raw (an earlier run, or an identical row earlier in this file) is not
    # stored again; a repeat inside one file is noted in quarantine so nothing vanishes silently.
    con.execute(
        """
        INSERT INTO core.quarantine
        SELECT $source, $file, s.row_number, NULL,
               'identical to record ' || first.row_number || ' of the same file: kept once', s.record
        FROM staged s
        JOIN (SELECT content_hash, min(row_number) AS row_number FROM staged GROUP BY 1) first
          ON s.content_hash = first.content_hash AND s.row_number > first.row_number
        """,
        {"source": source_id, "file": raw_file_id},
    )
    new = con.execute(
        """
        INSERT INTO raw.records
        -- Ids follow file order (a sequence in a parallel SELECT would not), so a rebuild gives the same ids.
        SELECT (SELECT coalesce(max(record_id), 0) FROM raw.records) + row_number() OVER (ORDER BY row_number),
               $source, $file, $run, row_number, content_hash, record::JSON
        FROM (
            SELECT * FROM staged
            WHERE content_hash NOT IN (SELECT content_hash FROM raw.records WHERE source_id = $source)
            QUALIFY row_number() OVER (PARTITION BY content_hash ORDER BY row_number) = 1
        )
        ORDER BY row_number
        """,
        {"source": source_id, "file": raw_file_id, "run": run_id},
    ).fetchone()[0]
    rejected = con.execute(
        """
        INSERT INTO core.quarantine
        SELECT $source, $file, line, NULL, 'malformed CSV line: ' || error_type || ': ' || error_message, csv_line
        FROM load_rejects
        """,
        {"source": source_id, "file": raw_file_id},
    ).fetchone()[0]
    dupes = con.execute(
        "SELECT count(*) FROM core.quarantine WHERE raw_file_id = ? AND reason LIKE 'identical%'", [raw_file_id]
    ).fetchone()[0]
    con.execute("DROP TABLE staged; DROP TABLE IF EXISTS load_rejects; DROP TABLE IF EXISTS load_reject_scans")
    return LoadResult(raw_file_id, columns, fetched=fetched, new=new, rejected=rejected + dupes)
