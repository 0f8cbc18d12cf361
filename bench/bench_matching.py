"""Agency matching speed: 10,000 messy names against the full registry, blocked by state.

The names are SYNTHETIC: real registry names rewritten the way records write them (case,
abbreviations, slips, a share of names that are in no registry). Prints names per second.
Usage: python -m bench.bench_matching [--db PATH] [--names N]
"""

from __future__ import annotations

import argparse
import random
import time

from ingest import db as dbmod
from ingest import paths
from rules.matching import from_database

REWRITES = (
    lambda s: s.upper(),
    lambda s: s.replace("Police Department", "Police Dept."),
    lambda s: s.replace("Police Department", "PD"),
    lambda s: s.replace("Sheriff's Office", "Sheriff"),
    lambda s: s.replace("County", "Co."),
    lambda s: s[:-3] + s[-2] + s[-3] + s[-1] if len(s) > 8 else s,  # a slip near the end
    lambda s: "Synthetic " + s + " Annex",  # in no registry
)


def synthetic_names(con, count: int, seed: int = 11) -> list[tuple[str, str]]:
    rows = con.execute("SELECT name, state FROM views.agencies WHERE state IS NOT NULL ORDER BY agency_id").fetchall()
    rng = random.Random(seed)
    return [(rng.choice(REWRITES)(name), state) for name, state in (rng.choice(rows) for _ in range(count))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(paths.db_path()))
    parser.add_argument("--names", type=int, default=10_000)
    args, _ = parser.parse_known_args()  # bench/run.py passes every bench the same arguments (--scales ...)
    con = dbmod.connect(args.db, read_only=True)
    started = time.perf_counter()
    matcher, state_names = from_database(con)
    loaded = time.perf_counter() - started
    names = synthetic_names(con, args.names)
    con.close()
    started = time.perf_counter()
    results = matcher.match_many([(n, s, None, state_names.get(s)) for n, s in names])
    elapsed = time.perf_counter() - started
    statuses = {s: sum(r.status == s for r in results) for s in ("matched", "ambiguous", "unmatched")}
    print(
        f"| agency matching (synthetic names) | {args.names:,} names vs {len(matcher.agencies):,} agencies "
        f"| {args.names / elapsed:,.0f} names/s | index built in {loaded:.2f} s; {statuses} |"
    )


if __name__ == "__main__":
    main()
