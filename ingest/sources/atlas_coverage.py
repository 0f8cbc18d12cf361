"""The full Atlas export, read for coverage only: which agencies the Atlas researched at all."""

from ingest.sources.atlas import COMMON, DELIM, detect_format  # noqa: F401  (same file format)


def required_columns(path) -> tuple[str, ...]:
    return COMMON
