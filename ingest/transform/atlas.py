"""Atlas of Surveillance face-recognition rows -> agencies, evidence and evidence links.

An Atlas row is placed on the FBI registry by ORI (current export) or by name and state
(2020 export). A row that cannot be placed keeps its own agency, marked unplaced: it is never
dropped and never pinned on a look-alike. Each vendor named in a row is one evidence row.

One Atlas record (one AOS number; "AOS0137" and "AOS000137" are the same number) can reach us from
several Atlas sources: the 2020 export, the bundled current excerpt and a live download. It becomes
evidence once, from the copy retrieved last (a live download before a bundled file retrieved the
same day); the other copies stay in raw as provenance.

The transform is the list of steps in run(). Each step takes the tables named in its docstring and gives
one: a temp table made in SQL (per-row work runs in DuckDB), or an Arrow table made in Python, where a rule
runs once per distinct value (an agency as the rows name it, a vendor field, a date as written, a summary
and its vendor) from its one implementation: rules/matching.py, rules/dates.py, rules/claims.py,
rules/redact.py. run() registers each Arrow table under its name so that the next steps' SQL reads it. Where the
distinct values are many (a million SYNTHETIC rows give some 740,000 summaries), each() hands them to one forked
process per core, each running the same rule over its share.

    atlas_rows      the face-recognition rows to read, one copy per Atlas record        (SQL)
    atlas_dates     each date as written -> the date it reads as                       (Python: rules/dates.py)
    atlas_links     each row's http(s) links, numbered, with their dates               (SQL)
    atlas_places    each agency as the rows name it -> the agency it is placed on       (Python: the matcher)
    atlas_vendors   each Vendor field -> the vendors it names, in order                (Python: the catalog)
    atlas_named     each (Vendor field, summary) -> the vendors only the summary names (Python: rules/claims.py)
    atlas_evidence  one row per record and vendor (field's or summary's), with its agency (SQL)
    atlas_kinds     each (summary, vendor) -> what the evidence says happened          (Python: rules/claims.py)
    atlas_shown     each summary -> the summary as shown, redacted                     (Python: rules/redact.py)
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import re
from collections.abc import Callable, Sequence

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ingest import raw
from ingest.sources.atlas import FACE_RECOGNITION, ori_from_newaosnumber, surrogate_id
from ingest.transform import atlas_layout, catalog
from rules import claims, dates
from rules.matching import Matcher
from rules.redact import redact

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY "
    "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split()
)
LINKS = (1, 2, 3)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


COLUMNS = {
    "aos": "AOSNUMBER",
    "newaos": "NEWAOSNUMBER (ORI9)",
    "agency": "Agency",
    "city": "City",
    "county": "County",
    "state": "State",
    "lea_type": "Type of LEA",
    "juris_type": "Type of Juris",
    "summary": "Summary",
    "vendor": "Vendor",
    "technology": "Technology",
    **{
        f"{part}{n}": f"Link {n}{suffix}"
        for n in LINKS
        for part, suffix in (
            ("link", ""),
            ("source", " Source"),
            ("type", " Type"),
            ("date", " Date"),
            ("snap", " Snapshot"),
        )
    },
}

TEMP_TABLES = ("atlas_rows", "atlas_links", "atlas_evidence")
ARROW_TABLES = ("atlas_dates", "atlas_places", "atlas_vendors", "atlas_named", "atlas_kinds", "atlas_shown")


def run(con: duckdb.DuckDBPyConnection, matcher: Matcher, state_names: dict[str, str]) -> None:
    """The Atlas's face-recognition rows into core.agencies, core.vendors, core.evidence, core.evidence_links
    and core.agency_aliases (bad rows into core.quarantine), step by step; see the module's docstring."""
    prepare(con)
    try:
        if not rows(con):
            return
        con.register("atlas_dates", read_dates(con))
        links(con)
        quarantine(con)
        con.register("atlas_places", place(con, matcher, state_names))
        con.register("atlas_vendors", vendors(con))
        con.register("atlas_named", named(con))
        evidence(con)
        con.register("atlas_kinds", kinds(con))
        con.register("atlas_shown", summaries(con))
        insert_agencies(con)
        insert_vendors(con)
        insert_evidence(con)
        insert_disagreements(con)
        insert_links(con)
        insert_aliases(con)
    finally:
        clean_up(con)


