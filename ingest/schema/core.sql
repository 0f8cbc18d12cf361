-- core: cleaned entities and evidence, each row pointing back at raw.records.
CREATE SCHEMA core;

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

-- An Atlas-style row whose Vendor field and summary name different vendors (Harris County: Vendor IDEMIA, summary
-- "purchased ... from Imagis Technologies"; Raleigh: Vendor DataWorks Plus, summary "also subscribed to Clearview
-- AI's ... then ceased"). Each vendor has evidence of its own, with the kind its own words give; the agency page
-- shows the two side by side.
CREATE TABLE core.vendor_disagreements (
    raw_record_id   BIGINT PRIMARY KEY,
    source_id       VARCHAR NOT NULL,
    vendor_field    VARCHAR,             -- the source's Vendor field as written
    field_vendors   VARCHAR[] NOT NULL,  -- the vendors that field names (vendor_id)
    summary_vendors VARCHAR[] NOT NULL,  -- the vendors only the summary names (vendor_id)
    field_unnamed   VARCHAR[] NOT NULL   -- field vendors the summary never names while it names another
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
    raw_record_id    BIGINT NOT NULL,
    -- A procurement line's own link to an agency (a federal sub-award placed on the registry by rule; NULL where
    -- the buyer is named only in awarding_agency) and where the work is performed.
    agency_id        VARCHAR,   -- registry agency, matched by rule only
    agency_match     VARCHAR,   -- the matcher's rule that placed it
    place_of_performance VARCHAR   -- "New York, New York County, NY"
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

-- Other names an agency goes by: curated ones (data/agency_aliases.csv) and the names sources used
-- for an agency they were matched to. The matcher reads them; each keeps where it came from.
CREATE TABLE core.agency_aliases (
    agency_id      VARCHAR NOT NULL,
    alias          VARCHAR NOT NULL,
    source_id      VARCHAR NOT NULL,
    source_url     VARCHAR,
    raw_record_id  BIGINT
);

-- Records requests (MuckRock): evidence that someone asked, never that an agency used anything; what came
-- of it, and what its released pages name.
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
    raw_record_id  BIGINT NOT NULL,
    outcome        VARCHAR,               -- done | no documents | rejected | pending | withdrawn
    about_face_recognition BOOLEAN,       -- its own words name face recognition or a catalog vendor/product
    product_ids    VARCHAR[],             -- catalog products it asks about
    vendor_ids     VARCHAR[],             -- catalog vendors it asks about
    document_product_ids VARCHAR[],       -- products its released pages name
    document_vendor_ids  VARCHAR[],       -- vendors its released pages name
    pages_read     INTEGER                -- released PDF pages read at build time
);

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
    raw_record_id  BIGINT NOT NULL,
    -- What the law says about timing in its own words, for the request letter (from a sourced row of
    -- data/corrections.csv, field deadline_note); day_type 'none': a source says no fixed number of days.
    deadline_note  VARCHAR
);

-- Where to send a records request: an agency's mailing address and its records office's role email, from
-- MuckRock's 2017 agency list (ingest/transform/agency_contacts.py). Dated: addresses change, so the letter says
-- "address as of 2017, check it". A person's email is never kept (rules/contacts.py role_email).
CREATE TABLE core.agency_contacts (
    agency_id        VARCHAR PRIMARY KEY,
    mailing_address  VARCHAR,              -- lines joined by a newline; NULL: none usable in the source
    records_email    VARCHAR,              -- an office's address (records@, foia@); NULL: none, or only a person's
    email_withheld   BOOLEAN NOT NULL,     -- the source gave an email that may be a person's, left out
    as_of            DATE NOT NULL,        -- when the source was compiled
    source_name      VARCHAR NOT NULL,     -- the agency as the source names it
    source_url       VARCHAR,              -- the agency's page at the source
    source_id        VARCHAR NOT NULL,
    raw_record_id    BIGINT NOT NULL
);

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

-- How far each registry agency has been researched (views.coverage), so an empty map area never reads as
-- "no facial recognition here".
CREATE TABLE core.research (
    agency_id      VARCHAR NOT NULL,
    source_id      VARCHAR NOT NULL,
    technologies   VARCHAR[] NOT NULL,   -- what the source lists for the agency (not face recognition)
    raw_record_id  BIGINT NOT NULL
);
