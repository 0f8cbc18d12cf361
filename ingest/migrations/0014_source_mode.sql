-- One registry (data/sources.csv) lists bundled files and live endpoints alike; `mode` says which, so the
-- Sources page can list a live source that has never been fetched and say how to fetch it.
ALTER TABLE meta.sources ADD COLUMN mode VARCHAR NOT NULL DEFAULT 'bundled';   -- bundled | live
-- views.sources selects s.*: DuckDB expands it when the view is read, so the new column shows there too.
