"""data/catalog -> core.vendors and core.products."""

from __future__ import annotations

import duckdb


def run(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        INSERT INTO core.vendors
        SELECT record->>'vendor_id', record->>'name',
               list_filter(list_transform(string_split(coalesce(record->>'aliases', ''), '|'), lambda a: trim(a)), lambda a: a <> ''),
               NULLIF(record->>'homepage_url', ''), record->>'source_url', NULLIF(trim(record->>'other_lines'), ''),
               true, NULLIF(record->>'notes', '')
        FROM raw.records
        WHERE source_id = 'catalog' AND record->>'vendor_id' IS NOT NULL AND record->>'product_id' IS NULL
        """
    )
    con.execute(
        """
        INSERT INTO core.products
        SELECT record->>'product_id', record->>'vendor_id', record->>'name',
               list_filter(list_transform(string_split(coalesce(record->>'aliases', ''), '|'), lambda a: trim(a)), lambda a: a <> ''),
               list_filter(list_transform(string_split(lower(coalesce(record->>'product_terms', '')), '|'), lambda a: trim(a)), lambda a: a <> ''),
               record->>'source_url', NULLIF(record->>'notes', '')
        FROM raw.records
        WHERE source_id = 'catalog' AND record->>'product_id' IS NOT NULL
        """
    )


def vendor_lookup(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Lower-cased name or alias -> vendor_id."""
    lookup: dict[str, str] = {}
    for vendor_id, name, aliases in con.execute("SELECT vendor_id, name, aliases FROM core.vendors").fetchall():
        for label in [name, *(aliases or [])]:
            lookup.setdefault(label.strip().lower(), vendor_id)
    return lookup
