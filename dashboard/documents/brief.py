"""A one-or-two-page hearing brief for a city, county or state: products, contracts and spend,
trials, policy status, and questions for the hearing, every line with a numbered citation.

The brief is data first (Brief -> sections -> lines, each line citing numbers in `citations`), so
that the page, the PDF, the Markdown file and the tests all read the same thing and every citation can
be checked. `brief_for` is the one way to make it from the database: the Brief page and
`python -m ingest brief` both call it, then render it (brief_markdown, brief_pdf_file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

import pandas as pd

from dashboard.documents import pdfmap
from dashboard.documents.jurisdiction import Place
from dashboard.documents.pdf import Document
from dashboard.documents.words import agency_list, join_words, plural
from rules.documented import MANY_ROWS, is_stale, named_system, status_with_date

QUESTIONS = "Questions for the hearing"
NUMBERED = {QUESTIONS}  # sections read as a numbered list, so a council member can say "question 3"
SUMMARY_CHARS = 200
MAP_HEIGHT_MM = 62


@dataclass
class Citation:
    number: int
    kind: str  # evidence | policy | request | source
    ref: str  # evidence_id, policy_id, request_id or source_id
    label: str
    url: str
    rows: int = 1  # evidence rows that cite this document: one document behind many rows is listed once

    @property
    def text(self) -> str:
        return self.label + (f"; behind {self.rows} evidence rows" if self.rows > 1 else "")


@dataclass
class Line:
    text: str
    cites: list[int]

    def __post_init__(self):
        # A line that rests on one document through many rows cites it once.
        self.cites = sorted(set(self.cites))


@dataclass
class Brief:
    title: str
    jurisdiction: str
    generated: date
    sections: list[tuple[str, list[Line]]] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    _index: dict = field(default_factory=dict, repr=False)
    _refs: dict = field(default_factory=dict, repr=False)

    def cite(self, kind: str, ref: str, label: str, url: str) -> int:
        # Evidence is cited by its document: rows that rest on the same URL share one number.
        key = ("url", url) if kind == "evidence" and url else (kind, ref)
        if key not in self._index:
            self.citations.append(Citation(len(self.citations) + 1, kind, ref, label, url))
            self._index[key] = len(self.citations)
            self._refs[key] = {ref}
        elif ref not in self._refs[key]:
            self._refs[key].add(ref)
            self.citations[self._index[key] - 1].rows += 1
        return self._index[key]

    def lines(self) -> list[Line]:
        return [line for _, lines in self.sections for line in lines]


def _when(value) -> str:
    return "undated" if value is None or pd.isna(value) else f"{value:%Y-%m-%d}"


def _present(value) -> str:
    return value if isinstance(value, str) and value else ""


def _name(row) -> str:
    return _present(row.source_name) or row.source


def _evidence_cite(brief: Brief, row) -> int:
    label = f"{_name(row)}, {_when(row.event_date)} ({row.source}; raw record {row.raw_record_id})"
    return brief.cite("evidence", row.evidence_id, label, row.source_url)


CITED = ("source_name", "source", "event_date", "raw_record_id", "evidence_id", "source_url")


def _cites(brief: Brief, rows: pd.DataFrame) -> list[int]:
    # Read column by column: itertuples over the wide evidence frame, once per group, took 0.5 s of a state's brief.
    return [
        _evidence_cite(brief, SimpleNamespace(**dict(zip(CITED, values))))
        for values in zip(*(rows[column].tolist() for column in CITED))
    ]


def _request_cite(brief: Brief, request_id: str, url: str) -> int:
    return brief.cite("request", request_id, f"Records request {request_id} (MuckRock)", url)


def _short(text, limit: int = 220) -> str:
    text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _day(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _money(value) -> str:
    return f"${value:,.0f}"


def shared_document_lines(brief: Brief, evidence: pd.DataFrame, shared: pd.DataFrame | None = None) -> list[Line]:
    """One line per document that stands behind many evidence rows, naming the system its rows describe: 246
    Florida rows rest on one 2013 presentation about the Pinellas County FACES system, which is one source.
    `shared` (queries.shared_documents_for) counts each document over the whole database; without it, over
    this jurisdiction's rows."""
    lines = []
    if shared is None:
        counted = evidence.groupby("source_url", sort=True).agg(
            evidence_rows=("evidence_id", "size"), agencies=("agency_id", "nunique"), summaries=("summary", list)
        )
    else:
        counted = shared.set_index("source_url")
    for url, rows in evidence.groupby("source_url", sort=True):
        # Said where several rows here share it; a lone row citing a widely cited article is just its citation.
        if len(rows) < 2 or url not in counted.index or counted.loc[url, "evidence_rows"] < MANY_ROWS:
            continue
        total = counted.loc[url]
        first = rows.sort_values("event_date", na_position="last").iloc[0]
        system = named_system(total["summaries"])
        about = f", about the {system}" if system else ""
        beyond = (
            f"; across the database it stands behind {total['evidence_rows']} evidence rows for "
            f"{plural(int(total['agencies']), 'agency', 'agencies')}"
            if total["evidence_rows"] > len(rows)
            else ""
        )
        lines.append(
            Line(
                f"{len(rows)} of the {len(evidence)} evidence rows here "
                f"({plural(rows['agency_name'].nunique(), 'agency', 'agencies')}) rest on one document: "
                f"{_name(first)}, {_when(first.event_date)}{about}{beyond}. It is one source, not {len(rows)}.",
                _cites(brief, rows),
            )
        )
    return lines


