"""One HTML rendering of the public facts: the map, a state, a place (a city or a county), an agency and search.

The static site (public/site.py) and the dashboard show the same HTML, so the two can never disagree: a page of
the dashboard calls e.g. `agency_html(agency_id)` and hands the string to `st.html`. Templates are Jinja2 with
autoescaping on for every template: text from a source is text, and a link is made only from an http(s) URL
field (rules/links.py). Nothing here writes SQL: the data comes from the query layer (dashboard/queries.py).

Each page is rendered from a context built by a `*_context` function out of plain records (lists of dicts), so
that the bake can group whole tables once and the dashboard can query one agency, and both render the same way.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from hashlib import sha256
from pathlib import Path
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup

from ingest import settings
from ingest.watchlists import slug_of
from public import geo
from rules import claims as claim_rules
from rules import documented
from rules.links import http_url

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
# An agency's evidence timeline shows at most this many rows; the state's CSV download holds every one.
MAX_EVIDENCE_SHOWN = 100
# A claim lists at most this many of its sources by name (the others are cited by their evidence rows).
MAX_CITES = 10
SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,120}$")
RESEARCHED = "researched, no face-recognition evidence found"


# ------------------------------------------------------------------------------------------- small rules


def place_slug(name: str) -> str:
    """A place's file name: lower case, every run of other characters a '-' (`Miami-Dade County` ->
    `miami-dade-county`); the watchlists' slug rule, with its stable hash for a name with no Latin letters."""
    return slug_of(name)


def agency_file(agency_id: str) -> str:
    """An agency page's file name: the id itself when it is a plain identifier (every registry id is), else
    a hash of it, so that no id can name a path outside agency/."""
    if SAFE_ID.match(agency_id) and agency_id not in (".", ".."):
        return f"{agency_id}.html"
    return "id-" + sha256(agency_id.encode("utf-8")).hexdigest()[:16] + ".html"


def _date(value) -> dt.date | None:
    if value is None:
        return None
    try:
        if value != value:  # NaN, NaT
            return None
    except (TypeError, ValueError):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):  # pandas Timestamp
        return value.date()
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def day(value) -> str:
    found = _date(value)
    return found.isoformat() if found else ""


def year(value) -> str:
    found = _date(value)
    return str(found.year) if found else ""