# At a million rows the rules read some 740,000 distinct summaries, most of the build's time on one core: from this
# many values on, they are read by one forked process per core. Fewer are read here: a fork costs more than it saves.
SPLIT_FROM = 50_000
PROCESSES: int | None = None  # how many processes read them; None: one per core this process may use
# The rule and the values being split: forked processes inherit them, so nothing is pickled on the way in.
_split: tuple[Callable, Sequence] | None = None


def each(rule: Callable, values: Sequence) -> list:
    """[rule(v) for v in values]: the one rule, run on every core when the values are many; the same answers in the
    same order either way."""
    global _split
    processes = PROCESSES or len(os.sched_getaffinity(0))
    if processes < 2 or len(values) < SPLIT_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return [rule(v) for v in values]
    step = -(-len(values) // (processes * 4))  # a few parts per process: one slow part does not hold up the rest
    parts = [(start, min(start + step, len(values))) for start in range(0, len(values), step)]
    _split = (rule, values)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            answers = pool.map(_run_part, parts, chunksize=1)
    finally:
        _split = None
    return [a for part in answers for a in part]


def _run_part(bounds: tuple[int, int]) -> list:
    rule, values = _split
    return [rule(v) for v in values[bounds[0] : bounds[1]]]


def clean_up(con: duckdb.DuckDBPyConnection) -> None:
    """The transform's tables go whether it succeeds or fails."""
    for name in TEMP_TABLES:
        con.execute("DROP TABLE IF EXISTS " + name)
    for name in ARROW_TABLES:
        con.unregister(name)


@functools.cache
def _edge_space() -> str:
    """A pattern for Arrow's regex engine: a text that starts or ends with a character str.strip removes (every
    str.isspace character). A text that does not is its own strip, and most are: a million rows give some 13
    million texts to strip, which Python then never sees."""
    space = "[" + "".join(f"\\x{{{c:x}}}" for c in range(0x110000) if chr(c).isspace()) + "]"
    return "^" + space + "|" + space + "$"


def _strip(values: pa.Array) -> pa.Array:
    if not pc.any(pc.match_substring_regex(values, _edge_space())).as_py():
        return values
    return pa.array([None if v is None else v.strip() for v in values.to_pylist()], pa.string())


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """atlas_strip(x): Python's own str.strip, so that text is trimmed exactly as the rest of the code trims it."""
    try:
        con.remove_function("atlas_strip")
    except duckdb.InvalidInputException:  # not registered on this connection yet
        pass
    con.create_function(
        "atlas_strip", _strip, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"), type="arrow", side_effects=False
    )


# Every raw record of every Atlas source, and of the EFF datasets in other layouts restated in its columns
# (atlas_layout.py), its columns renamed as in COLUMNS (a column a file lacks reads as NULL: the 2020 export
# has no NEWAOSNUMBER).
RECORDS = (
    "SELECT record_id, source_id, raw_file_id, row_number, "
    + ", ".join(f'j."{column}" AS {name}' for name, column in COLUMNS.items())
    + " FROM (SELECT record_id, source_id, raw_file_id, row_number, json_transform(record, $shape) AS j "
    "      FROM (SELECT record_id, source_id, raw_file_id, row_number, record FROM raw.records "
    "            WHERE list_contains($atlas, source_id) "
    "            UNION ALL SELECT record_id, source_id, raw_file_id, row_number, record FROM {layout}))"
)
# One Atlas record, however its AOS number is written ("AOS0137", " aos000137 "); no number, no twin.
AOS_KEY = """CASE WHEN regexp_full_match(upper(atlas_strip(r.aos)), 'AOS0*[0-9]+')
                  THEN 'AOS' || regexp_extract(upper(atlas_strip(r.aos)), '^AOS0*([0-9]+)$', 1)
                  ELSE coalesce(NULLIF(upper(atlas_strip(r.aos)), ''), 'record ' || r.record_id) END"""
# Of all copies of one record, the one retrieved last; a live download before a bundled file of the same day. The
# window sorts record ids only, and the records it keeps are then read whole: a million whole rows took a third
# longer to sort than to read twice.
NEWEST = (
    "SELECT r.record_id FROM records r LEFT JOIN meta.sources s USING (source_id) "
    "LEFT JOIN meta.raw_files f ON f.raw_file_id = r.raw_file_id "
    "QUALIFY row_number() OVER (PARTITION BY "
    + AOS_KEY
    + " ORDER BY coalesce(try_cast(f.fetched_at AS TIMESTAMP), try_cast(left(f.fetched_at, 10) AS DATE)::TIMESTAMP)"
    " DESC NULLS LAST, s.mode = 'live' DESC, r.record_id DESC) = 1"
)


def rows(con: duckdb.DuckDBPyConnection) -> int:
    """Takes raw.records; gives atlas_rows: the face-recognition rows to read, one copy per Atlas record,
    agency, place and state trimmed. Returns how many."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE atlas_rows AS "
        "WITH records AS MATERIALIZED (" + RECORDS.format(layout=atlas_layout.ensure(con)) + "), "
        "newest AS (SELECT * FROM records WHERE record_id IN (" + NEWEST + ")) "
        """SELECT record_id, source_id, raw_file_id, row_number,
                  trim(agency) AS agency, trim(city) AS city, trim(county) AS county, upper(trim(state)) AS state,
                  * EXCLUDE (record_id, source_id, raw_file_id, row_number, agency, city, county, state, technology)
           FROM newest WHERE technology = $fr""",
        {
            "shape": json.dumps({column: "VARCHAR" for column in COLUMNS.values()}),
            "atlas": raw.platform_sources(con, "atlas"),
            "fr": FACE_RECOGNITION,
        },
    )
    return con.execute("SELECT count(*) FROM atlas_rows").fetchone()[0]


# The links SQL, written out once from the fixed LINKS (column names only: no value is ever pasted in).
LINK_DATES = "[" + ", ".join(f"date{n}" for n in LINKS) + "]"


def read_dates(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Takes atlas_rows; gives atlas_dates: every date a row gives (an http(s) link's or not), each distinct
    text read once by rules/dates.py."""
    texts = [
        t
        for (t,) in con.execute(
            "SELECT DISTINCT t FROM (SELECT unnest(" + LINK_DATES + ") AS t FROM atlas_rows) WHERE t IS NOT NULL"
        ).fetchall()
    ]
    parsed = [dates.parse(t) for t in texts]
    return arrow(
        {
            "date_text": (texts, pa.string()),
            "link_date": ([d for d, _ in parsed], pa.date32()),
            "date_precision": ([p for _, p in parsed], pa.string()),
        }
    )


# Names and types as shown, stripped ("Government document " would print as "Government document , 2018").
LINK_STRUCTS = (
    "["
    + ", ".join(
        f"{{'n': {n}, 'url': atlas_strip(coalesce(r.link{n}, '')), 'source_name': NULLIF(atlas_strip(r.source{n}), ''), "
        f"'link_type': NULLIF(atlas_strip(r.type{n}), ''), 'date_text': r.date{n}, 'link_date': d{n}.link_date, "
        f"'date_precision': d{n}.date_precision, 'snapshot_url': NULLIF(r.snap{n}, '')}}"
        for n in LINKS
    )
    + "]"
)
LINK_DATE_JOINS = " ".join(f"LEFT JOIN atlas_dates d{n} ON d{n}.date_text = r.date{n}" for n in LINKS)


def links(con: duckdb.DuckDBPyConnection) -> None:
    """Takes atlas_rows and atlas_dates; gives atlas_links: each row's http(s) links, numbered by position
    once javascript:, data: and empty links are dropped, with their dates."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE atlas_links AS
           SELECT record_id, l.n, l.url, l.source_name, l.link_type, l.date_text, l.link_date, l.date_precision,
                  l.snapshot_url, link_number
           FROM (SELECT record_id, unnest(links) AS l, generate_subscripts(links, 1) AS link_number
                 FROM (SELECT r.record_id, list_filter("""
        + LINK_STRUCTS
        + """, lambda l: starts_with(lower(l.url), 'http://') OR starts_with(lower(l.url), 'https://')) AS links
                       FROM atlas_rows r """
        + LINK_DATE_JOINS
        + "))"
    )


