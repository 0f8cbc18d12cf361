"""Who's Watching ingest: sources -> raw -> core -> views, in one DuckDB file."""