def text(value) -> str:
    """The value as text, '' for a missing one (pandas gives NaN for a missing string)."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


HOST = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://(?:www\.)?([^/?#\s]+)")


def host(url: str) -> str:
    """What a citation is called when the source gives no name: the site it is on."""
    found = HOST.match(url)
    return found.group(1) if found else "source"


def citation(label: str, url) -> tuple[str, str, str]:
    """(label, link target or '' when the URL is not http(s), the URL as text): what a citation shows."""
    return label, http_url(url), text(url)


def colour(status: str) -> str:
    known = claim_rules.BY_NAME.get(status)
    return known.map_colour if known else "#bababa"


def light(status: str) -> bool:
    """A badge whose colour is pale gets dark text."""
    hex_colour = colour(status).lstrip("#")
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b > 160


def rank(status: str) -> int:
    names = [s.name for s in claim_rules.STATUSES]
    return names.index(status) if status in names else len(names)


def coverage_sentence(counts: dict, where: str) -> str:
    """How much of the registry has been looked at, so that an empty map is not read as 'nothing there'."""
    asked = sum(n for status, n in counts.items() if status.startswith("asked"))
    # what came of the requests ("1 no documents"), as the Place page has always said it
    outcomes = ", ".join(
        f"{n:,} {status.removeprefix('asked: ')}" for status, n in sorted(counts.items()) if status.startswith("asked")
    )
    return (
        f"Coverage of the {sum(counts.values()):,} registry agencies {where}: "
        f"{counts.get('evidence found', 0):,} with evidence; {asked:,} asked through a records request and nothing "
        f"found yet{f' ({outcomes})' if outcomes else ''}; "
        f"{counts.get(RESEARCHED, 0):,} researched by the Atlas of Surveillance with nothing found; "
        f"{counts.get('not researched', 0):,} not researched yet. An agency missing here has most likely not been "
        "researched: an empty map is not evidence of absence."
    )


def records(frame) -> list[dict]:
    """A query result as plain records, with None for every missing value."""
    if frame is None or len(frame) == 0:
        return []
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


# ------------------------------------------------------------------------------------------------ links


@dataclass(frozen=True)
class Links:
    """Where a page's links go. On the static site: relative paths from the page (`root` is "", "../" or
    "../../") and the dashboard's tools at `dashboard`. Inside the dashboard (`in_dashboard`): its own pages
    stand in for the static ones, by relative URL, so the links work wherever the dashboard is served."""

    root: str = ""
    dashboard: str = field(default_factory=lambda: settings.dashboard_url())
    in_dashboard: bool = False

    @classmethod
    def published(cls) -> Links | None:
        """The static site where it is published (WATCHDOG_SITE_URL), for the dashboard's links to its pages:
        `Links.published().agency(agency_id)` is the agency's static page. None when no site is published."""
        base = settings.site_url()
        return cls(root=base.rstrip("/") + "/") if base else None

    def deeper(self, levels: int) -> Links:
        return Links("../" * levels, self.dashboard, self.in_dashboard)

    def home(self) -> str:
        return "map" if self.in_dashboard else f"{self.root}index.html"

    def search(self) -> str:
        return "place" if self.in_dashboard else f"{self.root}search.html"

    def state(self, state: str) -> str:
        return f"map?{urlencode({'state': state})}" if self.in_dashboard else f"{self.root}state/{state}.html"

    def place(self, state: str, name: str, slug: str | None = None) -> str:
        if self.in_dashboard:
            return f"place?{urlencode({'q': f'{name} {state}'})}"
        return f"{self.root}place/{state}/{slug or place_slug(name)}.html"

    def agency(self, agency_id: str) -> str:
        if self.in_dashboard:
            return f"agency?{urlencode({'agency': agency_id})}"
        return f"{self.root}agency/{agency_file(agency_id)}"

    def asset(self, name: str) -> str:
        return f"{self.root}{name}"

    def tool(self, page: str, **params) -> str:
        """A dashboard page with the query parameters it reads (?agency=, ?q=, ?state=&level=&name=)."""
        query = urlencode({k: v for k, v in params.items() if v})
        base = "" if self.in_dashboard else self.dashboard.rstrip("/") + "/"
        return f"{base}{page}" + (f"?{query}" if query else "")


# ------------------------------------------------------------------------------------------- templates


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name: text from a source is text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(href=http_url, day=day, year=year, colour=colour, light=light, host=host, text=text)
    env.globals.update(
        when=documented.when,
        map_svg=map_svg,
        statuses=[s for s in claim_rules.STATUSES if s.name in claim_rules.LADDER],
        definitions=claim_rules.DEFINITIONS,
    )
    return env


def map_svg(drawn: dict, label: str, inline: bool = True) -> Markup:
    """The map drawn by _map.svg.j2 (every text in it escaped there): inline, with a link on each dot, or as an
    <img> of the same SVG for st.html, which removes inline SVG. Over the picture, each dot's link is an HTML link
    placed where the dot is drawn (in percent of the picture, so it scales with it), with the dot's title: the
    dashboard's map opens an agency on a click as the static one does."""
    svg = environment().get_template("_map.svg.j2").render(m=drawn, label=label, links_in_map=inline)
    if inline:
        return Markup(svg)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    width, height = drawn["size"]
    spots = Markup("").join(
        Markup('<a class="spot" href="{}" title="{}" style="left: {:.2f}%; top: {:.2f}%"></a>').format(
            dot.href, dot.title, 100 * dot.x / width, 100 * dot.y / height
        )
        for dot in drawn["dots"]
        if dot.href
    )
    return Markup(
        '<div class="map-frame"><img class="map" alt="{}" src="data:image/svg+xml;base64,{}">{}</div>'
    ).format(label, data, spots)


