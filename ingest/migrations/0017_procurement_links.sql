-- A procurement line's own link to an agency (a federal sub-award placed on the registry by rule; NULL where the
-- buyer is named only in awarding_agency) and where the work is performed, as columns rather than reason text.
ALTER TABLE core.procurement ADD COLUMN agency_id VARCHAR;              -- registry agency, matched by rule only
ALTER TABLE core.procurement ADD COLUMN agency_match VARCHAR;           -- the matcher's rule that placed it
ALTER TABLE core.procurement ADD COLUMN place_of_performance VARCHAR;   -- "New York, New York County, NY"
