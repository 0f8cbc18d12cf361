-- Other names an agency goes by: curated ones (data/agency_aliases.csv) and the names sources used
-- for an agency they were matched to. The matcher reads them; each keeps where it came from.
CREATE TABLE core.agency_aliases (
    agency_id      VARCHAR NOT NULL,
    alias          VARCHAR NOT NULL,
    source_id      VARCHAR NOT NULL,
    source_url     VARCHAR,
    raw_record_id  BIGINT
);
