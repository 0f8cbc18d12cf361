"""Seconds to make a hearing brief's PDF from the bundled database, as the Brief page's download and
`python -m ingest brief` make it (brief_for, then brief_pdf_file). Issue 16 asks for at most 3 seconds here.

Usage: python -m bench.bench_brief [--db PATH] [--place "Miami-Dade County, FL"] [--runs 3]
Prints Markdown table rows (lines starting with "|"): the first run (a cold connection) and the best of the rest.
Reads the real bundled data (`make data`), not SYNTHETIC data.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database file (default: $WATCHDOG_DB, or the state directory's)")
    parser.add_argument("--place", default="Miami-Dade County, FL")
    parser.add_argument("--runs", type=int, default=3)
    args, _ = parser.parse_known_args()  # bench.run passes every benchmark the same options
    if args.db:
        os.environ["WATCHDOG_DB"] = args.db
    from dashboard.data import query
    from dashboard.documents.brief import brief_for, brief_pdf_file
    from dashboard.documents.jurisdiction import find

    place = find(args.place, query).place
    if place is None:
        print(f"{args.place!r} is not one city, county or state: {find(args.place, query).sentence}", file=sys.stderr)
        return 1
    times, pages = [], 0
    for _ in range(max(args.runs, 1)):
        started = time.perf_counter()
        pdf = brief_pdf_file(place, brief_for(place))
        times.append(time.perf_counter() - started)
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    best = min(times[1:]) if len(times) > 1 else times[0]
    print(
        f"| brief PDF | {place.label}, bundled data | {times[0]:.2f} s first, {best:.2f} s best of "
        f"{len(times) - 1 or 1} | {pages} page(s), {len(pdf):,} bytes; limit 3 s |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
