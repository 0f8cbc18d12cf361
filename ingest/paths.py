"""Where committed inputs live (data/, the schema). What the program writes at run time lives in the state
directory, set in ingest/settings.py (WATCHDOG_STATE, default state/); the names here are kept for callers."""

from __future__ import annotations

from pathlib import Path

from ingest.settings import ROOT, archive_dir, db_path, feeds_dir, releases_dir, state_dir, uploads_dir

DATA_DIR = ROOT / "data"
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SOURCES_FILE = DATA_DIR / "sources.csv"

__all__ = [
    "ROOT",
    "DATA_DIR",
    "SCHEMA_DIR",
    "SOURCES_FILE",
    "archive_dir",
    "db_path",
    "feeds_dir",
    "releases_dir",
    "state_dir",
    "uploads_dir",
]
