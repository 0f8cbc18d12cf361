-- One registry (data/sources.csv) lists bundled files and live endpoints alike; `mode` says which, so the
-- Sources page can list a live source that has never been fetched and say how to fetch it.
ALTER TABLE meta.sources ADD COLUMN mode VARCHAR NOT NULL DEFAULT 'bundled';   -- bundled | live

CREATE OR REPLACE VIEW views.sources AS
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