def summary_lines(brief, jurisdiction, evidence, coverage, coverage_sources, shared) -> list[Line]:
    agencies = evidence["agency_name"].nunique() if len(evidence) else 0
    lines = [
        Line(
            f"{plural(agencies, 'agency', 'agencies')} in {jurisdiction} {'has' if agencies == 1 else 'have'} public "
            f"evidence of facial-recognition use ({plural(len(evidence), 'evidence row')}). Absence from this list "
            "means no evidence was found, not that no agency uses it.",
            _cites(brief, evidence) or [_atlas_cite(brief)],
        )
    ]
    if coverage:
        asked = sum(n for status, n in coverage.items() if status.startswith("asked"))
        found = coverage.get("evidence found", 0)
        nothing = coverage.get("researched, no face-recognition evidence found", 0)
        unresearched = coverage.get("not researched", 0)
        lines.append(
            Line(
                f"Coverage: of the {plural(sum(coverage.values()), 'agency', 'agencies')} in our registry here (the FBI "
                f"list and agencies named by sources), {found} {_have(found)} evidence; {asked} {_were(asked)} asked "
                f"through a records request with no evidence yet; {nothing} {_were(nothing)} researched by the Atlas "
                f"of Surveillance with nothing found; {unresearched} {_have(unresearched)} not been researched.",
                [brief.cite("source", s["source_id"], s["name"], s["url"]) for s in coverage_sources or ()],
            )
        )
    return lines + shared_document_lines(brief, evidence, shared)


def _have(n: int) -> str:
    return "has" if n == 1 else "have"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def _atlas_cite(brief: Brief) -> int:
    """The Atlas itself, for a line that rests on its silence (no evidence found here)."""
    return brief.cite(
        "source", "atlas_2020", "EFF Atlas of Surveillance (2020 export)", "https://atlasofsurveillance.org/"
    )


def product_lines(brief: Brief, evidence: pd.DataFrame, today: date) -> list[Line]:
    """One line per product: its agencies grouped by status and date, and the system its rows name."""
    lines = []
    for product, rows in evidence.groupby("product", dropna=False, sort=True):
        agencies = rows.groupby("agency_name", sort=True).agg(
            status=("status", "first"), contested=("contested", "any"), last_documented=("last_documented", "max")
        )
        by_status: dict[str, list[str]] = {}
        for agency, r in agencies.iterrows():
            said = status_with_date(r.status, r.last_documented, today) + (", contested" if r.contested else "")
            by_status.setdefault(said, []).append(agency)
        system = named_system(rows["summary"])
        through = f", through the {system}" if system else ""
        groups = "; ".join(f"{said}: {agency_list(names)}" for said, names in sorted(by_status.items()))
        lines.append(
            Line(
                f"{product}{through}: {plural(len(agencies), 'agency', 'agencies')}. {groups[:1].upper()}{groups[1:]}.",
                _cites(brief, rows),
            )
        )
    return lines


def _same_record(frame: pd.DataFrame) -> list[pd.DataFrame]:
    """Rows that repeat one source's sentence (one contract the Atlas lists under each agency that shares it)
    become one group, so the sentence is printed once with every agency and date beside it."""
    key = frame.assign(_said=frame["summary"].map(lambda t: _short(t, 10_000)).fillna(""))
    return [rows for _, rows in key.groupby(["product", "source_url", "_said"], dropna=False, sort=True)]


