"""SYNTHETIC data for the scale benchmarks: an agency registry and Atlas-format evidence rows.

Every row is invented (agencies are "Synthetic Town N Police Department", summaries start with
"SYNTHETIC"), every file name starts with SYNTHETIC_, and the registry marks each source as synthetic.
The files have the shape of the real raw inputs, so the real build reads them unchanged:

- SYNTHETIC_fbi_cde_agencies.csv: FBI Crime Data Explorer columns, 20,000 agencies over the real states;
- SYNTHETIC_atlas_N.csv: the current 28-column Atlas of Surveillance export, N face-recognition rows, each
  naming one vendor from our catalog and placed by its ORI (NEWAOSNUMBER), with one to three dated links;
- SYNTHETIC_sources.csv: a source registry with those two and the small real reference sources (Census
  places and counties, the vendor catalog, bans, records laws), which the build needs to place and name things.

Usage: python -m bench.synthetic --rows 10000 --out DIR [--build]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
from pathlib import Path

from ingest import paths, registry
from ingest.sources.atlas import COMMON, CURRENT_ONLY

AGENCIES = 20_000
ATLAS_HEADER = [
    "AOSNUMBER",
    "NEWAOSNUMBER (ORI9)",
    "City",
    "County",
    "State",
    "Agency",
    "Type of LEA",
    "Summary",
    "Type of Juris",
    "Technology",
    "TECH ABV",
    "Vendor",
    *(f"Link {n}{f}" for n in (1, 2, 3) for f in ("", " Snapshot", " Source", " Type", " Date")),
    "Other Links",
]
assert sorted(ATLAS_HEADER) == sorted((*COMMON, *CURRENT_ONLY))
FBI_HEADER = [
    "",
    "agency_name",
    "agency_type_name",
    "county_name",
    "division_name",
    "latitude",
    "longitude",
    "nibrs",
    "ori",
    "region_desc",
    "region_name",
    "state_abbr",
    "state_name",
]
STATES = {
    "AL": "Alabama",
    "AZ": "Arizona",
    "CA": "California",
    "CO": "Colorado",
    "FL": "Florida",
    "GA": "Georgia",
    "IL": "Illinois",
    "IN": "Indiana",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MO": "Missouri",
    "NC": "North Carolina",
    "NJ": "New Jersey",
    "NY": "New York",
    "OH": "Ohio",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "TX": "Texas",
    "WA": "Washington",
}
# Roughly the middle of each state (latitude, longitude): a SYNTHETIC agency is placed within about a degree of
# its state's, so that state maps (the public site's) draw it inside the state, and the national map draws them all.
CENTRES = {
    "AL": (32.8, -86.8),
    "AZ": (34.2, -111.6),
    "CA": (37.2, -119.5),
    "CO": (39.0, -105.5),
    "FL": (28.6, -82.4),
    "GA": (32.7, -83.4),
    "IL": (40.0, -89.2),
    "IN": (39.9, -86.3),
    "MA": (42.3, -71.8),
    "MI": (43.8, -84.7),
    "MN": (46.3, -94.3),
    "MO": (38.4, -92.5),
    "NC": (35.5, -79.4),
    "NJ": (40.1, -74.7),
    "NY": (42.9, -75.5),
    "OH": (40.3, -82.8),
    "OR": (43.9, -120.6),
    "PA": (40.9, -77.8),
    "TX": (31.5, -99.3),
    "WA": (47.4, -120.5),
}
# Real reference sources the build needs besides the synthetic ones (small; they add no evidence). Every real
# build has corrections too; without it, transforms that look it up scan every raw record's JSON for nothing.
REFERENCE_SOURCES = ("census_places", "census_counties", "catalog", "fr_bans_iff", "public_records_laws", "corrections")
SUMMARIES = (
    "SYNTHETIC record: {agency} purchased {vendor} facial recognition software under a contract.",
    "SYNTHETIC record: {agency} used {vendor} to identify suspects from images.",
    "SYNTHETIC record: {agency} ran a free trial of {vendor} in a pilot program.",
    "SYNTHETIC record: {agency} had access to {vendor} through a regional partnership.",
)


def ori(n: int) -> tuple[str, str]:
    state = list(STATES)[n % len(STATES)]
    return f"{state}S{n:06d}", state  # 9 characters, like a real ORI; "S" marks it synthetic


def write_registry(path: Path, rng: random.Random) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(FBI_HEADER)
        for n in range(AGENCIES):
            code, state = ori(n)
            kind = "City" if n % 5 else "County"
            name = (
                f"Synthetic Town {n} Police Department" if kind == "City" else f"Synthetic County {n} Sheriff's Office"
            )
            out.writerow(
                [
                    n,
                    name,
                    kind,
                    f"SYNTHETIC {n % 300} COUNTY",
                    "Synthetic",
                    f"{CENTRES[state][0] + rng.uniform(-1, 1):.5f}",
                    f"{CENTRES[state][1] + rng.uniform(-1.2, 1.2):.5f}",
                    "1.0",
                    code,
                    "Region S",
                    "Synthetic",
                    state,
                    STATES[state],
                ]
            )


def write_atlas(path: Path, rows: int, vendors: list[str], rng: random.Random) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, quoting=csv.QUOTE_ALL)
        out.writerow(ATLAS_HEADER)
        for n in range(rows):
            # Skewed like the real data: a few agencies carry many rows, most carry one or two.
            agency_n = int(AGENCIES * rng.random() ** 2)
            code, state = ori(agency_n)
            agency = (
                f"Synthetic Town {agency_n} Police Department"
                if agency_n % 5
                else f"Synthetic County {agency_n} Sheriff's Office"
            )
            vendor = rng.choice(vendors)
            links = []
            for k in range(rng.randint(1, 3)):
                links += [
                    f"https://synthetic.example/{n}/{k}",
                    "",
                    f"Synthetic Gazette {k}",
                    "News",
                    f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(2012, 2025)}",
                ]
            links += [""] * (15 - len(links))
            out.writerow(
                [
                    f"SYN{n:08d}",
                    f"{code}FRT",
                    f"Synthetic Town {agency_n}",
                    f"SYNTHETIC {agency_n % 300} COUNTY",
                    state,
                    agency,
                    "Police",
                    rng.choice(SUMMARIES).format(agency=agency, vendor=vendor),
                    "Municipal" if agency_n % 5 else "County",
                    "Face Recognition",
                    "FRT",
                    vendor,
                    *links,
                    "",
                ]
            )


def write_sources(folder: Path, atlas_name: str, rows: int) -> Path:
    real = {s.source_id: s for s in registry.load()}
    columns = registry.FIELDS + registry.LIVE_FIELDS
    synthetic = {
        "mode": "bundled",
        "url": "synthetic://bench",
        "license": "CC0 (synthetic)",
        "attribution": "bench/synthetic.py",
        "retrieved": "2026-01-01",
    }
    with open(folder / "SYNTHETIC_sources.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, columns, restval="")
        out.writeheader()
        out.writerow(
            {
                **synthetic,
                "source_id": "synthetic_registry",
                "platform": "fbi_cde",
                "name": "SYNTHETIC agency registry (20,000 invented agencies)",
                "files": "SYNTHETIC_fbi_cde_agencies.csv",
                "weight": "reference",
                "notes": "SYNTHETIC: benchmark data, not real agencies.",
            }
        )
        out.writerow(
            {
                **synthetic,
                "source_id": "synthetic_atlas",
                "platform": "atlas",
                "name": f"SYNTHETIC Atlas-format evidence ({rows:,} invented rows)",
                "files": atlas_name,
                "weight": "documented",
                "notes": "SYNTHETIC: benchmark data, not real evidence.",
            }
        )
        for source_id in REFERENCE_SOURCES:
            s = real[source_id]
            out.writerow({c: getattr(s, c) for c in columns} | {"files": ";".join(s.files)})
    for source_id in REFERENCE_SOURCES:
        for name in real[source_id].files:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(paths.DATA_DIR / name, folder / name)
    return folder / "SYNTHETIC_sources.csv"


def generate(rows: int, folder: Path, seed: int = 6) -> tuple[Path, Path]:
    """Write the SYNTHETIC files for `rows` evidence rows into `folder`; return (sources.csv, atlas csv)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with open(paths.DATA_DIR / "catalog" / "vendors.csv", newline="", encoding="utf-8") as fh:
        vendors = [r["name"] for r in csv.DictReader(fh)]
    write_registry(folder / "SYNTHETIC_fbi_cde_agencies.csv", rng)
    atlas = folder / f"SYNTHETIC_atlas_{rows}.csv"
    write_atlas(atlas, rows, vendors, rng)
    return write_sources(folder, atlas.name, rows), atlas