@cache
def css() -> str:
    """The content's stylesheet, every rule under .ww: what st.html gets inline, leaving the dashboard's own
    page (its body, its fonts elsewhere) as it is."""
    return (ASSETS / "content.css").read_text(encoding="utf-8")


def site_css() -> str:
    """The static site's one stylesheet: the page's frame (body, top bar, footer) and the content's."""
    return (ASSETS / "page.css").read_text(encoding="utf-8") + css()


def page(body: str, context: dict, links: Links, title: str, built: str | None = None) -> str:
    """A whole static page: the body template inside the site's frame (header, footer, stylesheet)."""
    return (
        environment()
        .get_template("page.html.j2")
        .render(body=body, links=links, title=title, built=built or "", in_fragment=False, **context)
    )


def fragment(body: str, context: dict, links: Links) -> str:
    """The same body for st.html: the stylesheet inline (our own file, not source text), no header or footer."""
    template = environment().get_template("fragment.html.j2")
    return template.render(body=body, links=links, css=Markup(css()), in_fragment=True, **context)


# ------------------------------------------------------------------------------------------------ agency


def claim_view(claim: dict) -> dict:
    """A claim as the pages show it: its date in words and its first MAX_CITES sources (each source is also
    cited by its evidence row on the agency page, and all are in the downloads)."""
    if "cites" in claim:  # already made (the bake makes each once for the agency's and its places' pages)
        return claim
    urls = [u for u in text(claim.get("source_urls")).split() if u]
    return {
        **claim,
        "when": documented.when(claim.get("last_documented")),
        "cites": [citation(host(u), u) for u in urls[:MAX_CITES]],
        "more": max(0, len(urls) - MAX_CITES),
    }


def evidence_view(row: dict, links: list[dict]) -> dict:
    when = row.get("event_date")
    if _date(when) is None:
        shown = "undated"
    else:
        shown = year(when) if row.get("date_precision") == "year" else day(when)
        shown = f"{text(row.get('date_label')) or 'dated'} {shown}"
    amount = row.get("amount")
    label = text(row.get("source_name")) or text(row.get("source")) or "source"
    return {
        **row,
        "when_text": shown,
        "amount_text": "" if amount is None or amount != amount else f"${float(amount):,.0f}",
        "cite": citation(label, row.get("source_url")),
        "cites": [
            citation(text(k.get("source_name")) or f"link {k.get('link_number')}", k.get("url"))
            + (day(k.get("link_date")),)
            for k in links
        ],
        "file_cite": citation(text(row.get("raw_file_url")), row.get("raw_file_url")),
    }


def agency_policies_of(agency: dict, state_policies: Iterable[dict]) -> list[dict]:
    """The policies covering an agency: its state's, its county's and its city's (as agency_policies does)."""
    city, county = text(agency.get("city")).lower(), text(agency.get("county")).lower()
    kept = []
    for p in state_policies:
        level, place = text(p.get("jurisdiction_level")), text(p.get("place_name")).lower()
        if level == "state" or (level == "city" and place and place == city) or (level == "county" and place == county):
            kept.append(p)
    return kept


