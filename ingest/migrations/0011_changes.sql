-- What each build added or removed compared with the database it replaced: the What's new page and
-- the Atom feeds read this. History is carried forward from the previous file at every build.
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

CREATE VIEW views.changes AS SELECT * FROM meta.changes;
