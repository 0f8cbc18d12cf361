"""Where things live. The database path can be overridden with WATCHDOG_DB."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SOURCES_FILE = DATA_DIR / "sources.csv"


def releases_dir() -> Path:
    return Path(os.environ.get("WATCHDOG_RELEASES") or ROOT / "releases")


def db_path() -> Path:
    return Path(os.environ.get("WATCHDOG_DB") or DATA_DIR / "watchdog.duckdb")
