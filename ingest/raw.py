"""Load a source file into raw unchanged: every record as JSON text with its sha256, deduplicated, in raw.records.

This is the only code that writes raw records. Source modules say how a file is read
(delimiter, required columns); they never touch the database themselves. Every kind of file (CSV, a JSON
response, a spreadsheet's rows) ends in the same table through the same dedupe (`_store_staged`).
"""

from __future__ import annotations

import csv
import hashlib
import json
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
    extra = (
        ", store_rejects = true, rejects_table = 'load_rejects', rejects_scan = 'load_reject_scans'" if rejects else ""
    )
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
    """A CSV file's rows into raw.records, each row the JSON object of its header's columns and text values."""
    columns = csv_columns(path, delim)
    require_columns(path, columns, required)
    con.execute("DROP TABLE IF EXISTS load_rejects; DROP TABLE IF EXISTS load_reject_scans")
    # A temp table keeps file order, so its rowid numbers the rows without a window over the whole file.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE staged_rows AS SELECT to_json(t)::VARCHAR AS record "
        "FROM " + _read_csv(delim, rejects=True) + " AS t",
        {"path": str(path), "delim": delim},
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE staged AS "
        "SELECT rowid + 1 AS row_number, record, sha256(record) AS content_hash FROM staged_rows ORDER BY rowid;"
        "DROP TABLE staged_rows"
    )
    raw_file_id = _register_file(
        con, source_id=source_id, run_id=run_id, path=path, url=url, fetched_at=fetched_at, columns=columns
    )
    fetched, new = _store_staged(con, source_id, raw_file_id, run_id)
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


def platform_sources(con: duckdb.DuckDBPyConnection, platform: str) -> list[str]:
    """The ids of one platform's sources. Filtering raw.records by this list (a constant) lets DuckDB drop
    other sources' rows before it works out their JSON; a join on meta.sources filters only after."""
    return [
        s
        for (s,) in con.execute(
            "SELECT source_id FROM meta.sources WHERE platform = ? ORDER BY 1", [platform]
        ).fetchall()
    ]


def _store_staged(con: duckdb.DuckDBPyConnection, source_id: str, raw_file_id: int, run_id: int) -> tuple[int, int]:
    """Move `staged` (row_number, record, content_hash; in row_number order) into raw.records: (fetched, new).

    A record already held for this source (an earlier run) is not stored again, and a record repeated in one
    file is kept once with the repeat noted in quarantine, so a rerun adds nothing and nothing vanishes."""
    params = {"source": source_id, "file": raw_file_id, "run": run_id}
    fetched, distinct, held = con.execute(
        """SELECT count(*), count(DISTINCT content_hash),
                  count(*) FILTER (WHERE content_hash IN (SELECT content_hash FROM raw.records WHERE source_id = $source))
           FROM staged""",
        {"source": source_id},
    ).fetchone()
    if distinct == fetched and held == 0:
        # Nothing repeats and nothing is held already (a first load): every row is new, ids follow file order.
        return fetched, con.execute(
            """
            INSERT INTO raw.records
            SELECT (SELECT coalesce(max(record_id), 0) FROM raw.records) + row_number,
                   $source, $file, $run, row_number, content_hash, record::JSON
            FROM staged
            """,
            params,
        ).fetchone()[0]
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
        params,
    ).fetchone()[0]
    return fetched, new


def _register_file(
    con,
    *,
    source_id: str,
    run_id: int,
    path: Path,
    url: str,
    fetched_at: str,
    columns: list[str],
    sha256: str | None = None,
) -> int:
    rel = str(path.resolve().relative_to(ROOT)) if path.resolve().is_relative_to(ROOT) else str(path)
    return con.execute(
        "INSERT INTO meta.raw_files VALUES (nextval('meta.raw_file_seq'), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING raw_file_id",
        [source_id, run_id, rel, url, fetched_at, sha256 or sha256_file(path), path.stat().st_size, columns],
    ).fetchone()[0]


def json_records_path(records_path: str | None) -> str:
    """'results' -> '$.results[*]'; None -> '$[*]' (the document is the array of records)."""
    if records_path and not records_path.replace("_", "").isalnum():
        raise ValueError(f"records path must be a plain key, not {records_path!r}")
    return f"$.{records_path}[*]" if records_path else "$[*]"


