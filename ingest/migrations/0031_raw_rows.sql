-- raw, typed: a CSV file's rows are kept as DuckDB read them (one STRUCT of text per row) in a table per
-- source and header, instead of one JSON document per row. Turning a million rows into JSON and hashing
-- each one cost more than reading the file; the JSON and its sha256 are now worked out when read.
-- raw.records stays the one place to read any record: a view over the JSON table and every rows table,
-- rewritten by ingest/raw.py whenever it adds a rows table.
ALTER TABLE raw.records RENAME TO json_records;

CREATE TABLE meta.raw_tables (
    table_name  VARCHAR PRIMARY KEY,   -- raw.rows_N
    source_id   VARCHAR NOT NULL,
    columns     VARCHAR[] NOT NULL     -- the header, in file order, as DuckDB names the columns
);

CREATE VIEW raw.records AS
SELECT record_id, source_id, raw_file_id, run_id, row_number, content_hash, record FROM raw.json_records;
