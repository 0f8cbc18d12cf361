-- views: what the dashboard reads. Pages query these, never raw or core directly.
CREATE SCHEMA IF NOT EXISTS views;

-- Ladder order for an agency's headline status (strongest first); see ingest/claims.py.
CREATE TABLE views.status_ladder (status VARCHAR PRIMARY KEY, rank INTEGER, definition VARCHAR);

-- One vocabulary of agency kinds over the FBI's agency types and the Atlas's jurisdiction types.
CREATE VIEW views.agencies AS
SELECT a.* REPLACE (
           -- The FBI lists state agencies by bare titles ("State Police"): say whose.
           CASE WHEN a.registry = 'fbi_cde' AND a.agency_type IN ('State Police', 'Other State Agency')
                 AND s.state_name IS NOT NULL AND NOT contains(lower(a.name), lower(s.state_name))
                THEN a.name || ' (' || s.state_name || ')' ELSE a.name END AS name),
       a.name AS registry_name,
       CASE WHEN a.registry = 'federal' OR a.agency_type IN ('Federal', 'DHS') OR a.name LIKE 'U.S. %' THEN 'Federal'
            WHEN a.agency_type IN ('School District') OR a.name ILIKE '%school district%' THEN 'School district'
            WHEN a.agency_type IN ('University', 'University or College') OR a.name ILIKE '%universit%'
              OR a.name ILIKE '%college%' THEN 'University'
            WHEN a.agency_type IN ('State', 'State Police', 'Other State Agency', 'Statewide') THEN 'State'
            WHEN a.agency_type IN ('County') THEN 'County'
            WHEN a.agency_type IN ('City', 'Municipal') THEN 'Municipal'
            WHEN a.agency_type = 'Tribal' THEN 'Tribal'
            ELSE 'Other' END AS agency_kind,
       s.state_name,
       CASE a.registry WHEN 'fbi_cde' THEN 'FBI registry (ORI ' || a.ori || ')'
                       WHEN 'federal' THEN 'Federal agency (not on the FBI list)'
                       ELSE 'Not matched to the FBI registry' END AS placement,
       CASE a.location_method WHEN 'fbi' THEN 'FBI coordinates'
                              WHEN 'census_place' THEN 'Census point of its city'
                              WHEN 'census_county' THEN 'Census point of its county'
                              ELSE 'Not on the map' END AS location_note
FROM core.agencies a
LEFT JOIN core.states s ON s.state = a.state;

CREATE VIEW views.evidence AS
SELECT e.evidence_id, e.agency_id, a.name AS agency_name, a.ori, a.agency_type, a.state, a.city, a.county,
       e.vendor_id, coalesce(v.name, '(vendor not named)') AS vendor, v.in_catalog AS vendor_in_catalog,
       e.product_id, coalesce(p.name, CASE WHEN v.name IS NULL THEN 'Unnamed product (vendor not named)' ELSE v.name || ' (product not named)' END) AS product,
       e.kind, e.kind_reason, e.event_date, e.date_precision,
       -- What the date is: procurement carries the award's start, the Atlas only its sources' dates.
       CASE s.platform WHEN 'usaspending' THEN 'award start' ELSE 'earliest source' END AS date_label, year(e.event_date) AS year, e.amount, e.summary,
       e.agency_match, e.match_score, e.source_id, s.name AS source, s.license, s.weight AS source_weight, e.source_name, e.source_url,
       e.raw_record_id, r.content_hash AS raw_hash, f.path AS raw_file, f.sha256 AS raw_file_sha256,
       f.url AS raw_file_url, f.fetched_at AS raw_fetched_at
FROM core.evidence e
JOIN views.agencies a USING (agency_id)
LEFT JOIN core.vendors v USING (vendor_id)
LEFT JOIN core.products p USING (product_id)
JOIN meta.sources s USING (source_id)
JOIN raw.records r ON r.record_id = e.raw_record_id
JOIN meta.raw_files f ON f.raw_file_id = r.raw_file_id;

-- One claim per agency and product (vendor-level where the source names no product).
CREATE VIEW views.claims AS
WITH grouped AS (
    SELECT agency_id, any_value(agency_name) AS agency_name, any_value(ori) AS ori, any_value(state) AS state,
           vendor_id, any_value(vendor) AS vendor, product_id, any_value(product) AS product,
           count(*) AS evidence_count, min(event_date) AS first_date, max(event_date) AS last_date,
           bool_or(kind = 'denied') AS any_denied, bool_or(kind <> 'denied') AS any_other,
           bool_or(kind = 'procured') AS any_procured, bool_or(kind = 'used') AS any_used,
           bool_or(kind = 'trialled') AS any_trialled,
           bool_and(source_weight = 'weak') AS only_weak,
           max(event_date) FILTER (WHERE kind = 'ended') AS ended_on,
           bool_or(kind = 'ended') AS any_ended,
           max(event_date) FILTER (WHERE kind NOT IN ('ended', 'denied')) AS last_use_on,
           string_agg(DISTINCT source_url, ' ' ORDER BY source_url) AS source_urls
    FROM views.evidence
    GROUP BY agency_id, vendor_id, product_id
)
SELECT agency_id, ori, agency_name, state, vendor_id, vendor, product_id, product,
       CASE WHEN any_denied AND NOT any_other THEN 'denied'
            WHEN only_weak THEN 'unconfirmed'
            WHEN any_ended AND (last_use_on IS NULL OR ended_on >= last_use_on) THEN 'ended'
            WHEN any_procured THEN 'procured'
            WHEN any_used THEN 'used'
            WHEN any_trialled THEN 'trialled'
            ELSE 'unconfirmed' END AS status,
       any_denied AND any_other AS contested,
       evidence_count, first_date, last_date, source_urls
FROM grouped;

CREATE VIEW views.evidence_links AS SELECT * FROM core.evidence_links;
CREATE VIEW views.quarantine AS SELECT * FROM core.quarantine;

CREATE VIEW views.sources AS
SELECT s.*, coalesce(f.files, 0) AS raw_files, coalesce(r.records, 0) AS raw_records,
       coalesce(e.evidence, 0) AS evidence_rows, coalesce(q.quarantined, 0) AS quarantined,
       run.started_at AS last_run_started, run.finished_at AS last_run_finished, run.status AS last_run_status,
       run.error AS last_run_error
FROM meta.sources s
LEFT JOIN (SELECT source_id, count(*) AS files FROM meta.raw_files GROUP BY 1) f USING (source_id)
LEFT JOIN (SELECT source_id, count(*) AS records FROM raw.records GROUP BY 1) r USING (source_id)
LEFT JOIN (SELECT source_id, count(*) AS evidence FROM core.evidence GROUP BY 1) e USING (source_id)
LEFT JOIN (SELECT source_id, count(*) AS quarantined FROM core.quarantine GROUP BY 1) q USING (source_id)
LEFT JOIN (SELECT * FROM meta.ingest_runs QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY run_id DESC) = 1) run
       USING (source_id);

CREATE VIEW views.policies AS SELECT * FROM core.policies;
