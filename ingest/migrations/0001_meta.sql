-- meta: where every record came from. Provenance is data, not a comment.
CREATE SCHEMA IF NOT EXISTS meta;

CREATE TABLE meta.sources (
    source_id    VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    platform     VARCHAR NOT NULL,   -- module under ingest/sources/ that reads it
    files        VARCHAR,            -- bundled files under data/, ';'-separated
    url          VARCHAR NOT NULL,   -- where the bundled copy came from
    homepage     VARCHAR,
    license      VARCHAR NOT NULL,
    attribution  VARCHAR NOT NULL,
    retrieved    VARCHAR,            -- when the upstream copy was taken, as documented
    weight       VARCHAR NOT NULL,   -- documented | weak | reference (ingest/registry.py)
    notes        VARCHAR
);

CREATE SEQUENCE meta.run_seq START 1;
CREATE TABLE meta.ingest_runs (
    run_id       BIGINT PRIMARY KEY,
    source_id    VARCHAR NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    status       VARCHAR NOT NULL,   -- running | ok | failed
    fetched      BIGINT DEFAULT 0,   -- records read from the source
    new          BIGINT DEFAULT 0,   -- raw records not seen before
    rejected     BIGINT DEFAULT 0,   -- rows sent to core.quarantine
    error        VARCHAR
);

CREATE SEQUENCE meta.raw_file_seq START 1;
CREATE TABLE meta.raw_files (
    raw_file_id  BIGINT PRIMARY KEY,
    source_id    VARCHAR NOT NULL,
    run_id       BIGINT NOT NULL,
    path         VARCHAR NOT NULL,   -- relative to the repository root
    url          VARCHAR NOT NULL,
    fetched_at   VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    bytes        BIGINT NOT NULL,
    columns      VARCHAR[]           -- the header the loader found
);
