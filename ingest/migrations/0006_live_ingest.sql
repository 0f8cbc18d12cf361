-- Live ingest: where each live source is fetched from, what each run did, which column mapping a file
-- import used, and records requests (MuckRock): evidence that someone asked, never that an agency used anything.
CREATE TABLE meta.live_sources (
    source_id     VARCHAR PRIMARY KEY,
    endpoint      VARCHAR NOT NULL,   -- as registered; tests and mirrors override its scheme and host
    dataset       VARCHAR,            -- Socrata dataset id
    fields        VARCHAR,            -- field mapping, ours=theirs|...
    jurisdiction  VARCHAR             -- whose records these are ("Chicago, IL")
);

ALTER TABLE meta.ingest_runs ADD COLUMN updated BIGINT DEFAULT 0;   -- new versions of records already held
ALTER TABLE meta.ingest_runs ADD COLUMN archive_run VARCHAR;        -- data/archive/<source>/<archive_run>/

CREATE TABLE meta.file_imports (
    raw_file_id    BIGINT NOT NULL,
    source_id      VARCHAR NOT NULL,
    original_name  VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,   -- what the file is, as given at import (--name)
    sha256         VARCHAR NOT NULL,   -- the file's provenance: the same bytes, the same hash
    mapping        JSON NOT NULL       -- {"agency": "<their column>", "state": ..., "vendor": ..., ...}
);

CREATE TABLE core.records_requests (
    request_id     VARCHAR PRIMARY KEY,   -- source_id:upstream id
    source_id      VARCHAR NOT NULL,
    title          VARCHAR,
    status         VARCHAR,
    agency_ref     VARCHAR,               -- the upstream agency id
    agency_name    VARCHAR,
    agency_id      VARCHAR,               -- our registry's agency, when matched by rule; NULL otherwise
    submitted_on   DATE,
    done_on        DATE,
    terms          VARCHAR[],             -- which catalog terms the request mentions
    url            VARCHAR NOT NULL,
    raw_record_id  BIGINT NOT NULL
);

CREATE VIEW views.records_requests AS SELECT * FROM core.records_requests;
CREATE VIEW views.ingest_runs AS SELECT * FROM meta.ingest_runs;