def agency_context(
    agency: dict,
    claims: list[dict],
    evidence: list[dict],
    links: list[dict],
    requests: list[dict],
    corrections: list[dict],
    flags: list[dict],
    policies: list[dict],
    shared: list[dict],
    place_pages: dict[str, str] | None = None,
    disagreements: list[dict] | None = None,
) -> dict:
    """Everything an agency page shows, from its rows in the query layer's results. `place_pages` maps
    'city' and 'county' to the slug of the agency's place pages, where the site has them."""
    by_evidence: dict[str, list[dict]] = {}
    for link in links:
        by_evidence.setdefault(link["evidence_id"], []).append(link)
    claim_rows = sorted((claim_view(c) for c in claims), key=lambda c: (rank(c["status"]), text(c["product"])))
    shown = [evidence_view(row, by_evidence.get(row["evidence_id"], [])) for row in evidence[:MAX_EVIDENCE_SHOWN]]
    contested = []
    for claim in claim_rows:
        if claim.get("contested"):
            own = [e for e in shown if e["product"] == claim["product"]]
            contested.append(
                {
                    "product": claim["product"],
                    "for": [e for e in own if e["kind"] != "denied"],
                    "against": [e for e in own if e["kind"] == "denied"],
                }
            )
    documents = []
    for doc in shared:
        if "system" not in doc:  # the bake names each document's system once, for all its agencies
            summaries = [] if doc.get("summaries") is None else list(doc["summaries"])
            doc = {**doc, "system": documented.named_system(summaries)}
        documents.append(doc)
    return {
        "agency": agency,
        "claims": claim_rows,
        "evidence": shown,
        "evidence_total": len(evidence),
        "contested": contested,
        "requests": requests,
        "corrections": corrections,
        "flags": flags,
        "policies": policies,
        "shared": documents,
        "place_pages": place_pages or {},
        "many_rows": documented.MANY_ROWS,
        "disagreements": vendor_sides(disagreements or []),
    }


def vendor_sides(rows: list[dict]) -> list[dict]:
    """Each source row whose Vendor field and text name different vendors, as its two sides (views.vendor_disagreements)."""
    found: dict = {}
    for row in rows:
        record = found.setdefault(
            row["raw_record_id"],
            {
                "vendor_field": row["vendor_field"],
                "summary": row["summary"],
                "source": row["source"],
                "license": row["license"],
                "label": text(row["source_name"]) or "the source",
                "url": row["source_url"],
                "vendor field": [],
                "summary side": [],
            },
        )
        record["summary side" if row["side"] == "summary" else "vendor field"].append(row)
    return list(found.values())


def agency_tools(agency: dict, links: Links) -> list[tuple[str, str]]:
    """The dashboard's tools for this agency: its interactive page, a records-request letter, a hearing brief
    for its place and What's new for its state."""
    place = text(agency.get("city")) or text(agency.get("county")) or text(agency.get("name"))
    tools = [
        ("Open in the dashboard", links.tool("agency", agency=agency["agency_id"])),
        ("Draft a records request", links.tool("place", q=place, agency=agency["agency_id"])),
    ]
    state = text(agency.get("state"))
    if state:
        level, name = (
            ("city", agency["city"])
            if text(agency.get("city"))
            else ("county", agency["county"])
            if text(agency.get("county"))
            else ("state", state)
        )
        tools.append(("Hearing brief", links.tool("brief", state=state, level=level, name=name)))
        tools.append(("Watch what changes", links.tool("new", state=state)))
    return tools


def render_agency(context: dict, links: Links, standalone: bool = True, built: str | None = None) -> str:
    context = {**context, "tools": agency_tools(context["agency"], links)}
    if standalone:
        return page("_agency.html.j2", context, links, text(context["agency"].get("name")), built)
    return fragment("_agency.html.j2", context, links)


