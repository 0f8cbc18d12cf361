"""raw -> core. Each module turns one kind of raw record into core rows, set-based where it can."""
from __future__ import annotations

import duckdb

from ingest.transform import _registry
from ingest.transform import (agencies, atlas, catalog, corrections, coverage, files, materialize, muckrock, places,
                              policies, records_laws, socrata, statements, usaspending)

# Live sources come after the Atlas (whose agencies and aliases the matcher uses) and before corrections;
# socrata last of them, as it adds agencies (the others share one matcher). materialize stores what the
# dashboard reads from everything before it, so it stays last.
ORDER = (places, agencies, catalog, atlas, usaspending, muckrock, files, socrata, statements, policies, records_laws,
         corrections, coverage, materialize)


def run_all(con: duckdb.DuckDBPyConnection) -> None:
    _registry.reset()
    for module in ORDER:
        module.run(con)

