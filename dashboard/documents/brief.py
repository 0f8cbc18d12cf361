"""A one-or-two-page hearing brief for a city, county or state: products, contracts and spend,
trials, policy status, and questions for the hearing, every line with a numbered citation.

The brief is data first (Brief -> sections -> lines, each line citing numbers in `citations`), so
that the page, the PDF and the tests all read the same thing and every citation can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard.documents.pdf import Document
from rules.documented import MANY_ROWS, named_system, status_with_date


@dataclass
class Citation:
    number: int
    kind: str  # evidence | policy | source
    ref: str  # evidence_id, policy_id or source_id
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


def _evidence_cite(brief: Brief, row) -> int:
    name = row.source_name if isinstance(row.source_name, str) and row.source_name else row.source
    label = f"{name}, {_when(row.event_date)} ({row.source}; raw record {row.raw_record_id})"
    return brief.cite("evidence", row.evidence_id, label, row.source_url)


def shared_document_lines(brief: Brief, evidence: pd.DataFrame) -> list[Line]:
    """One line per document that stands behind many evidence rows here, naming the system its rows describe:
    246 Florida rows rest on one 2013 presentation about the Pinellas County FACES system, which is one source."""
    lines = []
    for _url, rows in evidence.groupby("source_url", sort=True):
        if len(rows) < MANY_ROWS:
            continue
        first = rows.sort_values("event_date", na_position="last").iloc[0]
        name = first.source_name if isinstance(first.source_name, str) and first.source_name else first.source
        system = named_system(rows["summary"])
        about = f", about the {system}" if system else ""
        lines.append(
            Line(
                f"{len(rows)} of these evidence rows ({rows['agency_name'].nunique()} agencies) rest on one document: "
                f"{name}, {_when(first.event_date)}{about}. It is one source, not {len(rows)}.",
                [_evidence_cite(brief, first)],
            )
        )
    return lines


def _request_cite(brief: Brief, request_id: str, url: str) -> int:
    return brief.cite("request", request_id, f"Records request {request_id} (MuckRock)", url)


def _present(value) -> str:
    return value if isinstance(value, str) and value else ""


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
) -> Brief:
    brief = Brief(f"Facial recognition in {jurisdiction}: the public record", jurisdiction, today or date.today())

    agencies = evidence["agency_name"].nunique() if len(evidence) else 0
    summary = [
        Line(
            f"{agencies} agencies in {jurisdiction} have public evidence of facial-recognition use "
            f"({len(evidence)} evidence rows). Absence from this list means no evidence was found, "
            "not that no agency uses it.",
            sorted({_evidence_cite(brief, r) for r in evidence.itertuples()})[:6],
        )
    ]
    if coverage:
        asked = sum(n for status, n in coverage.items() if status.startswith("asked"))
        summary.append(
            Line(
                f"Coverage: of the {sum(coverage.values())} agencies in our registry here (the FBI list and agencies "
                f"named by sources), {coverage.get('evidence found', 0)} have evidence; {asked} were asked through a records request with no "
                f"evidence yet; {coverage.get('researched, no face-recognition evidence found', 0)} were researched by "
                f"the Atlas of Surveillance with nothing found; {coverage.get('not researched', 0)} have not been "
                "researched.",
                [brief.cite("source", s["source_id"], s["name"], s["url"]) for s in coverage_sources or ()],
            )
        )
    summary += shared_document_lines(brief, evidence)
    brief.sections.append(("Summary", summary))

    products = []
    for product, rows in evidence.groupby("product", dropna=False, sort=True):
        agencies_here = rows.groupby("agency_name", sort=True).agg(
            status=("status", "first"), contested=("contested", "any"), last_documented=("last_documented", "max")
        )
        names = "; ".join(
            f"{a} ({status_with_date(r.status, r.last_documented)}{', contested' if r.contested else ''})"
            for a, r in agencies_here.iterrows()
        )
        products.append(
            Line(
                f"{product}: {len(agencies_here)} agenc{'y' if len(agencies_here) == 1 else 'ies'}: {names}.",
                [_evidence_cite(brief, r) for r in rows.itertuples()],
            )
        )
    brief.sections.append(
        (
            "Products and vendors",
            products
            or [
                Line(
                    "No agency here has evidence of facial-recognition use in this data.",
                    [
                        brief.cite(
                            "source",
                            "atlas_2020",
                            "EFF Atlas of Surveillance (2020 export)",
                            "https://atlasofsurveillance.org/",
                        )
                    ],
                )
            ],
        )
    )

    spend = []
    for row in evidence[evidence["kind"] == "procured"].itertuples():
        amount = "" if pd.isna(row.amount) else f" ${row.amount:,.0f};"
        spend.append(
            Line(
                f"{row.agency_name}, {row.product}:{amount} {row.date_label} {_when(row.event_date)}. "
                f"{_short(row.summary, 160)}",
                [_evidence_cite(brief, row)],
            )
        )
    if spend:
        brief.sections.append(("Contracts and spend", spend))

    trials = [
        Line(f"{row.agency_name}, {row.product}: {_short(row.summary, 160)}", [_evidence_cite(brief, row)])
        for row in evidence[evidence["kind"] == "trialled"].itertuples()
    ]
    if trials:
        brief.sections.append(("Trials and pilots", trials))

    policy_lines = []
    for row in policies.itertuples():
        caveat = f" Caveat: {row.caveat}" if isinstance(row.caveat, str) and row.caveat else ""
        policy_lines.append(
            Line(
                f"{row.jurisdiction}: {row.stance} ({row.date_text}).{caveat}",
                [brief.cite("policy", row.policy_id, f"{row.jurisdiction}, {row.date_text}", row.source_url)],
            )
        )

    def table_cite() -> int:  # cited only where a line rests on the policy table's silence
        return brief.cite("source", policy_source["source_id"], policy_source["name"], policy_source["url"])

    if not policy_lines:
        policy_lines.append(
            Line(
                f"No ban, moratorium or oversight ordinance for {jurisdiction} is in our policy "
                "table, which is incomplete: check the local code.",
                [table_cite()],
            )
        )
    brief.sections.append(("Policy status", policy_lines))

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

    asked = questions(brief, evidence, policies, table_cite)
    # Policy against practice and records requests against evidence (views.flags), each cited on both sides.
    by_id = {r.evidence_id: r for r in evidence.itertuples()}
    for flag in (flags if flags is not None else pd.DataFrame()).itertuples():
        if flag.flag != "no_procurement" and flag.evidence_id in by_id:
            cites = [_evidence_cite(brief, by_id[flag.evidence_id])]
            cites += [brief.cite("policy", flag.policy_id, "the policy", flag.policy_url)] if flag.policy_id else []
            cites += [_request_cite(brief, flag.request_id, flag.request_url)] if _present(flag.request_id) else []
            asked.insert(0, Line(flag.question, cites))
    brief.sections.append(("Questions for the hearing", asked))
    return brief


def questions(brief: Brief, evidence: pd.DataFrame, policies: pd.DataFrame, table_cite) -> list[Line]:
    """Questions that the gaps in the record raise. Each is a question, never a verdict."""
    out = []
    unbought, ended, contested = [], [], []
    for (agency, product), rows in evidence.groupby(["agency_name", "product"], dropna=False, sort=True):
        cites = [_evidence_cite(brief, r) for r in rows.itertuples()]
        kinds = set(rows["kind"])
        if kinds & {"used", "trialled"} and "procured" not in kinds:
            unbought.append((f"{agency} ({product})", cites))
        if "ended" in kinds:
            ended.append((f"{agency} ({product})", cites))
        if rows["contested"].any():
            contested.append((f"{agency} ({product})", cites))
    for found, question in (
        (
            unbought,
            "show use or a trial with no procurement record here: was there a contract, a free trial, or "
            "access through another agency's system, and who approved it?",
        ),
        (ended, "report that use ended: when, and what happened to the searches and images?"),
        (contested, "deny what other evidence reports: can the agency release the records that settle it?"),
    ):
        if found:
            out.append(
                Line(
                    f"{'; '.join(name for name, _ in found)} {question}",
                    sorted({n for _, cites in found for n in cites}),
                )
            )
    if len(evidence):
        every = sorted({_evidence_cite(brief, r) for r in evidence.itertuples()})[:6]
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
    return out


def _short(text, limit: int = 220) -> str:
    text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def brief_markdown(brief: Brief) -> str:
    """The brief for the page. Every line carries record text (names, summaries, titles, caveats), so each is
    escaped whole; a source's URL becomes a link only when it is http(s)."""
    from dashboard.ui import link, md  # the page's one escaping helper; the PDF below needs no Streamlit

    parts = [f"## {md(brief.title)}", f"Generated {brief.generated:%B %d, %Y} from the Who's Watching database."]
    for title, lines in brief.sections:
        parts.append(f"### {md(title)}")
        parts += [f"- {md(line.text)} " + " ".join(f"[{n}]" for n in line.cites) for line in lines]
    parts.append("### Sources")
    parts += [f"{c.number}. {md(c.text)}: {link(c.url, c.url)}" for c in brief.citations]
    return "\n".join(parts)


def brief_pdf(brief: Brief, map_png: bytes | None = None) -> bytes:
    doc = Document(brief.title, footer=f"Who's Watching · {brief.jurisdiction} · {brief.generated:%Y-%m-%d}")
    doc.heading(brief.title, 14)
    doc.paragraph(
        f"Generated {brief.generated:%B %d, %Y}. Every line cites its sources by number; "
        "the numbers are listed at the end.",
        size=8.5,
    )
    if map_png:
        import io

        doc.image(io.BytesIO(map_png), w=110, x=(doc.w - 110) / 2)
        doc.ln(2)
    for title, lines in brief.sections:
        doc.heading(title, 11)
        for line in lines:
            doc.paragraph("• " + line.text + " " + " ".join(f"[{n}]" for n in line.cites), size=8.5, gap=0.8)
    doc.heading("Sources", 11)
    for c in brief.citations:
        doc.paragraph(f"[{c.number}] {c.text}. {_present(c.url)}", size=7, gap=0.3, link=_present(c.url))
    return doc.bytes()
