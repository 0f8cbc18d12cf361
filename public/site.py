"""Bake the public site from the current database: `python -m ingest site --out DIR`.

    DIR/index.html                  the national map, the headline, the states
    DIR/state/<ST>.html             a state: its map, agencies with evidence, cities and counties, policies
    DIR/place/<ST>/<slug>.html      every city and county with a registry agency (slug: render.place_slug), listing
                                    the agencies that serve it by the Place page's rule (dashboard/lookup.py
                                    `serving`): its own, its county's, the statewide ones, under those headings
    DIR/agency/<agency_id>.html     every agency with evidence, research or a records request
    DIR/search.html                 search that works from disk: search.js over search-index.js (and .json)
    DIR/downloads/                  claims.csv (every claim with its citations), claims-<ST>.csv, evidence-<ST>.csv
    DIR/site.css                    the one stylesheet

Everything a page loads is in DIR: no CDN, no font or map tiles from elsewhere, and the core pages need no
script. The data comes from the query layer in a few whole-table queries (and one per state for the evidence),
grouped here in Python; the pages are rendered by public/render.py, the same HTML the dashboard shows.

The site is baked into a folder beside DIR and swapped in whole, so a reader (or a static host syncing DIR)
never sees half a site; an existing DIR is replaced only if it is empty or a site baked here before.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from public import render
from public.render import Links, place_slug, records, text
from rules.links import http_url

MARKER = ".whos-watching-site"  # says "a baked site": only such a folder (or an empty one) is ever replaced
NO_STATE = "national"


class NotASite(ValueError):
    """The output folder holds something else: it is never overwritten."""


class NotAWebAddress(ValueError):
    """The dashboard's address, which every page links to, is not an http(s) URL."""


@dataclass
class Baked:
    folder: Path
    pages: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    bytes: int = 0

    def summary(self) -> str:
        pages = ", ".join(f"{n:,} {kind}" for kind, n in self.pages.items())
        return f"Baked {sum(self.pages.values()):,} pages ({pages}) into {self.folder}: {self.bytes / 1e6:,.1f} MB in {self.seconds:.1f} s."


# ------------------------------------------------------------------------------------------ the whole bake