def use_own_state(folder: Path) -> None:
    """From here on, this (benchmark) process keeps its What's new history, feeds and run log in
    folder/SYNTHETIC_state, never in the real state folder: invented evidence must never reach the real history
    (4.3 million SYNTHETIC changes once did, and every build then read them). Every setting that names a state
    file points there."""
    state = folder / "SYNTHETIC_state"
    os.environ["WATCHDOG_STATE"] = str(state)
    os.environ["WATCHDOG_ARCHIVE"] = str(state / "archive")
    os.environ["WATCHDOG_RELEASES"] = str(state / "releases")
    os.environ["WATCHDOG_REQUESTS"] = str(state / "requests.json")
    os.environ["WATCHDOG_WATCHLISTS"] = str(state / "watchlists.json")


def build(rows: int, folder: Path) -> Path:
    """The SYNTHETIC files for `rows` evidence rows built by the real build into folder/SYNTHETIC_watchdog.duckdb."""
    from ingest import build as build_module

    sources_csv, _ = generate(rows, folder)
    # The build reads data/sources.csv; point it at the SYNTHETIC registry instead (this process only).
    real_load = registry.load
    registry.load = lambda path=None: real_load(sources_csv)
    db = folder / "SYNTHETIC_watchdog.duckdb"
    try:
        use_own_state(folder)
        build_module.build(db, data_dir=folder)
    finally:
        registry.load = real_load
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--build", action="store_true", help="also build them into OUT/SYNTHETIC_watchdog.duckdb")
    args = parser.parse_args()
    if args.build:
        print(f"SYNTHETIC database: {build(args.rows, Path(args.out))} ({args.rows:,} rows)")
        return
    sources, atlas = generate(args.rows, Path(args.out))
    print(f"SYNTHETIC data: {atlas} ({args.rows:,} rows), registry {sources}")


if __name__ == "__main__":
    main()
