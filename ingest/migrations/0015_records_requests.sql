-- Records requests (MuckRock) read for what they say about the record: that an agency was asked, what came
-- of it, and where its answer and the other evidence disagree. A request is never evidence of use.
ALTER TABLE core.records_requests ADD COLUMN outcome VARCHAR;                 -- done | no documents | rejected | pending | withdrawn
ALTER TABLE core.records_requests ADD COLUMN about_face_recognition BOOLEAN;  -- its own words name face recognition or a catalog vendor/product
ALTER TABLE core.records_requests ADD COLUMN product_ids VARCHAR[];           -- catalog products it asks about
ALTER TABLE core.records_requests ADD COLUMN vendor_ids VARCHAR[];            -- catalog vendors it asks about
ALTER TABLE core.records_requests ADD COLUMN document_product_ids VARCHAR[];  -- products its released pages name
ALTER TABLE core.records_requests ADD COLUMN document_vendor_ids VARCHAR[];   -- vendors its released pages name
ALTER TABLE core.records_requests ADD COLUMN pages_read INTEGER;              -- released PDF pages read at build time

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

-- Coverage gains "asked": a records request about face recognition exists for the agency. The best-informed
-- outcome is shown (done, then no documents, rejected, pending, withdrawn); evidence found still comes first.
CREATE OR REPLACE VIEW views.coverage AS
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

-- Flags: policy against practice (0013), and now records requests against the other evidence.
ALTER VIEW views.flags RENAME TO policy_flags;
CREATE VIEW views.flags AS
SELECT *, NULL::VARCHAR AS request_id, NULL::VARCHAR AS request_url FROM views.policy_flags
UNION ALL BY NAME
SELECT gap AS flag, agency_id, agency_name, state, product, evidence_id, NULL::VARCHAR AS policy_id, question,
       source_url, NULL::VARCHAR AS policy_url, request_id, request_url
FROM views.request_gaps;
