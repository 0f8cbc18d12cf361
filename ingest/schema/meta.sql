-- meta: where every record came from. Provenance is data, not a comment.
CREATE SCHEMA meta;

-- One registry (data/sources.csv) lists bundled files and live endpoints alike.
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
    notes        VARCHAR,
    mode         VARCHAR NOT NULL DEFAULT 'bundled'   -- bundled | live: a live source never fetched is listed too
);

-- Where each live source is fetched from.
CREATE TABLE meta.live_sources (
    source_id     VARCHAR PRIMARY KEY,
    endpoint      VARCHAR NOT NULL,   -- as registered; tests and mirrors override its scheme and host
    dataset       VARCHAR,            -- Socrata dataset id
    fields        VARCHAR,            -- field mapping, ours=theirs|...
    jurisdiction  VARCHAR             -- whose records these are ("Chicago, IL")
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
    error        VARCHAR,
    updated      BIGINT DEFAULT 0,   -- new versions of records already held
    archive_run  VARCHAR             -- data/archive/<source>/<archive_run>/
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

-- Which column mapping a file import (`ingest run file`) used.
CREATE TABLE meta.file_imports (
    raw_file_id    BIGINT NOT NULL,
    source_id      VARCHAR NOT NULL,
    original_name  VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,   -- what the file is, as given at import (--name)
    sha256         VARCHAR NOT NULL,   -- the file's provenance: the same bytes, the same hash
    mapping        JSON NOT NULL       -- {"agency": "<their column>", "state": ..., "vendor": ..., ...}
);

-- What each build added or removed compared with what the history held as live: the What's new page and
-- the Atom feeds read this. Loaded at every build from the history kept beside the archive (changes.jsonl).
CREATE TABLE meta.changes (
    built_at     TIMESTAMP NOT NULL,
    change       VARCHAR NOT NULL,      -- added | removed
    evidence_id  VARCHAR NOT NULL,
    agency_id    VARCHAR,
    agency_name  VARCHAR,
    state        VARCHAR,
    vendor       VARCHAR,
    product      VARCHAR,
    kind         VARCHAR,
    summary      VARCHAR,
    source_url   VARCHAR
);
