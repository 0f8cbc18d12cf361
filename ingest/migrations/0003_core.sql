-- core: cleaned entities and evidence, each row pointing back at raw.records.
CREATE SCHEMA IF NOT EXISTS core;

CREATE TABLE core.places (
    geoid      VARCHAR PRIMARY KEY,
    kind       VARCHAR NOT NULL,     -- place | county
    name       VARCHAR NOT NULL,     -- without its legal suffix: "Plano", "Collin County"
    full_name  VARCHAR NOT NULL,     -- as the Census writes it: "Plano city"
    state      VARCHAR NOT NULL,
    latitude   DOUBLE,
    longitude  DOUBLE,
    raw_record_id BIGINT NOT NULL
);

CREATE TABLE core.states (
    state       VARCHAR PRIMARY KEY,   -- USPS code
    state_name  VARCHAR NOT NULL
);

CREATE TABLE core.agencies (
    agency_id        VARCHAR PRIMARY KEY,  -- the ORI where the FBI list has one
    ori              VARCHAR,
    name             VARCHAR NOT NULL,
    agency_type      VARCHAR,
    city             VARCHAR,
    county           VARCHAR,
    state            VARCHAR,
    latitude         DOUBLE,
    longitude        DOUBLE,
    location_method  VARCHAR,   -- fbi | census_place | census_county | NULL (not on the map)
    registry         VARCHAR NOT NULL,  -- fbi_cde | atlas (no registry match) | federal
    raw_record_id    BIGINT NOT NULL
);

CREATE TABLE core.vendors (
    vendor_id     VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    aliases       VARCHAR[],
    homepage_url  VARCHAR,
    source_url    VARCHAR NOT NULL,
    other_lines   VARCHAR,   -- non-FR lines the vendor also sells: its name alone proves nothing
    in_catalog    BOOLEAN NOT NULL,
    notes         VARCHAR
);

CREATE TABLE core.products (
    product_id     VARCHAR PRIMARY KEY,
    vendor_id      VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    aliases        VARCHAR[],
    product_terms  VARCHAR[],
    source_url     VARCHAR NOT NULL,
    notes          VARCHAR
);

CREATE TABLE core.evidence (
    evidence_id    VARCHAR PRIMARY KEY,
    agency_id      VARCHAR NOT NULL,
    agency_match   VARCHAR NOT NULL,  -- ori | exact_name | fuzzy_name | unplaced | federal
    match_score    DOUBLE,
    vendor_id      VARCHAR,           -- NULL: the source names no vendor
    product_id     VARCHAR,           -- NULL: the source names no single product
    kind           VARCHAR NOT NULL,  -- used | trialled | procured | ended | denied
    kind_reason    VARCHAR NOT NULL,
    event_date     DATE,
    date_precision VARCHAR,           -- day | year
    amount         DOUBLE,
    summary        VARCHAR,           -- the source's own words, personal data redacted
    source_id      VARCHAR NOT NULL,
    source_name    VARCHAR,
    source_url     VARCHAR NOT NULL,
    raw_record_id  BIGINT NOT NULL
);

CREATE TABLE core.evidence_links (
    evidence_id   VARCHAR NOT NULL,
    link_number   INTEGER NOT NULL,
    url           VARCHAR NOT NULL,
    source_name   VARCHAR,
    link_type     VARCHAR,
    link_date     DATE,
    snapshot_url  VARCHAR
);

-- Every procurement line we read, facial recognition or not, with the reason for the verdict.
CREATE TABLE core.procurement (
    procurement_id   VARCHAR PRIMARY KEY,
    source_id        VARCHAR NOT NULL,
    award_id         VARCHAR,
    recipient        VARCHAR,
    vendor_label     VARCHAR,
    vendor_id        VARCHAR,
    awarding_agency  VARCHAR,
    awarding_subagency VARCHAR,
    amount           DOUBLE,
    start_date       DATE,
    end_date         DATE,
    award_type       VARCHAR,
    description      VARCHAR,   -- personal data redacted
    is_face_recognition BOOLEAN NOT NULL,  -- true only for the verdict 'yes'
    fr_verdict       VARCHAR NOT NULL,     -- yes | no | uncertain (ingest/classify.py)
    product_id       VARCHAR,
    reason           VARCHAR NOT NULL,
    url              VARCHAR,
    raw_record_id    BIGINT NOT NULL
);

CREATE TABLE core.policies (
    policy_id        VARCHAR PRIMARY KEY,
    jurisdiction     VARCHAR NOT NULL,
    jurisdiction_level VARCHAR NOT NULL,   -- city | county | state | regional
    place_name       VARCHAR,
    state            VARCHAR,
    stance           VARCHAR NOT NULL,     -- as the source labels it
    description      VARCHAR,
    action_date      DATE,
    date_text        VARCHAR NOT NULL,
    source_url       VARCHAR NOT NULL,
    caveat           VARCHAR,              -- from data/corrections.csv: shown beside the row, never hidden
    caveat_source    VARCHAR,
    latitude         DOUBLE,
    longitude        DOUBLE,
    raw_record_id    BIGINT NOT NULL
);

CREATE TABLE core.quarantine (
    source_id      VARCHAR NOT NULL,
    raw_file_id    BIGINT,
    row_number     BIGINT,
    raw_record_id  BIGINT,
    reason         VARCHAR NOT NULL,
    raw_text       VARCHAR
);