def agency_html(agency_id: str, links: Links | None = None) -> str:
    """One agency's page for st.html, read from the database through the query layer ('' when unknown)."""
    from dashboard import queries

    agency = queries.agency(agency_id)
    if agency is None:
        return ""
    agency = clean_record(agency)
    coverage = queries.agency_coverage(agency_id) or {}
    agency.update(
        research_status=coverage.get("research_status"),
        technologies=[] if coverage.get("technologies") is None else list(coverage["technologies"]),
        records_requests=coverage.get("records_requests") or 0,
    )
    evidence = records(queries.agency_evidence(agency_id))
    context = agency_context(
        agency,
        records(queries.agency_claims(agency_id)),
        evidence,
        records(queries.evidence_links([e["evidence_id"] for e in evidence[:MAX_EVIDENCE_SHOWN]])),
        records(queries.agency_requests(agency_id)),
        records(queries.corrections_for(agency_id)),
        records(queries.agency_flags(agency_id)),
        records(queries.agency_policies(agency_id)),
        records(queries.shared_documents(agency_id, documented.MANY_ROWS)),
        {level: place_slug(text(agency.get(level))) for level in ("city", "county") if text(agency.get(level))},
        records(queries.vendor_disagreements(agency_id)),
    )
    return render_agency(context, links or Links(in_dashboard=True), standalone=False)


def clean_record(row: dict) -> dict:
    """One query row (a dict) with None for every missing value."""
    return {k: (None if v is None or (not isinstance(v, (list, tuple)) and _isnan(v)) else v) for k, v in row.items()}


def _isnan(value) -> bool:
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------------------------------------ place


# Who serves a place, in the order the page lists them (the lookup's SERVES_ORDER for a city or a county).
SECTIONS = {"city": ("city", "county", "state"), "county": ("county", "city", "state")}


def common_spelling(names: Iterable[str]) -> str:
    """The spelling a place's page is named by: the most common, a mixed-case one before an upper-case one."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return max(sorted(counts), key=lambda n: (counts[n], n != n.upper())) if counts else ""


def place_sections(level: str, name: str, state_name: str, rows: list[dict]) -> list[dict]:
    """The agencies of a place's page grouped by the level at which each serves it, the place's own first: a
    reader of Miami's page sees Miami's police, then Miami-Dade County's, then the statewide agencies."""
    sections = []
    for serves in SECTIONS.get(level, (level, "city", "county", "state")):
        mine = [r for r in rows if r["serves"] == serves]
        if not mine:
            continue
        if serves == level == "county":
            title, note = f"{name}'s own agencies", "Placed in the county and in none of its towns."
        elif serves == level:
            title, note = f"{name}'s own agencies", ""
        elif serves == "county":
            counties = sorted({text(r.get("county")) for r in mine if text(r.get("county"))})
            title = f"{' and '.join(counties) or 'Its county'}'s own agencies"
            note = "A sheriff, a county police, a college: agencies of the county placed in no town of it."
        elif serves == "city":
            title, note = "Agencies of its cities and towns", ""
        else:
            title = f"Statewide agencies of {state_name}" if state_name else "Statewide agencies"
            note = (
                "Agencies that serve the whole state: those with evidence, those placed in no county, and those "
                "placed in this county."
            )
        sections.append({"serves": serves, "title": title, "note": note, "agencies": mine})
    return sections


def place_context(
    level: str,
    name: str,
    state: str,
    state_name: str,
    agencies: list[dict],
    claims_by_agency: dict[str, list[dict]],
    policies: list[dict],
    requests: list[dict],
    related: list[tuple[str, str]],
    pages: set[str],
    aliases: Iterable[str] = (),
) -> dict:
    """A city's or a county's page: every registry agency that serves it (dashboard/lookup.py's rule, each
    agency's `serves` saying at which level, in the lookup's order) with its research status, the claims of
    those with evidence (status, date, citations), the policies and records requests, the coverage sentence.
    `related` lists (name, slug) of the counties its agencies sit in (or the cities of a county); `pages`
    holds the ids of the agencies that have a page of their own."""
    counts: dict[str, int] = {}
    rows = []
    for agency in agencies:
        status = text(agency.get("research_status")) or "not researched"
        counts[status] = counts.get(status, 0) + 1
        own = sorted(
            (claim_view(c) for c in claims_by_agency.get(agency["agency_id"], [])),
            key=lambda c: (rank(c["status"]), text(c["product"])),
        )
        rows.append(
            {
                **agency,
                "serves": agency.get("serves") or level,
                "research_status": status,
                "claims": own,
                "has_page": agency["agency_id"] in pages,
            }
        )
    where = f"that serve {name}, {state_name or state}"
    return {
        "level": level,
        "name": name,
        "state": state,
        "state_name": state_name,
        "agencies": rows,
        "sections": place_sections(level, name, state_name, rows),
        "with_evidence": sum(1 for r in rows if r["claims"]),
        "coverage": coverage_sentence(counts, where),
        "policies": policies,
        "requests": requests,
        "related": related,
        "aliases": sorted(set(aliases) - {name}),
    }


