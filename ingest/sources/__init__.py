"""One module per source platform. Each says how its files are read and what they must contain;
none of them writes the database (ingest/raw.py does, for all of them)."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType


def platform(name: str) -> ModuleType:
    return import_module(f"ingest.sources.{name}")