def quarantine(con: duckdb.DuckDBPyConnection) -> None:
    """Takes atlas_rows and atlas_links; marks each row valid or not (atlas_rows.valid). Rows without an
    agency, a US state or a link are kept in core.quarantine with the reason, not read."""
    con.execute("ALTER TABLE atlas_rows ADD COLUMN valid BOOLEAN")
    con.execute(
        """UPDATE atlas_rows SET valid = coalesce(agency, '') <> '' AND coalesce(list_contains($states, state), false)
                                          AND record_id IN (SELECT record_id FROM atlas_links)""",
        {"states": sorted(US_STATES)},
    )
    bad = con.execute(
        """SELECT r.source_id, r.raw_file_id, r.row_number, r.record_id, r.agency, r.state,
                  r.record_id IN (SELECT record_id FROM atlas_links)
           FROM atlas_rows r WHERE NOT r.valid ORDER BY r.record_id"""
    ).fetchall()
    if not bad:
        return
    # The record's text for these rows only: raw.records works out a CSV row's JSON as it is read.
    texts = dict(
        con.execute(
            "SELECT record_id, record::VARCHAR FROM raw.records WHERE list_contains($ids, record_id)",
            {"ids": [b[3] for b in bad]},
        ).fetchall()
    )
    con.executemany(
        "INSERT INTO core.quarantine VALUES (?, ?, ?, ?, ?, ?)",
        [
            (source_id, file_id, number, record_id, problem(agency, state, linked), texts.get(record_id))
            for source_id, file_id, number, record_id, agency, state, linked in bad
        ],
    )