def place_requests(agencies: list[dict], requests_by_agency: dict[str, list[dict]]) -> list[dict]:
    """The records requests to a place's agencies, agency by agency in name order (each agency's newest first)."""
    ordered = sorted(agencies, key=lambda a: (text(a.get("name")), a["agency_id"]))
    return [r for a in ordered for r in requests_by_agency.get(a["agency_id"], [])]


def place_html(level: str, name: str, state: str, links: Links | None = None, gaz=None) -> str:
    """A city's or a county's page for st.html, read through the query layer (a page saying so when no agency
    serves it). The agencies are the lookup's (dashboard/lookup.py `serving`, the rule the static page uses too);
    `gaz` is the lookup's gazetteer when the caller holds one (read afresh otherwise)."""
    from dashboard import lookup, queries

    gaz = gaz or lookup.gazetteer(queries.query)
    place = lookup.place_named(gaz, level, name, state)
    serving = lookup.serving(gaz, place)
    by_id = {a["agency_id"]: a for a in agency_rows(queries.site_agencies_of(state))} if serving else {}
    agencies = [{**by_id[i], "serves": serves} for i, serves in serving if i in by_id]
    ids = [a["agency_id"] for a in agencies]
    claims: dict[str, list[dict]] = {}
    for claim in records(queries.site_claims_of(ids)):
        claims.setdefault(claim["agency_id"], []).append(claim)
    requests: dict[str, list[dict]] = {}
    for request in records(lookup.records_requests(queries.query, ids)):
        requests.setdefault(request["agency_id"], []).append(request)
    # the place's own agencies, as the static page gathers them: those whose city (or county) is this place
    own = [
        a
        for a in agencies
        if a["serves"] != "state" and lookup.Place(level, text(a.get(level)), state, "").key == place.key
    ]
    other = "county" if level == "city" else "city"
    related = sorted({(text(a.get(other)), place_slug(text(a.get(other)))) for a in own if text(a.get(other))})
    aliases = [" ".join(text(a.get(level)).split()) for a in own]
    context = place_context(
        level,
        common_spelling(aliases) or name,
        state,
        gaz.states.get(state, ""),
        agencies,
        claims,
        [p for p in records(queries.policies([state])) if lookup.reaches(p, place)],
        place_requests(agencies, requests),
        related,
        set(ids),
        aliases,
    )
    return render_place(context, links or Links(in_dashboard=True), standalone=False)


def agency_rows(frame) -> list[dict]:
    """site_agencies' rows as records, with their technologies as a list and their request count a number."""
    rows = records(frame)
    for a in rows:
        a["technologies"] = list(a["technologies"]) if a.get("technologies") is not None else []
        a["records_requests"] = int(a.get("records_requests") or 0)
    return rows


def place_tools(context: dict, links: Links) -> list[tuple[str, str]]:
    query = f"{context['name']} {context['state']}" if context["level"] == "county" else context["name"]
    # inside the dashboard the page is the lookup itself, its letter below: only the other tools are links
    here = (
        []
        if links.in_dashboard
        else [
            ("Look it up in the dashboard", links.tool("place", q=query)),
            ("Draft a records request", links.tool("place", q=query)),
        ]
    )
    return [
        *here,
        (
            "Hearing brief",
            links.tool("brief", state=context["state"], level=context["level"], name=context["name"]),
        ),
        ("Watch what changes", links.tool("new", state=context["state"])),
    ]


