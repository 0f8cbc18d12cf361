-- Coverage: how far each registry agency has been researched, so an empty map area never reads as
-- "no facial recognition here". Flags: policy against practice, each a question with its citations.
CREATE TABLE core.research (
    agency_id      VARCHAR NOT NULL,
    source_id      VARCHAR NOT NULL,
    technologies   VARCHAR[] NOT NULL,   -- what the source lists for the agency (not face recognition)
    raw_record_id  BIGINT NOT NULL
);

CREATE VIEW views.coverage AS
SELECT a.agency_id, a.name, a.state, a.county, a.city, a.agency_kind, a.latitude, a.longitude,
       CASE WHEN ev.agency_id IS NOT NULL THEN 'evidence found'
            WHEN r.agency_id IS NOT NULL THEN 'researched, no face-recognition evidence found'
            ELSE 'not researched' END AS research_status,
       r.technologies, r.raw_record_id AS research_record_id
FROM views.agencies a
LEFT JOIN (SELECT DISTINCT agency_id FROM core.evidence) ev USING (agency_id)
LEFT JOIN (SELECT agency_id, list_sort(list_distinct(flatten(list(technologies)))) AS technologies,
                  min(raw_record_id) AS raw_record_id
           FROM core.research GROUP BY agency_id) r USING (agency_id);

-- City and county bans and moratoria only: state-level rows in our table have narrower scopes
-- (police body cameras, schools) that a join cannot honour.
CREATE VIEW views.flags AS
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