def problem(agency: str | None, state: str | None, linked: bool) -> str:
    if not agency:
        return "no agency name"
    if state not in US_STATES:
        return f"state {state!r} is not a US state or territory code"
    if not linked:
        return "no http(s) source link: a claim without a citation is not evidence"
    raise AssertionError(f"no problem with {agency!r} in {state!r}: SQL and Python disagree")


def place(con: duckdb.DuckDBPyConnection, matcher: Matcher, state_names: dict[str, str]) -> pa.Table:
    """Takes the valid atlas_rows, the registry (core.agencies) and the build's matcher; gives atlas_places:
    for each distinct agency as the rows give it, the registry agency (by ORI, else by name and state) or its own."""
    found = con.execute("""SELECT DISTINCT newaos, agency, state, city FROM atlas_rows WHERE valid
                           ORDER BY ALL""").fetchall()
    registry_oris = {
        r[0] for r in con.execute("SELECT agency_id FROM core.agencies WHERE registry = 'fbi_cde'").fetchall()
    }
    by_name = [f for f in found if not f[0]]
    matches = {}
    if by_name:
        results = matcher.match_many(
            [(agency, state, city, state_names.get(state)) for _, agency, state, city in by_name]
        )
        matches = dict(zip(by_name, results))
    out = {k: [] for k in ("newaos", "agency", "state", "city", "agency_id", "method", "score", "note", "new_ori")}
    for key in found:
        newaos, agency, state, city = key
        agency_id, method, score, note = resolve_agency(newaos, state, matches.get(key), registry_oris)
        new_ori = None
        if agency_id is None:
            agency_id = (
                "aos-" + (surrogate_id(newaos) or ori_from_newaosnumber(newaos) or f"{state}-{slug(agency)}").lower()
            )
            new_ori = ori_from_newaosnumber(newaos) if newaos else None
        for column, value in zip(out, (*key, agency_id, method, score, note, new_ori)):
            out[column].append(value)
    return arrow({c: (v, pa.float64() if c == "score" else pa.string()) for c, v in out.items()})