def contract_lines(brief: Brief, evidence: pd.DataFrame) -> list[Line]:
    """Each contract or purchase once: who paid and when, the amount (or that none is on record), the source's
    own words; first, the spend on record in all."""
    procured = evidence[evidence["kind"] == "procured"].sort_values(["event_date", "agency_name"], na_position="last")
    if procured.empty:
        return []
    lines = []
    known = procured["amount"].dropna()
    if len(known):
        lines.append(
            Line(
                f"Spend on record: {_money(known.sum())} over {plural(len(known), 'payment')}"
                + (
                    f"; {plural(len(procured) - len(known), 'other purchase record')} state no amount."
                    if len(known) < len(procured)
                    else "."
                ),
                _cites(brief, procured[procured["amount"].notna()]),
            )
        )
    for rows in _same_record(procured):
        paid = [
            f"{r.agency_name} ({_money(r.amount) + ', ' if pd.notna(r.amount) else ''}{r.date_label} "
            f"{_when(r.event_date)})"
            for r in rows.itertuples()
        ]
        amount = "" if rows["amount"].notna().any() else "; amount: not stated in the source"
        first = rows.iloc[0]
        said = _short(first.summary, SUMMARY_CHARS)
        lines.append(
            Line(
                f"{first['product']}: paid by {join_words(paid)}{amount}."
                + (f" The source says: “{said}”" if said else ""),
                _cites(brief, rows),
            )
        )
    return lines


def trial_lines(brief: Brief, evidence: pd.DataFrame) -> list[Line]:
    trials = evidence[evidence["kind"] == "trialled"].sort_values(["event_date", "agency_name"], na_position="last")
    lines = []
    for rows in _same_record(trials):
        who = join_words(f"{r.agency_name} ({r.date_label} {_when(r.event_date)})" for r in rows.itertuples())
        said = _short(rows.iloc[0].summary, SUMMARY_CHARS)
        lines.append(Line(f"{rows.iloc[0]['product']}: {who}." + (f" “{said}”" if said else ""), _cites(brief, rows)))
    return lines


def build_brief(
    jurisdiction: str,
    evidence: pd.DataFrame,
    policies: pd.DataFrame,
    policy_source: dict,
    today: date | None = None,
    flags: pd.DataFrame | None = None,
    requests: pd.DataFrame | None = None,
    coverage: dict | None = None,
    coverage_sources: list[dict] | None = None,
    shared: pd.DataFrame | None = None,
) -> Brief:
    today = today or date.today()
    brief = Brief(f"Facial recognition in {jurisdiction}: the public record", jurisdiction, today)
    brief.sections.append(("Summary", summary_lines(brief, jurisdiction, evidence, coverage, coverage_sources, shared)))

    def table_cite() -> int:  # cited only where a line rests on the policy table's silence
        return brief.cite("source", policy_source["source_id"], policy_source["name"], policy_source["url"])

    products = product_lines(brief, evidence, today) or [
        Line("No agency here has evidence of facial-recognition use in this data.", [_atlas_cite(brief)])
    ]
    brief.sections.append(("Products and vendors", products))
    if spend := contract_lines(brief, evidence):
        brief.sections.append(("Contracts and spend", spend))
    if trials := trial_lines(brief, evidence):
        brief.sections.append(("Trials and pilots", trials))
    brief.sections.append(("Policy status", policy_lines(brief, jurisdiction, policies, table_cite)))

    requests = requests if requests is not None else pd.DataFrame()
    if len(requests):
        brief.sections.append(
            (
                "Records requests",
                [
                    Line(
                        f"{r.agency_name}: “{_short(r.title, 120)}”, {r.outcome}"
                        + ("" if pd.isna(r.submitted_on) else f" (filed {r.submitted_on:%Y-%m-%d})")
                        + ". A request shows that someone asked, not that the agency used anything.",
                        [_request_cite(brief, r.request_id, r.url)],
                    )
                    for r in requests.itertuples()
                ],
            )
        )

    asked = questions(brief, evidence, policies, table_cite, today, shared)
    # Policy against practice and records requests against evidence (views.flags), each cited on both sides.
    by_id = {r.evidence_id: r for r in evidence.itertuples()}
    for flag in (flags if flags is not None else pd.DataFrame()).itertuples():
        if flag.flag != "no_procurement" and flag.evidence_id in by_id:
            cites = [_evidence_cite(brief, by_id[flag.evidence_id])]
            cites += [brief.cite("policy", flag.policy_id, "the policy", flag.policy_url)] if flag.policy_id else []
            cites += [_request_cite(brief, flag.request_id, flag.request_url)] if _present(flag.request_id) else []
            asked.insert(0, Line(flag.question, cites))
    brief.sections.append((QUESTIONS, asked))
    return brief


