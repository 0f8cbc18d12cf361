-- served: stored copies of what the dashboard's busiest pages read, written by the build's last transform
-- (ingest/transform/materialize.py) from views.* once everything else is in place. The views stay the
-- definition and keep computing (tests on small fixtures read them directly); these tables only make the
-- map, the place search, the agency profile and the claims export fast at a million evidence rows:
--   served.claims      = views.claims, stored
--   served.evidence    = views.evidence with its agency's kind and its claim's status (and the ladder rank)
--   served.agency_map  = one row per agency with evidence: the unfiltered map's row
--   served.headline    = the unfiltered headline counts
-- A table here is rebuilt whole at every build and never edited; change the view, not the table.
CREATE SCHEMA served;
