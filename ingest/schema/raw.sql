-- raw: every record exactly as the source served it (all values kept as text), one row per record.
-- One table for all sources so that any evidence row points at its record by a single id.
CREATE SCHEMA raw;

CREATE TABLE raw.records (
    record_id     BIGINT NOT NULL,
    source_id     VARCHAR NOT NULL,
    raw_file_id   BIGINT NOT NULL,
    run_id        BIGINT NOT NULL,
    row_number    BIGINT NOT NULL,   -- 1-based position among the file's well-formed records
    content_hash  VARCHAR NOT NULL,  -- sha256 of the record's JSON text: a rerun adds no duplicate
    record        JSON NOT NULL,
    UNIQUE (source_id, content_hash)
);