def policy_lines(brief: Brief, jurisdiction: str, policies: pd.DataFrame, table_cite) -> list[Line]:
    lines = []
    for row in policies.itertuples():
        caveat = f" Caveat: {row.caveat}" if isinstance(row.caveat, str) and row.caveat else ""
        lines.append(
            Line(
                f"{row.jurisdiction}: {row.stance} ({row.date_text}).{caveat}",
                [brief.cite("policy", row.policy_id, f"{row.jurisdiction}, {row.date_text}", row.source_url)],
            )
        )
    return lines or [
        Line(
            f"No ban, moratorium or oversight ordinance for {jurisdiction} is in our policy "
            "table, which is incomplete: check the local code.",
            [table_cite()],
        )
    ]


def _product(product) -> str:
    """'IDEMIA (product not named)' reads 'IDEMIA' in a question; the products section says the rest."""
    text = str(product).replace(" (product not named)", "")
    return "an unnamed product" if "(vendor not named)" in text else text


def _who(found: list[tuple[tuple[str, str], list[int]]]) -> tuple[str, bool]:
    """A question's subject and whether it is plural: up to three agencies by name with their products, more by
    count (the products section names them all)."""
    agencies = sorted({agency for (agency, _), _ in found})
    if len(agencies) > 3:
        return f"{len(agencies)} agencies here (named under Products and vendors)", True
    return join_words(f"{agency} ({_product(product)})" for (agency, product), _ in found), len(found) > 1


def questions(brief, evidence, policies, table_cite, today: date | None = None, shared=None) -> list[Line]:
    """Questions that the gaps in the record raise. Each is a question, never a verdict."""
    out = []
    unbought, ended, contested, stale = [], [], [], []
    for (agency, product), rows in evidence.groupby(["agency_name", "product"], dropna=False, sort=True):
        cites = _cites(brief, rows)
        kinds = set(rows["kind"])
        if kinds & {"used", "trialled"} and "procured" not in kinds:
            unbought.append(((agency, product), cites))
        if "ended" in kinds:
            ended.append(((agency, product), cites))
        if rows["contested"].any():
            contested.append(((agency, product), cites))
        if "ended" not in kinds and is_stale(rows["last_documented"].max(), today):
            stale.append(((agency, product), cites))
    for found, verb, question in (
        (
            unbought,
            ("shows", "show"),
            "use or a trial with no procurement record here: was there a contract, a free trial, or "
            "access through another agency's system, and who approved it?",
        ),
        (ended, ("reports", "report"), "that use ended: when, and what happened to the searches and images?"),
        (
            contested,
            ("denies", "deny"),
            "what other evidence reports: can the agency release the records that settle it?",
        ),
        (
            stale,
            ("has", "have"),
            "no public record in the last five years: are they still in use, and under which contract?",
        ),
    ):
        if found:
            subject, many = _who(found)
            out.append(Line(f"{subject} {verb[many]} {question}", [n for _, cites in found for n in cites]))
    procured = evidence[evidence["kind"] == "procured"]
    unpriced = sorted(set(procured.loc[procured["amount"].isna(), "product"].dropna()))
    if unpriced:
        out.append(
            Line(
                f"The record of {join_words(unpriced)} states no amount: what was paid, by whom, from which budget, "
                "and for how long?",
                _cites(brief, procured[procured["amount"].isna()]),
            )
        )
    for system, rows in _systems(evidence, shared):
        out.append(
            Line(
                f"{plural(rows['agency_name'].nunique(), 'agency', 'agencies')} here appear through the {system}: "
                "who can search it, under which agreement, and is that access still active?",
                _cites(brief, rows),
            )
        )
    if len(evidence):
        every = _cites(brief, evidence)
        out.append(
            Line("How many facial-recognition searches were run each year, by whom, and were any audited?", every)
        )
        if not any(str(s).lower().startswith(("ban", "moratorium")) for s in policies.get("stance", [])):
            out.append(
                Line(
                    "Is there a published use policy for facial recognition? None is in the record here.",
                    every[:3] + [table_cite()],
                )
            )
    else:
        out.append(
            Line(
                "Has any agency here used, tried or bought facial recognition, or searched another agency's system? "
                "No public evidence was found; a records request to each agency is how to find out.",
                [_atlas_cite(brief), table_cite()],
            )
        )
    return out