def load_json(
    con: duckdb.DuckDBPyConnection,
    *,
    source_id: str,
    path: Path,
    url: str,
    fetched_at: str,
    run_id: int,
    records_path: str | None = None,
    required: tuple[str, ...] = (),
) -> LoadResult:
    """Load the array of records in a saved JSON response, one raw record per element, set-based.

    A document that is not valid JSON is quarantined whole; an element that is not an object, or lacks a
    required field, is quarantined with its text. The rest go through the same dedup as CSV rows.
    """
    params = {"path": str(path)}
    valid = con.execute("SELECT json_valid(content) FROM read_text($path)", params).fetchone()[0]
    if not valid:
        raw_file_id = _register_file(
            con, source_id=source_id, run_id=run_id, path=path, url=url, fetched_at=fetched_at, columns=[]
        )
        con.execute(
            "INSERT INTO core.quarantine VALUES (?, ?, NULL, NULL, 'not valid JSON: the whole response is "
            "kept in the archive, none of it loaded', ?)",
            [source_id, raw_file_id, path.read_text(errors="replace")[:4000]],
        )
        return LoadResult(raw_file_id, [], fetched=0, new=0, rejected=1)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE json_staged AS
        WITH doc AS (SELECT coalesce(json_extract(content::JSON, $jpath), []) AS recs FROM read_text($path))
        SELECT unnest(generate_series(1, len(recs))) AS row_number, unnest(recs) AS rec FROM doc
        """,
        {**params, "jpath": json_records_path(records_path)},
    )
    columns = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT unnest(json_keys(rec)) AS k FROM json_staged WHERE json_type(rec) = 'OBJECT' ORDER BY k"
        ).fetchall()
    ]
    raw_file_id = _register_file(
        con, source_id=source_id, run_id=run_id, path=path, url=url, fetched_at=fetched_at, columns=columns
    )
    bad = {"source": source_id, "file": raw_file_id, "required": list(required)}
    rejected = con.execute(
        """
        INSERT INTO core.quarantine
        SELECT $source, $file, row_number, NULL,
               CASE WHEN json_type(rec) <> 'OBJECT' THEN 'not a JSON object but ' || json_type(rec)
                    ELSE 'missing field(s) ' || array_to_string(
                         list_filter($required::VARCHAR[], lambda k: NOT list_contains(json_keys(rec), k)), ', ') END,
               rec::VARCHAR
        FROM json_staged
        WHERE json_type(rec) <> 'OBJECT'
           OR len(list_filter($required::VARCHAR[], lambda k: NOT list_contains(json_keys(rec), k))) > 0
        """,
        bad,
    ).fetchone()[0]
    fetched = con.execute("SELECT count(*) FROM json_staged").fetchone()[0]
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE staged AS
        SELECT row_number, rec::VARCHAR AS record, sha256(rec::VARCHAR) AS content_hash FROM json_staged
        WHERE json_type(rec) = 'OBJECT'
          AND len(list_filter($required::VARCHAR[], lambda k: NOT list_contains(json_keys(rec), k))) = 0
        """,
        {"required": list(required)},
    )
    _, new = _store_staged(con, source_id, raw_file_id, run_id)
    dupes = con.execute(
        "SELECT count(*) FROM core.quarantine WHERE raw_file_id = ? AND reason LIKE 'identical%'", [raw_file_id]
    ).fetchone()[0]
    con.execute("DROP TABLE staged; DROP TABLE json_staged")
    return LoadResult(raw_file_id, columns, fetched=fetched, new=new, rejected=rejected + dupes)


def load_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    source_id: str,
    rows: list[dict],
    path: Path,
    url: str,
    fetched_at: str,
    run_id: int,
) -> LoadResult:
    """Records read from an archived file that DuckDB cannot read itself (a spreadsheet, a PDF's text):
    each dict becomes one raw record, its provenance the archived file it came from."""
    import pyarrow as pa

    columns = sorted({k for r in rows for k in r})
    raw_file_id = _register_file(
        con, source_id=source_id, run_id=run_id, path=path, url=url, fetched_at=fetched_at, columns=columns
    )
    texts = pa.table(
        {
            "row_number": list(range(1, len(rows) + 1)),
            "record": [json.dumps(r, ensure_ascii=False, default=str) for r in rows],
        }
    )
    con.register("rows_in", texts)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE staged AS "
        "SELECT row_number, record::JSON::VARCHAR AS record, sha256(record::JSON::VARCHAR) AS content_hash "
        "FROM rows_in"
    )
    con.unregister("rows_in")
    fetched, new = _store_staged(con, source_id, raw_file_id, run_id)
    dupes = con.execute(
        "SELECT count(*) FROM core.quarantine WHERE raw_file_id = ? AND reason LIKE 'identical%'", [raw_file_id]
    ).fetchone()[0]
    con.execute("DROP TABLE staged")
    return LoadResult(raw_file_id, columns, fetched=fetched, new=new, rejected=dupes)