def render_place(context: dict, links: Links, standalone: bool = True, built: str | None = None) -> str:
    context = {**context, "tools": place_tools(context, links)}
    title = f"{context['name']}, {context['state']}"
    if standalone:
        return page("_place.html.j2", context, links, title, built)
    return fragment("_place.html.j2", context, links)


# ------------------------------------------------------------------------------------------------ maps


def _dots(map_rows: Iterable[dict], links: Links, project) -> list[geo.Dot]:
    dots = []
    for row in map_rows:
        lat, lon = row.get("latitude"), row.get("longitude")
        if lat is None or lon is None or _isnan(lat) or _isnan(lon):
            continue
        point = project(row.get("state"), float(lon), float(lat))
        if point is None:
            continue
        status = text(row.get("status"))
        label = f"{text(row.get('name'))}: {status}, {documented.when(row.get('last_documented'))}"
        area = links.state(row["state"]) if text(row.get("state")) else ""
        dots.append(geo.Dot(point[0], point[1], colour(status), label, links.agency(row["agency_id"]), 1, area))
    return dots


def _rank_by_colour() -> dict[str, int]:
    return {s.map_colour: i for i, s in enumerate(claim_rules.STATUSES)}


def national_map(map_rows: list[dict], links: Links) -> dict:
    def project(state, lon, lat):
        frame = geo.national_frame(state)
        return None if frame is None else frame.project(geo._lon(state, lon), lat)

    dots = geo.gather(_dots(map_rows, links, project), _rank_by_colour(), "{n} agencies here: open the state")
    return {"size": geo.NATIONAL_SIZE, "shapes": geo.national_shapes(), "dots": dots}


def state_map(state: str, map_rows: list[dict], links: Links) -> dict | None:
    points = [
        (float(r["longitude"]), float(r["latitude"]))
        for r in map_rows
        if r.get("longitude") is not None and not _isnan(r["longitude"]) and r.get("latitude") is not None
    ]
    frame = geo.state_frame(state, points)
    if frame is None:
        return None

    def project(row_state, lon, lat):
        return frame.project(geo._lon(state, lon), lat)

    dots = geo.gather(_dots(map_rows, links, project), _rank_by_colour(), "{n} agencies here")
    return {"size": geo.STATE_SIZE, "shapes": [(state, geo.state_shape(state, frame))], "dots": dots}


# ------------------------------------------------------------------------------------------------ state


def state_context(
    state: str,
    state_name: str,
    map_rows: list[dict],
    coverage: dict,
    cities: list[tuple[str, str, int]],
    counties: list[tuple[str, str, int]],
    policies: list[dict],
    links: Links,
    downloads: list[tuple[str, str]] = (),
) -> dict:
    """A state's page: its map, agencies with evidence, places (name, slug, agencies with evidence), policies."""
    return {
        "state": state,
        "state_name": state_name,
        "map": state_map(state, map_rows, links),
        "agencies": sorted(map_rows, key=lambda r: (rank(text(r.get("status"))), text(r.get("name")))),
        "coverage": coverage_sentence(coverage, f"in {state_name or state}"),
        "cities": cities,
        "counties": counties,
        "policies": policies,
        "downloads": list(downloads),
    }


def state_html(state: str, links: Links | None = None) -> str:
    """A state's page for st.html, read through the query layer ('' when the registry has no agency there)."""
    from dashboard import queries

    agencies = agency_rows(queries.site_agencies_of(state))
    if not agencies:
        return ""
    coverage: dict[str, int] = {}
    places: dict[str, dict[str, list[dict]]] = {"city": {}, "county": {}}
    for a in agencies:
        status = text(a.get("research_status")) or "not researched"
        coverage[status] = coverage.get(status, 0) + 1
        for level in places:
            if text(a.get(level)):
                places[level].setdefault(text(a.get(level)), []).append(a)
    listed = {
        level: [(n, place_slug(n), sum(1 for a in rows if a.get("status"))) for n, rows in sorted(found.items())]
        for level, found in places.items()
    }
    context = state_context(
        state,
        text(agencies[0].get("state_name")),
        [a for a in agencies if a.get("status")],
        coverage,
        listed["city"],
        listed["county"],
        records(queries.policies([state])),
        links or Links(in_dashboard=True),
    )
    return render_state(context, links or Links(in_dashboard=True), standalone=False)


