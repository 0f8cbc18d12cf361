"""Versioned releases: Parquet per table, a manifest with row counts and sha256 of each file, and a
changelog of claims added, removed and changed since the previous release.

A release depends only on the database's contents and the version label: rebuilt from the same
inputs it is byte-for-byte identical (one thread, fixed row order, no wall-clock time inside).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import duckdb

from ingest import db

# (file name, query) pairs: what a release publishes, each in a fixed order.
TABLES = (
    ("sources", "SELECT * FROM meta.sources ORDER BY ALL"),
    ("raw_files", "SELECT * EXCLUDE (run_id) FROM meta.raw_files ORDER BY ALL"),
    ("raw_records", "SELECT * EXCLUDE (run_id) FROM raw.records ORDER BY ALL"),
    ("agencies", "SELECT * FROM core.agencies ORDER BY ALL"),
    ("agency_aliases", "SELECT * FROM core.agency_aliases ORDER BY ALL"),
    ("vendors", "SELECT * FROM core.vendors ORDER BY ALL"),
    ("products", "SELECT * FROM core.products ORDER BY ALL"),
    ("evidence", "SELECT * FROM core.evidence ORDER BY ALL"),
    ("evidence_links", "SELECT * FROM core.evidence_links ORDER BY ALL"),
    ("vendor_disagreements", "SELECT * FROM core.vendor_disagreements ORDER BY ALL"),
    ("procurement", "SELECT * FROM core.procurement ORDER BY ALL"),
    ("policies", "SELECT * FROM core.policies ORDER BY ALL"),
    ("records_laws", "SELECT * FROM core.records_laws ORDER BY ALL"),
    ("quarantine", "SELECT * FROM core.quarantine ORDER BY ALL"),
    ("records_requests", "SELECT * FROM core.records_requests ORDER BY ALL"),
    (
        "coverage",
        """SELECT agency_id, research_status, technologies, records_requests, request_outcome
                    FROM views.coverage ORDER BY ALL""",
    ),
    ("flags", "SELECT * FROM views.flags ORDER BY ALL"),
    (
        "claims",
        """SELECT agency_id, ori, agency_name, state, vendor_id, vendor, product_id, product, status, contested,
                         evidence_count, first_date, last_date, source_urls
                  FROM views.claims ORDER BY ALL""",
    ),
)
CLAIM_KEY = ("agency_id", "vendor_id", "product_id")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def previous_release(root: Path, version: str) -> Path | None:
    older = (
        sorted(p for p in root.iterdir() if p.is_dir() and p.name < version and (p / "manifest.json").exists())
        if root.exists()
        else []
    )
    return older[-1] if older else None


# A version names one folder directly under the releases folder, and a line of CHANGELOG.md: a letter or
# digit, then up to 63 letters, digits, dots, hyphens or underscores. No slash, no "." or "..", no line break.
VERSION_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_version(version: str) -> str:
    """The version itself, or ValueError with a sentence saying what a version may be."""
    if not isinstance(version, str) or not VERSION_PATTERN.fullmatch(version):
        raise ValueError(
            f"{str(version)[:80]!r} cannot be a release version: use a letter or digit followed by up "
            "to 63 letters, digits, dots, hyphens or underscores (for example 2026-12-06 or v1.2)."
        )
    return version


def write(database: Path, root: Path, version: str) -> Path:
    """Write release `version` under `root`; return its folder."""
    folder = Path(root) / check_version(version)
    folder.mkdir(parents=True, exist_ok=True)
    con = db.connect(database, read_only=True)
    try:
        con.execute("SET threads = 1")  # one writer thread: the same bytes every time
        files = []
        for name, sql in TABLES:
            path = folder / f"{name}.parquet"
            # The relation API writes the file: no path is ever formatted into SQL (COPY binds no parameters).
            con.sql(sql).write_parquet(str(path), compression="zstd")
            ((rows,),) = con.execute("SELECT count(*) FROM read_parquet($p)", {"p": str(path)}).fetchall()
            files.append({"file": path.name, "rows": rows, "sha256": sha256(path)})
        before = previous_release(root, version)
        changelog = claim_changes(con, folder / "claims.parquet", before / "claims.parquet" if before else None)
    finally:
        con.close()
    (folder / "CHANGELOG.md").write_text(changelog_markdown(version, before.name if before else None, changelog))
    manifest = {
        "version": version,
        "previous": before.name if before else None,
        "files": files,
        "fingerprint": fingerprint_of(database),
        "claims": {k: len(v) for k, v in changelog.items()},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return folder


def claim_changes(con: duckdb.DuckDBPyConnection, current: Path, previous: Path | None) -> dict[str, list[tuple]]:
    if previous is None:
        rows = con.execute(
            "SELECT agency_name, state, product, NULL, status FROM read_parquet($now) ORDER BY ALL",
            {"now": str(current)},
        ).fetchall()
        return {"added": rows, "removed": [], "changed": []}
    params = {"now": str(current), "then": str(previous)}
    same = " AND ".join(f"a.{k} IS NOT DISTINCT FROM b.{k}" for k in CLAIM_KEY)  # fixed column names
    added = con.execute(
        "SELECT a.agency_name, a.state, a.product, NULL, a.status FROM read_parquet($now) a "
        "ANTI JOIN read_parquet($then) b ON " + same + " ORDER BY ALL",
        params,
    ).fetchall()
    removed = con.execute(
        "SELECT b.agency_name, b.state, b.product, b.status, NULL FROM read_parquet($then) b "
        "ANTI JOIN read_parquet($now) a ON " + same + " ORDER BY ALL",
        params,
    ).fetchall()
    changed = con.execute(
        "SELECT a.agency_name, a.state, a.product, b.status, a.status FROM read_parquet($now) a "
        "JOIN read_parquet($then) b ON " + same + " WHERE a.status <> b.status ORDER BY ALL",
        params,
    ).fetchall()
    return {"added": added, "removed": removed, "changed": changed}


FINGERPRINT = """SELECT sha256(coalesce(string_agg(concat_ws('|', evidence_id, agency_id, vendor_id, product_id, kind,
                  event_date, source_url), chr(10) ORDER BY evidence_id), '')) FROM views.evidence"""


def fingerprint_of(database: Path) -> str:
    """What the database says, in one hash: how the dashboard knows which release it is reading."""
    con = db.connect(database, read_only=True)
    try:
        return fingerprint(con)
    finally:
        con.close()


def fingerprint(con) -> str:
    return con.execute(FINGERPRINT).fetchone()[0]


def releases(root: Path) -> list[dict]:
    """Every release under `root`, newest first, with its manifest."""
    if not root.exists():
        return []
    found = [
        json.loads((p / "manifest.json").read_text()) | {"folder": str(p)}
        for p in root.iterdir()
        if (p / "manifest.json").exists()
    ]
    return sorted(found, key=lambda m: m["version"], reverse=True)


def changelog_markdown(version: str, previous: str | None, changelog: dict[str, list[tuple]]) -> str:
    lines = [
        f"# Release {version}",
        "",
        f"Claims compared with release {previous}." if previous else "First release: every claim is new.",
        "",
    ]
    for section, rows in changelog.items():
        lines += [f"## {section.capitalize()} ({len(rows)})", ""]
        for agency, state, product, was, now in map(one_line, rows):
            move = {"added": f"{now}", "removed": f"was {was}", "changed": f"{was} -> {now}"}[section]
            lines.append(f"- {agency} ({state or 'federal'}), {product}: {move}")
        lines.append("")
    return "\n".join(lines)


def one_line(row: tuple) -> tuple:
    """Record text on one changelog line: a line break or other control character in a name becomes a space."""
    return tuple(
        " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", v).split()) if isinstance(v, str) else v for v in row
    )