# A row's place: atlas_places is keyed by the agency as the rows give it (one row per distinct key, so small).
PLACE_OF_ROW = """p.newaos IS NOT DISTINCT FROM r.newaos AND p.agency = r.agency AND p.state = r.state
                  AND p.city IS NOT DISTINCT FROM r.city"""


def resolve_agency(
    newaos: str | None, state: str | None, found, registry_oris: set[str]
) -> tuple[str | None, str, float | None, str]:
    """Return (registry agency_id or None, method, score, note) from the ORI or the name match."""
    ori = ori_from_newaosnumber(newaos) if newaos else None
    if ori and ori in registry_oris:
        return ori, "ori", 100.0, f"ORI {ori} from NEWAOSNUMBER"
    if newaos:
        return (
            None,
            "unplaced",
            None,
            (f"ORI {ori} is not in the 2018 FBI list" if ori else f"Atlas surrogate {newaos}: no ORI"),
        )
    if found.status == "matched":
        return found.agency_id, found.method, found.score, f"{found.method} match in {state}"
    if found.status == "ambiguous":
        return None, "unplaced", None, "ambiguous: " + "; ".join(found.candidates)
    return None, "unplaced", None, "no registry agency with this name in the state"


def vendors(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Takes the valid atlas_rows and the catalog; gives atlas_vendors: each distinct Vendor field -> its
    vendors in order (one row per vendor: a name repeated in one field, or two names of one vendor, is one
    piece of evidence), a vendor the catalog lacks under an id of its own, marked unlisted."""
    lookup = catalog.vendor_lookup(con)
    fields = [v for (v,) in con.execute("SELECT DISTINCT vendor FROM atlas_rows WHERE valid").fetchall()]
    out = {k: [] for k in ("vendor", "pos", "label", "vendor_id", "unlisted")}
    for field in fields:
        seen = set()
        for pos, label in enumerate(_vendor_labels(field), start=1):
            vendor_id = lookup.get(label.lower()) if label else None
            unlisted = bool(label) and vendor_id is None
            if unlisted:
                vendor_id = "unlisted-" + slug(label)
            if vendor_id in seen:
                continue
            seen.add(vendor_id)
            for column, value in zip(out, (field, pos, label, vendor_id, unlisted)):
                out[column].append(value)
    return arrow(
        {
            "vendor": (out["vendor"], pa.string()),
            "pos": (out["pos"], pa.int32()),
            "label": (out["label"], pa.string()),
            "vendor_id": (out["vendor_id"], pa.string()),
            "unlisted": (out["unlisted"], pa.bool_()),
        }
    )


def _vendor_labels(vendor: str | None) -> list[str | None]:
    labels = [v.strip() for v in (vendor or "").split(",") if v.strip()]
    return labels or [None]


# A vendor only the summary names comes after the Vendor field's own (its position in atlas_evidence).
SUMMARY_POSITIONS = 100


def named(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Takes the valid atlas_rows, atlas_vendors and core.vendors; gives atlas_named: for each distinct Vendor
    field and summary, the catalog vendors the summary names and the field does not (rules/claims.py
    summary_vendors), in order of mention: "the product is the one the text names"."""
    names = _vendor_names(con)
    every_name = claims.VendorNames(names)
    field_of = {}
    for field, vendor_id in con.execute("SELECT vendor, vendor_id FROM atlas_vendors ORDER BY vendor, pos").fetchall():
        field_of.setdefault(field, []).append(vendor_id)
    out = {k: [] for k in ("vendor", "summary", "pos", "label", "vendor_id")}
    pairs = con.execute(
        "SELECT DISTINCT vendor, summary FROM atlas_rows WHERE valid AND summary IS NOT NULL"
    ).fetchall()
    found_in = each(lambda pair: claims.summary_vendors(pair[1], field_of.get(pair[0], []), every_name), pairs)
    for (field, summary), found in zip(pairs, found_in):
        for pos, vendor_id in enumerate(found, start=SUMMARY_POSITIONS):
            for column, value in zip(out, (field, summary, pos, names[vendor_id][0], vendor_id)):
                out[column].append(value)
    return arrow(
        {
            "vendor": (out["vendor"], pa.string()),
            "summary": (out["summary"], pa.string()),
            "pos": (out["pos"], pa.int32()),
            "label": (out["label"], pa.string()),
            "vendor_id": (out["vendor_id"], pa.string()),
        }
    )


def evidence(con: duckdb.DuckDBPyConnection) -> None:
    """Takes the valid atlas_rows, atlas_vendors, atlas_named and atlas_places; gives atlas_evidence: one row per
    record and vendor, the Vendor field's and those only the summary names, carrying what its record says of it
    (source, AOS number, Vendor field, summary) and its agency."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE atlas_evidence AS
           SELECT r.record_id, v.pos, v.label, v.vendor_id, v.unlisted, 'vendor field' AS named_in,
                  r.vendor AS vendor_field, r.summary, r.source_id, r.aos, p.agency_id, p.method, p.score, p.note
           FROM atlas_rows r JOIN atlas_vendors v ON v.vendor IS NOT DISTINCT FROM r.vendor
           JOIN atlas_places p ON """
        + PLACE_OF_ROW
        + """ WHERE r.valid
           UNION ALL
           SELECT r.record_id, n.pos, n.label, n.vendor_id, false, 'summary',
                  r.vendor, r.summary, r.source_id, r.aos, p.agency_id, p.method, p.score, p.note
           FROM atlas_rows r JOIN atlas_named n ON n.vendor IS NOT DISTINCT FROM r.vendor AND n.summary = r.summary
           JOIN atlas_places p ON """
        + PLACE_OF_ROW
        + " WHERE r.valid"
    )


