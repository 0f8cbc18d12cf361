-- Public-records laws by state (and federal FOIA as state 'US'), for request letters and deadlines.
CREATE TABLE core.records_laws (
    state          VARCHAR PRIMARY KEY,   -- USPS code, or US for federal FOIA
    law_name       VARCHAR NOT NULL,
    abbreviation   VARCHAR,
    statute        VARCHAR,               -- NULL: the table does not give it
    response_days  INTEGER,               -- NULL: no fixed deadline known here
    day_type       VARCHAR NOT NULL,      -- business | calendar | unknown
    guide_url      VARCHAR NOT NULL,      -- the guide to verify the row against
    caveat         VARCHAR,
    raw_record_id  BIGINT NOT NULL
);

CREATE VIEW views.records_laws AS SELECT * FROM core.records_laws;

CREATE VIEW views.places AS SELECT * FROM core.places;