def _systems(evidence: pd.DataFrame, shared: pd.DataFrame | None) -> list[tuple[str, pd.DataFrame]]:
    """(system, rows) for each shared document whose rows name one system, such as Pinellas County's FACES."""
    out = []
    for url, rows in evidence.groupby("source_url", sort=True):
        summaries = rows["summary"]
        if shared is not None and url in set(shared["source_url"]):
            summaries = shared.loc[shared["source_url"] == url, "summaries"].iloc[0]
        if len(rows) >= MANY_ROWS and (system := named_system(summaries)):
            out.append((system, rows))
    return out


def brief_for(place: Place, today: date | None = None) -> Brief:
    """The brief of a city, county or state from the database: what the Brief page shows and downloads, and what
    `python -m ingest brief` writes."""
    from dashboard import queries

    level, name, state = place.level, place.name, place.state
    evidence = queries.jurisdiction_evidence(level, name, state)
    ids = evidence["agency_id"].unique().tolist()
    return build_brief(
        place.label,
        evidence,
        queries.jurisdiction_policies(level, name, state),
        queries.source("fr_bans_iff"),
        today,
        flags=queries.flags_for(ids),
        requests=queries.jurisdiction_requests(level, name, state),
        coverage=queries.jurisdiction_coverage(level, name, state),
        coverage_sources=[queries.source("fbi_cde_agencies"), queries.source("atlas_2020_full")],
        shared=queries.shared_documents_for(ids, MANY_ROWS),
    )


def _cite_marks(line: Line) -> str:
    return " ".join(f"[{n}]" for n in line.cites)


def _items(title: str, lines: list[Line], render) -> list[str]:
    if title in NUMBERED:
        return [f"{n}. {render(line.text)} {_cite_marks(line)}" for n, line in enumerate(lines, start=1)]
    return [f"- {render(line.text)} {_cite_marks(line)}" for line in lines]


def brief_markdown(brief: Brief) -> str:
    """The brief as Markdown, for the page and for `ingest brief --format md`. Every line carries record text
    (names, summaries, titles, caveats), so each is escaped whole; a source's URL becomes a link only when it is
    http(s)."""
    from dashboard.ui import link, md  # the page's one escaping helper; the PDF below needs no Streamlit

    parts = [f"## {md(brief.title)}", f"Generated {_day(brief.generated)} from the Who's Watching database."]
    for title, lines in brief.sections:
        parts += ["", f"### {md(title)}", ""]
        parts += _items(title, lines, md)
    parts += ["", "### Sources", ""]
    parts += [f"{c.number}. {md(c.text)}: {link(c.url, c.url)}" for c in brief.citations]
    return "\n".join(parts) + "\n"


def brief_pdf(brief: Brief, vector_map: tuple[dict, list] | None = None) -> bytes:
    """The brief as a PDF, with its map drawn in the page (vector_map: county shapes and (lon, lat, status) points,
    as brief_pdf_file gives)."""
    doc = Document(brief.title, footer=f"Who's Watching · {brief.jurisdiction} · {brief.generated:%Y-%m-%d}")
    doc.heading(brief.title, 14)
    doc.paragraph(
        f"Generated {_day(brief.generated)}. Every line cites its sources by number; "
        "the numbers are listed at the end.",
        size=8.5,
    )
    if vector_map and (vector_map[0].get("features") or vector_map[1]):
        pdfmap.draw(doc, *vector_map, width=110, height=MAP_HEIGHT_MM)
    for title, lines in brief.sections:
        doc.heading(title, 11)
        for item in _items(title, lines, str):
            doc.paragraph("•" + item[1:] if item.startswith("- ") else item, size=8.5, gap=0.8)
    doc.heading("Sources", 11)
    for c in brief.citations:
        doc.paragraph(f"[{c.number}] {c.text}. {_present(c.url)}", size=7, gap=0.3, link=_present(c.url))
    return doc.bytes()


def brief_map(place: Place) -> tuple[dict, list[tuple[float, float, str]]]:
    """The jurisdiction's county shapes and its agencies' dots, as the page's map draws them (charts)."""
    from dashboard import charts, queries

    evidence = queries.jurisdiction_evidence(place.level, place.name, place.state)
    counties = charts.jurisdiction_counties(place.level, place.name, evidence)
    shapes = charts.counties_of(queries.fips_prefixes(place.state, counties))
    placed = evidence.dropna(subset=["latitude", "longitude"]).drop_duplicates("agency_id")
    return shapes, list(zip(placed["longitude"], placed["latitude"], placed["status"]))


def brief_pdf_file(place: Place, brief: Brief) -> bytes:
    """The PDF with the jurisdiction's map, as the Brief page's download button and `ingest brief` make it:
    read afresh from the database, so a button holding this function keeps no page's tables."""
    return brief_pdf(brief, vector_map=brief_map(place))