def _vendor_names(con) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for vendor_id, name, aliases in con.execute(
        "SELECT vendor_id, name, aliases FROM core.vendors ORDER BY vendor_id"
    ).fetchall():
        out[vendor_id] = [name, *(aliases or [])]
    return out


def kinds(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Takes atlas_evidence and core.vendors; gives atlas_kinds: what each piece of evidence says happened
    (summary, vendor_id, label -> kind, why).

    The rule is `rules.claims.kind_from_summary`, run once per distinct (summary, vendor) pair: many rows
    repeat a summary (one row per vendor named, and sources that reuse a sentence). A vendor not in the
    catalog is judged by its own label."""
    names = _vendor_names(con)
    others_of = {vendor_id: [n for v, ns in names.items() if v != vendor_id for n in ns] for vendor_id in names}
    every_name = [n for ns in names.values() for n in ns]
    pairs = con.execute("SELECT DISTINCT summary, vendor_id, label FROM atlas_evidence").fetchall()
    judged = each(
        lambda pair: claims.kind_from_summary(
            pair[0], names.get(pair[1], [pair[2]] if pair[2] else []), others_of.get(pair[1], every_name)
        ),
        pairs,
    )
    return arrow(
        {
            "summary": ([p[0] for p in pairs], pa.string()),
            "vendor_id": ([p[1] for p in pairs], pa.string()),
            "label": ([p[2] for p in pairs], pa.string()),
            "kind": ([k for k, _ in judged], pa.string()),
            "why": ([w for _, w in judged], pa.string()),
        }
    )


def summaries(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Takes atlas_evidence; gives atlas_shown: each distinct summary as shown, stripped and with personal
    data redacted (rules/redact.py)."""
    texts = [t for (t,) in con.execute("SELECT DISTINCT summary FROM atlas_evidence").fetchall()]
    return arrow(
        {
            "summary": (texts, pa.string()),
            "shown": (each(lambda t: redact((t or "").strip()) or None, texts), pa.string()),
        }
    )


def insert_agencies(con: duckdb.DuckDBPyConnection) -> None:
    """Takes the valid atlas_rows and atlas_places; gives core.agencies a row for each agency left unplaced,
    described by the first row naming it and located at the Census point of its city (or county): a
    position, not an identity."""
    con.execute(
        """
        INSERT INTO core.agencies
        SELECT n.agency_id, n.ori, n.name, n.agency_type, n.city, n.county, n.state,
               coalesce(p.latitude, c.latitude), coalesce(p.longitude, c.longitude),
               CASE WHEN p.latitude IS NOT NULL THEN 'census_place'
                    WHEN c.latitude IS NOT NULL THEN 'census_county' END,
               'atlas', n.raw_record_id
        FROM (SELECT p.agency_id, arg_min(p.new_ori, r.record_id) AS ori, arg_min(r.agency, r.record_id) AS name,
                     arg_min(CASE WHEN coalesce(r.juris_type, '') <> '' THEN r.juris_type ELSE r.lea_type END,
                             r.record_id) AS agency_type,
                     arg_min(NULLIF(r.city, ''), r.record_id) AS city, arg_min(NULLIF(r.county, ''), r.record_id) AS county,
                     arg_min(r.state, r.record_id) AS state, min(r.record_id) AS raw_record_id
              FROM atlas_rows r JOIN atlas_places p ON """
        + PLACE_OF_ROW
        + """
              WHERE r.valid AND p.method = 'unplaced' GROUP BY p.agency_id) n
        LEFT JOIN (SELECT * FROM core.places WHERE kind = 'place'
                   QUALIFY row_number() OVER (PARTITION BY state, lower(name) ORDER BY full_name LIKE '% CDP', geoid) = 1) p
               ON p.state = n.state AND lower(p.name) = lower(n.city)
        LEFT JOIN (SELECT * FROM core.places WHERE kind = 'county'
                   QUALIFY row_number() OVER (PARTITION BY state, lower(name) ORDER BY geoid) = 1) c
               ON c.state = n.state AND lower(c.name) = lower(n.county)
        ORDER BY n.raw_record_id
        """
    )


def insert_vendors(con: duckdb.DuckDBPyConnection) -> None:
    """Takes atlas_evidence and atlas_links; gives core.vendors a row for each vendor the catalog lacks, named
    as the first row names it, with that row's first link as its homepage."""
    con.execute(
        """
        INSERT INTO core.vendors
        SELECT e.vendor_id, arg_min(e.label, (e.record_id, e.pos)), [arg_min(e.label, (e.record_id, e.pos))], NULL,
               arg_min(l.url, (e.record_id, e.pos)), NULL, false,
               'Named by the Atlas of Surveillance; not in our catalog yet.'
        FROM atlas_evidence e JOIN atlas_links l ON l.record_id = e.record_id AND l.link_number = 1
        WHERE e.unlisted
        GROUP BY e.vendor_id
        ORDER BY min((e.record_id, e.pos))
        """
    )


# An evidence row's id: its source, its AOS number and its vendor (columns of atlas_evidence e).
EVIDENCE_ID = "e.source_id || ':' || coalesce(e.aos, 'None') || ':' || coalesce(e.vendor_id, 'unnamed')"
# What each record cites: the link its date comes from (the least date, then the first such link), so that
# a date is never shown beside a source that does not give it; a record with no dated link cites its first.
CITED = """SELECT record_id,
                  arg_min(url, (link_date IS NULL, coalesce(link_date, DATE '0001-01-01'), link_number)) AS url,
                  arg_min(source_name, (link_date IS NULL, coalesce(link_date, DATE '0001-01-01'), link_number))
                      AS source_name,
                  CASE WHEN count(link_date) > 0
                       THEN arg_min({'link_date': link_date, 'date_precision': date_precision},
                                    (link_date, link_number)) FILTER (WHERE link_date IS NOT NULL) END AS dated
           FROM atlas_links GROUP BY record_id"""


def insert_evidence(con: duckdb.DuckDBPyConnection) -> None:
    """Takes atlas_evidence, atlas_kinds, atlas_shown and atlas_links; gives core.evidence: one row per
    record and vendor, with its kind, the summary as shown, the link it cites and that link's date."""
    con.execute(
        """
        INSERT INTO core.evidence
        SELECT """
        + EVIDENCE_ID
        + """, e.agency_id, e.method, e.score, e.vendor_id, single.product_id,
               k.kind, k.why || ' [agency: ' || e.note || ']', c.dated.link_date, c.dated.date_precision, NULL,
               s.shown, e.source_id, c.source_name, c.url, e.record_id
        FROM atlas_evidence e
        JOIN atlas_kinds k ON k.summary IS NOT DISTINCT FROM e.summary AND k.vendor_id IS NOT DISTINCT FROM e.vendor_id
                          AND k.label IS NOT DISTINCT FROM e.label
        JOIN atlas_shown s ON s.summary IS NOT DISTINCT FROM e.summary
        JOIN ("""
        + CITED
        + """) c ON c.record_id = e.record_id
        LEFT JOIN (SELECT vendor_id, any_value(product_id) AS product_id FROM core.products
                   GROUP BY 1 HAVING count(*) = 1) single ON single.vendor_id = e.vendor_id
        ORDER BY e.record_id, e.pos
        """
    )


def insert_disagreements(con: duckdb.DuckDBPyConnection) -> None:
    """Takes atlas_evidence and atlas_kinds; gives core.vendor_disagreements: each record whose summary names a
    vendor its Vendor field does not, or never names the field's vendor while naming another."""
    con.execute(
        """
        INSERT INTO core.vendor_disagreements
        SELECT e.record_id, any_value(e.source_id), any_value(e.vendor_field),
               coalesce(list(e.vendor_id ORDER BY e.pos) FILTER (WHERE e.named_in = 'vendor field'), []),
               coalesce(list(e.vendor_id ORDER BY e.pos) FILTER (WHERE e.named_in = 'summary'), []),
               coalesce(list(e.vendor_id ORDER BY e.pos) FILTER (WHERE k.why = $other_word), [])
        FROM atlas_evidence e
        JOIN atlas_kinds k ON k.summary IS NOT DISTINCT FROM e.summary AND k.vendor_id IS NOT DISTINCT FROM e.vendor_id
                          AND k.label IS NOT DISTINCT FROM e.label
        GROUP BY e.record_id
        HAVING bool_or(e.named_in = 'summary') OR bool_or(k.why = $other_word)
        ORDER BY e.record_id
        """,
        {"other_word": claims.OTHER_WORD},
    )


def insert_links(con: duckdb.DuckDBPyConnection) -> None:
    """Takes atlas_evidence and atlas_links; gives core.evidence_links: every link of every evidence row."""
    con.execute(
        """
        INSERT INTO core.evidence_links
        SELECT """
        + EVIDENCE_ID
        + """, l.link_number, l.url, l.source_name, l.link_type, l.link_date, l.snapshot_url
        FROM atlas_evidence e JOIN atlas_links l ON l.record_id = e.record_id
        ORDER BY e.record_id, e.pos, l.link_number
        """
    )


def insert_aliases(con: duckdb.DuckDBPyConnection) -> None:
    """Takes core.evidence and atlas_rows; gives core.agency_aliases the name a source used for an agency
    it was placed on, when it differs from the registry's: an alias the matcher can use next time."""
    con.execute(
        """
        INSERT INTO core.agency_aliases
        SELECT DISTINCT e.agency_id, r.agency, e.source_id, e.source_url, min(e.raw_record_id)
        FROM core.evidence e JOIN atlas_rows r ON r.record_id = e.raw_record_id JOIN core.agencies a USING (agency_id)
        WHERE a.registry = 'fbi_cde' AND lower(r.agency) <> lower(a.name)
        GROUP BY ALL
        """
    )


def arrow(columns: dict[str, tuple[list, pa.DataType]]) -> pa.Table:
    """An Arrow table from Python lists, with the types given (never guessed from the values)."""
    return pa.table({c: pa.array(values, type=kind) for c, (values, kind) in columns.items()})
