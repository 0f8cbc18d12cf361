-- Corrections applied to evidence at build time (data/corrections.csv, source_id 'evidence'): what
-- changed, why, on whose word. Shown on the claim; the original stays in raw.
CREATE TABLE core.corrections (
    evidence_id  VARCHAR NOT NULL,
    field        VARCHAR NOT NULL,
    old_value    VARCHAR,
    new_value    VARCHAR,
    note         VARCHAR NOT NULL,
    source_url   VARCHAR NOT NULL,
    dated        VARCHAR
);

CREATE VIEW views.corrections AS
SELECT c.*, e.agency_id FROM core.corrections c LEFT JOIN core.evidence e USING (evidence_id);
