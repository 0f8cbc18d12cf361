-- views: what the dashboard reads. Pages query these, never raw or core directly.
CREATE SCHEMA views;

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

-- Each vendor of a source row whose Vendor field and summary name different vendors (core.vendor_disagreements),
-- on its side, with the kind its own words give: the agency page shows the two sides side by side.
CREATE VIEW views.vendor_disagreements AS
SELECT d.raw_record_id, e.agency_id, d.vendor_field, e.summary, e.source, e.license, e.source_name, e.source_url,
       CASE WHEN list_contains(d.summary_vendors, e.vendor_id) THEN 'summary' ELSE 'vendor field' END AS side,
       e.vendor, e.product, e.kind, e.kind_reason, e.evidence_id
FROM core.vendor_disagreements d JOIN views.evidence e USING (raw_record_id);

-- One claim per agency and product (vendor-level where the source names no product). The status ladder is
-- ingest/claims.py LADDER: procured > used > trialled > planned > listed; ended and denied as the latest word.
-- When each evidence row is documented: its own date and its links' dates (an Atlas row is dated by its earliest
-- link and may hold a newer article). documented_on is the newest, years every year any of them falls in (the
-- map's year filter keeps a claim with evidence dated in the range). A bundled award replaced by its live record
-- is the same award, not a newer document.
CREATE VIEW views.evidence_dates AS
SELECT e.evidence_id,
       greatest(e.event_date, max(l.link_date)) AS documented_on,
       list_distinct(list_filter(list_append(list(year(l.link_date)), year(e.event_date)), lambda y: y IS NOT NULL))
           AS years
FROM core.evidence e
LEFT JOIN core.evidence_links l
       ON l.evidence_id = e.evidence_id AND (l.link_type IS NULL OR l.link_type NOT LIKE 'the same award in %')
GROUP BY e.evidence_id, e.event_date;

CREATE VIEW views.claims AS
WITH grouped AS (
    SELECT agency_id, any_value(agency_name) AS agency_name, any_value(ori) AS ori, any_value(state) AS state,
           vendor_id, any_value(vendor) AS vendor, product_id, any_value(product) AS product,
           count(*) AS evidence_count, min(event_date) AS first_date, max(event_date) AS last_date,
           max(d.documented_on) AS last_documented,
           bool_or(kind = 'denied') AS any_denied, bool_or(kind <> 'denied') AS any_other,
           bool_or(kind = 'procured') AS any_procured, bool_or(kind = 'used') AS any_used,
           bool_or(kind = 'trialled') AS any_trialled, bool_or(kind = 'planned') AS any_planned,
           bool_or(kind = 'listed') AS any_listed,
           bool_and(source_weight = 'weak') AS only_weak,
           max(event_date) FILTER (WHERE kind = 'ended') AS ended_on,
           bool_or(kind = 'ended') AS any_ended,
           -- A listing or a plan says nothing of use, so a later one does not undo an end.
           max(event_date) FILTER (WHERE kind NOT IN ('ended', 'denied', 'listed', 'planned')) AS last_use_on,
           string_agg(DISTINCT source_url, ' ' ORDER BY source_url) AS source_urls
    FROM views.evidence JOIN views.evidence_dates d USING (evidence_id)
    GROUP BY agency_id, vendor_id, product_id
)
SELECT agency_id, ori, agency_name, state, vendor_id, vendor, product_id, product,
       CASE WHEN any_denied AND NOT any_other THEN 'denied'
            WHEN only_weak THEN 'unconfirmed'
            WHEN any_ended AND (last_use_on IS NULL OR ended_on >= last_use_on) THEN 'ended'
            WHEN any_procured THEN 'procured'
            WHEN any_used THEN 'used'
            WHEN any_trialled THEN 'trialled'
            WHEN any_planned THEN 'planned'
            WHEN any_listed THEN 'listed'
            ELSE 'unconfirmed' END AS status,
       any_denied AND any_other AS contested,
       evidence_count, first_date, last_date, last_documented, source_urls
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
CREATE VIEW views.records_requests AS SELECT * FROM core.records_requests;
CREATE VIEW views.ingest_runs AS SELECT * FROM meta.ingest_runs;
CREATE VIEW views.records_laws AS SELECT * FROM core.records_laws;
CREATE VIEW views.agency_contacts AS SELECT * FROM core.agency_contacts;
CREATE VIEW views.places AS SELECT * FROM core.places;
CREATE VIEW views.changes AS SELECT * FROM meta.changes;

CREATE VIEW views.corrections AS
SELECT c.*, e.agency_id FROM core.corrections c LEFT JOIN core.evidence e USING (evidence_id);

-- Coverage: how far each registry agency has been researched. Evidence found comes first; then "asked" (a records
-- request about face recognition exists; the best-informed outcome is shown: done, then no documents, rejected,
-- pending, withdrawn); then researched by the Atlas for other technologies only; else not researched.
CREATE VIEW views.coverage AS
WITH asked AS (
    SELECT agency_id, count(*) AS requests,
           arg_min(outcome, CASE outcome WHEN 'done' THEN 1 WHEN 'no documents' THEN 2 WHEN 'rejected' THEN 3
                                         WHEN 'pending' THEN 4 ELSE 5 END) AS request_outcome
    FROM core.records_requests
    WHERE agency_id IS NOT NULL AND about_face_recognition
    GROUP BY agency_id
)
SELECT a.agency_id, a.name, a.state, a.county, a.city, a.agency_kind, a.latitude, a.longitude,
       CASE WHEN ev.agency_id IS NOT NULL THEN 'evidence found'
            WHEN q.agency_id IS NOT NULL THEN 'asked: ' || q.request_outcome
            WHEN r.agency_id IS NOT NULL THEN 'researched, no face-recognition evidence found'
            ELSE 'not researched' END AS research_status,
       r.technologies, r.raw_record_id AS research_record_id,
       coalesce(q.requests, 0) AS records_requests, q.request_outcome
FROM views.agencies a
LEFT JOIN (SELECT DISTINCT agency_id FROM core.evidence) ev USING (agency_id)
LEFT JOIN asked q USING (agency_id)
LEFT JOIN (SELECT agency_id, list_sort(list_distinct(flatten(list(technologies)))) AS technologies,
                  min(raw_record_id) AS raw_record_id
           FROM core.research GROUP BY agency_id) r USING (agency_id);

-- Flags are questions with their citations, never verdicts. Policy against practice:
-- City and county bans and moratoria only: state-level rows in our table have narrower scopes
-- (police body cameras, schools) that a join cannot honour.
CREATE VIEW views.policy_flags AS
SELECT 'after_ban' AS flag, e.agency_id, e.agency_name, e.state, e.product, e.evidence_id, p.policy_id,
       'A source dated ' || strftime(e.event_date, '%Y-%m-%d') || ' reports ' || CASE e.kind WHEN 'used' THEN 'use' WHEN 'procured' THEN 'a purchase' ELSE 'a trial' END ||
       ' of ' || e.product ||
       ' by ' || e.agency_name || ', after the ' || p.jurisdiction || ' ' || lower(p.stance) || ' of ' || p.date_text ||
       '. Does the ' || lower(p.stance) || ' cover this agency, and was the product still in use?' AS question,
       e.source_url, p.source_url AS policy_url
FROM views.evidence e
JOIN views.agencies a USING (agency_id)
JOIN core.policies p ON p.state = a.state
 AND ((p.jurisdiction_level = 'city' AND lower(p.place_name) = lower(a.city))
      OR (p.jurisdiction_level = 'county' AND lower(p.place_name) = lower(a.county)))
WHERE lower(p.stance) IN ('ban', 'moratorium') AND e.kind IN ('used', 'procured', 'trialled')
  AND e.event_date > p.action_date
UNION ALL
SELECT 'no_procurement', c.agency_id, c.agency_name, c.state, c.product, NULL, NULL,
       c.agency_name || ' shows ' || CASE c.status WHEN 'trialled' THEN 'a trial of ' ELSE 'use of ' END || c.product ||
       ' with no procurement record here: was there a contract, a free trial, or access through another agency''s '
       || 'system, and who approved it?',
       split_part(c.source_urls, ' ', 1), NULL
FROM views.claims c WHERE c.status IN ('used', 'trialled')
UNION ALL
SELECT 'no_approval', e.agency_id, e.agency_name, e.state, e.product, e.evidence_id, p.policy_id,
       e.agency_name || ' procured ' || e.product || ' (source dated ' || strftime(e.event_date, '%Y-%m-%d') ||
       ') where ' || p.jurisdiction || '''s ' || lower(p.stance) || ' of ' || p.date_text ||
       ' requires public review or approval: is the approval on record?',
       e.source_url, p.source_url
FROM views.evidence e
JOIN views.agencies a USING (agency_id)
JOIN core.policies p ON p.state = a.state
 AND ((p.jurisdiction_level = 'city' AND lower(p.place_name) = lower(a.city))
      OR (p.jurisdiction_level = 'county' AND lower(p.place_name) = lower(a.county)))
WHERE lower(p.stance) IN ('ordinance', 'law') AND e.kind = 'procured' AND e.event_date > p.action_date;

-- Where an agency's answer to a records request and the other evidence disagree. Only requests about face
-- recognition in general or about the claim's vendor, filed after the claim's earliest source (an agency cannot
-- release records of a purchase it had not made yet), and only claims that evidence supports (not unconfirmed,
-- not denied). Each row is a question, never a verdict.
CREATE VIEW views.request_gaps AS
WITH first_evidence AS (
    SELECT agency_id, vendor_id, product_id,
           arg_min(evidence_id, coalesce(event_date, DATE '9999-12-31')) AS evidence_id,
           arg_min(source_url, coalesce(event_date, DATE '9999-12-31')) AS source_url
    FROM views.evidence WHERE kind <> 'denied'
    GROUP BY agency_id, vendor_id, product_id
), matched AS (
    SELECT c.agency_id, c.agency_name, c.state, c.vendor_id, c.vendor, c.product_id, c.product, c.status AS claim_status,
           c.first_date, f.evidence_id, f.source_url,
           r.request_id, r.title AS request_title, r.status AS request_status, r.outcome, r.submitted_on, r.done_on,
           r.url AS request_url, r.pages_read,
           CASE WHEN list_contains(r.vendor_ids, c.vendor_id) THEN c.vendor ELSE 'face recognition' END AS asked_about,
           CASE c.status WHEN 'procured' THEN 'a purchase of ' WHEN 'used' THEN 'use of '
                         WHEN 'trialled' THEN 'a trial of ' ELSE 'past use of ' END || c.product AS reported
    FROM views.claims c
    JOIN views.records_requests r ON r.agency_id = c.agency_id
    JOIN first_evidence f ON f.agency_id = c.agency_id AND f.vendor_id IS NOT DISTINCT FROM c.vendor_id
                         AND f.product_id IS NOT DISTINCT FROM c.product_id
    WHERE c.status IN ('procured', 'used', 'trialled', 'ended')
      AND (r.about_face_recognition OR list_contains(r.vendor_ids, c.vendor_id))
      AND (c.first_date IS NULL OR r.submitted_on IS NULL OR c.first_date <= r.submitted_on)
)
SELECT 'request_no_documents' AS gap, *,
       agency_name || ' answered a records request about ' || asked_about ||
       coalesce(' (filed ' || strftime(submitted_on, '%Y-%m-%d') || ')', '') ||
       ' that it had no responsive documents, yet ' ||
       CASE WHEN first_date IS NULL THEN 'an undated source' ELSE 'a source dated ' || strftime(first_date, '%Y-%m-%d') END ||
       ' reports ' || reported || '. Which is right, and how was the search for records done?' AS question
FROM matched WHERE outcome = 'no documents'
UNION ALL
SELECT 'request_documents_silent', *,
       agency_name || ' released documents to a records request about ' || asked_about ||
       coalesce(' (completed ' || strftime(done_on, '%Y-%m-%d') || ')', '') || ', and none of the ' ||
       pages_read || ' released pages we read names ' || coalesce(vendor, product) || ', yet ' ||
       CASE WHEN first_date IS NULL THEN 'an undated source' ELSE 'a source dated ' || strftime(first_date, '%Y-%m-%d') END ||
       ' reports ' || reported || '. Were all responsive records released?'
FROM matched m
WHERE outcome = 'done' AND pages_read > 0
  AND NOT list_contains((SELECT document_vendor_ids FROM views.records_requests r WHERE r.request_id = m.request_id),
                        vendor_id)
UNION ALL
SELECT 'request_rejected', *,
       agency_name || ' refused a records request about ' || asked_about ||
       coalesce(' (filed ' || strftime(submitted_on, '%Y-%m-%d') || ')', '') || ', while ' ||
       CASE WHEN first_date IS NULL THEN 'an undated source' ELSE 'a source dated ' || strftime(first_date, '%Y-%m-%d') END ||
       ' reports ' || reported || '. On what grounds, and will the records be released?'
FROM matched WHERE outcome = 'rejected';

-- Every flag: policy against practice, and records requests against the other evidence.
CREATE VIEW views.flags AS
SELECT *, NULL::VARCHAR AS request_id, NULL::VARCHAR AS request_url FROM views.policy_flags
UNION ALL BY NAME
SELECT gap AS flag, agency_id, agency_name, state, product, evidence_id, NULL::VARCHAR AS policy_id, question,
       source_url, NULL::VARCHAR AS policy_url, request_id, request_url
FROM views.request_gaps;