def state_tools(state: str, links: Links) -> list[tuple[str, str]]:
    return [
        ("Filter the map in the dashboard", links.tool("map", state=state)),
        ("Hearing brief", links.tool("brief", state=state, level="state", name=state)),
        ("Watch what changes", links.tool("new", state=state)),
    ]


def render_state(context: dict, links: Links, standalone: bool = True, built: str | None = None) -> str:
    context = {**context, "tools": state_tools(context["state"], links)}
    title = context["state_name"] or context["state"]
    if standalone:
        return page("_state.html.j2", context, links, title, built)
    return fragment("_state.html.j2", context, links)


# ------------------------------------------------------------------------------------------------ index


def index_context(
    map_rows: list[dict],
    headline: dict,
    coverage: dict,
    states: list[dict],
    national: list[dict],
    links: Links,
    downloads: list[tuple[str, str]] = (),
) -> dict:
    """The front page: the national map, the headline counts, the states, agencies with no state."""
    return {
        "map": national_map(map_rows, links),
        "headline": headline,
        "coverage": coverage_sentence(coverage, "across the country"),
        "states": sorted(states, key=lambda s: (s["state_name"], s["state"])),  # as a reader looks: by name
        "national": national,
        "not_drawn": sorted(geo.NOT_DRAWN),
        "downloads": list(downloads),
    }


def render_index(context: dict, links: Links, standalone: bool = True, built: str | None = None) -> str:
    tools = [("Filter the map", links.tool("map")), ("Find a place or agency", links.tool("place"))]
    context = {**context, "tools": tools if links.in_dashboard else [("Open the dashboard", links.tool("map"))]}
    if standalone:
        return page("_index.html.j2", context, links, "Facial recognition by US agencies: the public record", built)
    return fragment("_index.html.j2", context, links)


def map_html(links: Links | None = None) -> str:
    """The front page (national map, headline, states) for st.html, read through the query layer: made once per
    database file, as the baked index.html is (every registry agency is read for its counts: 0.5 s here, about
    1 s at 1M SYNTHETIC rows, for a page that is the same for every reader until the next build)."""
    from dashboard.data import db_path, file_stamp

    return _front_page(str(db_path()), file_stamp(), links or Links(in_dashboard=True))


@lru_cache(maxsize=2)
def _front_page(path: str, stamp: tuple[int, int], links: Links) -> str:
    from dashboard import queries

    agencies = agency_rows(queries.site_agencies())
    coverage: dict[str, int] = {}
    states: dict[str, dict] = {}
    for a in agencies:
        status = text(a.get("research_status")) or "not researched"
        coverage[status] = coverage.get(status, 0) + 1
        if a.get("state"):
            row = states.setdefault(
                a["state"],
                {
                    "state": a["state"],
                    "state_name": text(a.get("state_name")) or a["state"],
                    "with_evidence": 0,
                    "registry": 0,
                },
            )
            row["registry"] += 1
            row["with_evidence"] += 1 if a.get("status") else 0
    map_rows = [a for a in agencies if a.get("status")]
    headline = {k: int(v) for k, v in queries.headline(queries.Filters()).items()}
    national = [a for a in map_rows if not a.get("state")]
    context = index_context(map_rows, headline, coverage, [states[k] for k in sorted(states)], national, links)
    return render_index(context, links, standalone=False)


def render_search(links: Links, built: str | None = None) -> str:
    return page("_search.html.j2", {}, links, "Search", built)