def bake(out: Path, dashboard: str | None = None) -> Baked:
    """Bake the site into `out`, replacing a site baked there before; return what was written."""
    started = time.monotonic()
    out = Path(out).resolve()
    check_target(out)
    links = Links(dashboard=dashboard) if dashboard else Links()
    if not http_url(links.dashboard):
        raise NotAWebAddress(
            f"The dashboard's address {links.dashboard[:200]!r} is not an http(s) URL: nothing was written. Give one "
            "with --dashboard or WATCHDOG_DASHBOARD_URL, e.g. https://dashboard.example.org."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / f".{out.name}.baking-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        baked = Baker(work, links).run()
        (work / MARKER).write_text("Baked by python -m ingest site; replaced whole at the next bake.\n")
        swap(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    baked.folder = out
    baked.seconds = time.monotonic() - started
    baked.bytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return baked


def check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise NotASite(f"{out} is a file, not a folder: choose a folder for the site.")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise NotASite(
            f"{out} already holds files that are not a site baked here: nothing was written. "
            "Choose an empty or new folder (a baked site is replaced whole at the next bake)."
        )


def swap(work: Path, out: Path) -> None:
    """Put the new site in place: the old one is moved aside, then removed (two renames on one file system)."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(work, out)
    shutil.rmtree(old, ignore_errors=True)


def database_stamp() -> str:
    from ingest import settings

    path = settings.db_path()
    try:
        return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(path.stat().st_mtime))
    except OSError:
        return ""


# ------------------------------------------------------------------------------------------------ places


@dataclass
class Place:
    level: str  # city or county
    state: str
    name: str
    slug: str
    agencies: list[dict] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)


def places_of(agencies: list[dict]) -> dict[tuple[str, str], Place]:
    """Every city and county of the registry, by (state, slug). Names that differ only in case or
    punctuation ("ST LOUIS", "St. Louis") share one page; a county whose slug is a city's gets '-county'."""
    found: dict[tuple[str, str, str], Place] = {}
    for agency in agencies:
        state = text(agency.get("state"))
        if not state:
            continue
        for level in ("city", "county"):
            name = " ".join(text(agency.get(level)).split())
            if not name:
                continue
            slug = place_slug(name)
            place = found.setdefault((state, level, slug), Place(level, state, name, slug))
            place.agencies.append(agency)
            place.aliases.add(name)
    cities = {(state, slug) for state, level, slug in found if level == "city"}
    pages: dict[tuple[str, str], Place] = {}
    for (state, level, slug), place in sorted(found.items()):
        if level == "county" and (state, slug) in cities:
            place.slug = f"{slug}-county"
        # The most common spelling names the page; the others are said as "also written".
        place.name = render.common_spelling(" ".join(text(a.get(level)).split()) for a in place.agencies)
        if (state, place.slug) in pages:  # "Foo County" as a county and "Foo" given '-county': one page
            pages[(state, place.slug)].agencies.extend(place.agencies)
            pages[(state, place.slug)].aliases |= place.aliases
        else:
            pages[(state, place.slug)] = place
    return pages


# ------------------------------------------------------------------------------------------------ the baker


def group(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def has_page(agency: dict) -> bool:
    """An agency gets its own page when there is something to show: evidence, research, a records request."""
    researched = text(agency.get("research_status")) not in ("", "not researched")
    return bool(agency.get("status")) or researched or bool(agency.get("records_requests"))


class Baker:
    def __init__(self, folder: Path, links: Links):
        self.folder = folder
        self.links = links
        self.built = database_stamp()
        self.counts: dict[str, int] = defaultdict(int)
        self.made: set[Path] = set()

    # -- writing

    def write(self, relative: str, content: str | bytes) -> None:
        path = self.folder / relative
        if path.parent not in self.made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(path.parent)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    def at(self, depth: int) -> Links:
        return self.links.deeper(depth)

    # -- the run

    def run(self) -> Baked:
        from dashboard import lookup, queries
        from dashboard.exports import to_csv
        from rules import documented

        agencies = render.agency_rows(queries.site_agencies())
        # Who serves each place: the lookup's one rule, its names read once for the whole bake
        self.gazetteer = lookup.gazetteer(queries.query)
        self.by_id = {a["agency_id"]: a for a in agencies}
        by_state = group(agencies, "state")
        claims_frame = queries.site_claims()
        claims = group([render.claim_view(c) for c in records(claims_frame)], "agency_id")
        requests = group(records(queries.site_requests()), "agency_id")
        corrections = group(records(queries.site_corrections()), "agency_id")
        disagreements = group(records(queries.site_vendor_disagreements()), "agency_id")
        shared: dict[str, list[dict]] = defaultdict(list)
        for doc in records(queries.site_shared_documents(documented.MANY_ROWS)):
            doc["system"] = documented.named_system(list(doc.pop("summaries")))
            for agency_id in doc.pop("agency_ids"):
                shared[agency_id].append(doc)
        policies = group(records(queries.policies()), "state")
        places = places_of(agencies)
        pages = {a["agency_id"] for a in agencies if has_page(a)}
        place_of: dict[tuple[str, str, str], str] = {}
        for place in places.values():
            for name in place.aliases:
                place_of[(place.state, place.level, name.lower())] = place.slug

        downloads = [("Every claim with its citations (CSV)", "downloads/claims.csv")]
        self.write("downloads/claims.csv", to_csv(claims_frame))
        states = []
        for state in sorted(by_state, key=lambda s: (s is None, s or "")):
            rows = by_state[state]
            code = state or NO_STATE
            evidence_frame = queries.site_evidence(state)
            evidence = group(records(evidence_frame), "agency_id")
            links = group(records(queries.site_evidence_links(state)), "evidence_id")
            flags = group(records(queries.site_flags(state)), "agency_id")
            state_downloads = []
            if len(evidence_frame):
                self.write(f"downloads/evidence-{code}.csv", to_csv(evidence_frame))
                state_claims = claims_frame[
                    claims_frame["state"].isna() if state is None else claims_frame["state"] == state
                ]
                self.write(f"downloads/claims-{code}.csv", to_csv(state_claims))
                state_downloads = [
                    (f"Claims in {code} with their citations (CSV)", f"downloads/claims-{code}.csv"),
                    (f"Evidence in {code} with its provenance (CSV)", f"downloads/evidence-{code}.csv"),
                ]
                downloads += state_downloads
            for agency in rows:
                if agency["agency_id"] not in pages:
                    continue
                own = evidence.get(agency["agency_id"], [])
                own_links = [k for e in own[: render.MAX_EVIDENCE_SHOWN] for k in links.get(e["evidence_id"], [])]
                place_pages = {
                    level: place_of.get((text(state), level, " ".join(text(agency.get(level)).split()).lower()))
                    for level in ("city", "county")
                }
                context = render.agency_context(
                    agency,
                    claims.get(agency["agency_id"], []),
                    own,
                    own_links,
                    requests.get(agency["agency_id"], []),
                    corrections.get(agency["agency_id"], []),
                    flags.get(agency["agency_id"], []),
                    render.agency_policies_of(agency, policies.get(state, [])),
                    shared.get(agency["agency_id"], []),
                    {k: v for k, v in place_pages.items() if v},
                    disagreements.get(agency["agency_id"], []),
                )
                html = render.render_agency(context, self.at(1), built=self.built)
                self.write(f"agency/{render.agency_file(agency['agency_id'])}", html)
                self.counts["agency"] += 1
            if state is None:
                continue
            self.bake_state(state, rows, places, claims, requests, policies.get(state, []), pages, state_downloads)
            states.append(
                {
                    "state": state,
                    "state_name": text(rows[0].get("state_name")) or state,
                    "with_evidence": sum(1 for a in rows if a.get("status")),
                    "registry": len(rows),
                }
            )

        map_rows = [a for a in agencies if a.get("status")]
        coverage = defaultdict(int)
        for a in agencies:
            coverage[text(a.get("research_status")) or "not researched"] += 1
        headline = {k: int(v) for k, v in queries.headline(queries.Filters()).items()}
        national = [a for a in map_rows if not a.get("state")]
        index = render.index_context(map_rows, headline, dict(coverage), states, national, self.at(0), downloads[:1])
        self.write("index.html", render.render_index(index, self.at(0), built=self.built))
        self.write("search.html", render.render_search(self.at(0), built=self.built))
        self.write(
            "downloads/index.html",
            render.page("_downloads.html.j2", {"downloads": downloads}, self.at(1), "Downloads", self.built),
        )
        self.write_search_index(states, places, [a for a in agencies if a["agency_id"] in pages])
        self.write("site.css", render.site_css())
        shutil.copyfile(render.ASSETS / "search.js", self.folder / "search.js")
        return Baked(self.folder, {"index": 1, **self.counts, "search": 1})

    def bake_state(self, state, rows, places, claims, requests, policies, pages, downloads) -> None:
        from dashboard import lookup

        state_name = text(rows[0].get("state_name")) or state
        mine = [p for (s, _), p in places.items() if s == state]
        evidence_in = {a["agency_id"] for a in rows if a.get("status")}
        listed = {
            level: sorted(
                (
                    (p.name, p.slug, sum(1 for a in p.agencies if a["agency_id"] in evidence_in))
                    for p in mine
                    if p.level == level
                ),
                key=lambda t: t[0].lower(),
            )
            for level in ("city", "county")
        }
        coverage: dict[str, int] = defaultdict(int)
        for a in rows:
            coverage[text(a.get("research_status")) or "not researched"] += 1
        map_rows = [a for a in rows if a.get("status")]
        context = render.state_context(
            state,
            state_name,
            map_rows,
            dict(coverage),
            listed["city"],
            listed["county"],
            policies,
            self.at(1),
            downloads,
        )
        self.write(f"state/{state}.html", render.render_state(context, self.at(1), built=self.built))
        self.counts["state"] += 1
        slug_by = {(p.level, n.lower()): p.slug for p in mine for n in p.aliases}
        for place in mine:
            other = "county" if place.level == "city" else "city"
            related = sorted(
                {
                    (
                        " ".join(text(a.get(other)).split()),
                        slug_by[(other, " ".join(text(a.get(other)).split()).lower())],
                    )
                    for a in place.agencies
                    if text(a.get(other)) and (other, " ".join(text(a.get(other)).split()).lower()) in slug_by
                }
            )
            where = self.lookup_place(place)
            served = self.serving(place, where)
            context = render.place_context(
                place.level,
                place.name,
                state,
                state_name,
                served,
                claims,
                [p for p in policies if lookup.reaches(p, where)],
                render.place_requests(served, requests),
                related,
                pages,
                place.aliases,
            )
            self.write(f"place/{state}/{place.slug}.html", render.render_place(context, self.at(2), built=self.built))
            self.counts["place"] += 1

    def lookup_place(self, place: Place):
        """The place as the lookup reads it (a city's counties, a county's key)."""
        from dashboard import lookup

        return lookup.place_named(self.gazetteer, place.level, place.name, place.state)

    def serving(self, place: Place, where) -> list[dict]:
        """The agencies that serve a place, each with `serves` (its level), in the lookup's order: the Place
        page's and `ingest lookup`'s rule. An agency of the page's own whose name is spelled so that the lookup
        reads another place (names that share a slug) is kept, as one of the place's own."""
        from dashboard import lookup

        found = lookup.serving(self.gazetteer, where)
        listed = {agency_id for agency_id, _ in found}
        found += [(a["agency_id"], place.level) for a in place.agencies if a["agency_id"] not in listed]
        return [{**self.by_id[agency_id], "serves": serves} for agency_id, serves in dict(found).items()]

    def write_search_index(self, states: list[dict], places, agencies: list[dict]) -> None:
        """[name, what and where, page] for every state, place and agency page; a script for pages opened
        from disk (a browser refuses to fetch a file:// JSON), and the same as JSON for other readers."""
        entries = [[s["state_name"], f"state ({s['state']})", f"state/{s['state']}.html"] for s in states]
        entries += [
            [p.name, f"{p.level} in {p.state}", f"place/{p.state}/{p.slug}.html"]
            for p in sorted(places.values(), key=lambda p: (p.state, p.name))
        ]
        entries += [
            [
                text(a.get("name")),
                "agency, "
                + ", ".join(v for v in (text(a.get("city")), text(a.get("county")), text(a.get("state"))) if v),
                f"agency/{render.agency_file(a['agency_id'])}",
            ]
            for a in agencies
        ]
        data = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        self.write("search-index.json", data)
        # "</" written "<\/" (the same string in JSON): no name can end the script element early.
        self.write("search-index.js", "window.WW_SEARCH=" + data.replace("</", "<\\/") + ";\n")
