-- What a records law says about timing in its own words, for the request letter: the whole rule where the law sets
-- no fixed number of days ("promptly", "within a reasonable time"), or what qualifies a fixed one. Filled only from a
-- sourced row of data/corrections.csv (field deadline_note); NULL when no source has been read.
-- day_type gains a fourth value, 'none': a source says the law sets no fixed number of days.
ALTER TABLE core.records_laws ADD COLUMN deadline_note VARCHAR;
