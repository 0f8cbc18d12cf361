"""What a piece of evidence says happened, and the ladder that turns evidence into a claim status.

Kinds come from the source's own words, sentence by sentence: a sentence that names another
vendor and not this one says nothing about this vendor ("It also subscribed to Clearview AI ...
but then ceased using the software" is not evidence that DataWorks use ended).
"""
from __future__ import annotations

import re

# Checked in this order; the first kind whose pattern appears in an in-scope sentence wins.
KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("denied", re.compile(r"\b(denied|denies) (ever )?(using|use|having used)|\bnever used\b|\bdid not use\b", re.I)),
    ("ended", re.compile(r"\b(ceased|stopped|discontinued|ended|suspended) (its |the )?(use|using)\b|"
                         r"\bno longer (uses?|using|has access)\b|\bpreviously\b[^.]{0,40}\bused\b", re.I)),
    # Verbs of buying only: "driver's license photos" and "a confidentiality agreement" are not purchases.
    ("procured", re.compile(r"\b(signed|awarded|renewed) (a |an |the )?(\S+ )?(contract|agreement)|\bcontract(ed)? with\b|"
                            r"\b(purchased|paid|spent|bought|acquired|subscribed)\b|\bentered (into )?an agreement\b", re.I)),
    ("trialled", re.compile(r"\b(free trial|trial|trialed|trialled|pilot|piloted|pilot program|tested|testing)\b", re.I)),
)
LADDER = ("procured", "used", "trialled", "ended", "denied", "unconfirmed")
DEFINITIONS = {
    "procured": "A contract, purchase order or payment for the product is on record.",
    "used": "A cited public source reports that the agency used or had access to the product.",
    "trialled": "A cited source reports a free trial, pilot or test, and nothing stronger.",
    "ended": "The latest dated evidence says the agency stopped using it.",
    "denied": "The agency says it never used it, and no other evidence says it did.",
    "banned": "A local or state policy prohibits it (shown from the policy table, beside the agency).",
    "unconfirmed": "A single weak source (a leak, an unverified list) and nothing else.",
}
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“])")


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.split(" ".join(text.split())) if s]


def mentions(sentence: str, names: list[str]) -> bool:
    low = sentence.lower()
    return any(n and re.search(r"\b" + re.escape(n.lower()) + r"\b", low) for n in names)


def kind_from_summary(summary: str | None, vendor_names: list[str], other_vendor_names: list[str]) -> tuple[str, str]:
    """Return (kind, reason) for one vendor's evidence in an Atlas-style summary."""
    if not summary or not summary.strip():
        return "used", "listed by the source with no summary; reported as use"
    in_scope = [
        s for s in sentences(summary)
        if mentions(s, vendor_names) or not mentions(s, other_vendor_names)
    ]
    for kind, pattern in KIND_RULES:
        for s in in_scope:
            hit = pattern.search(s)
            if hit:
                return kind, f"summary says {hit.group(0)!r}: \u201c{s.strip()}\u201d"
    return "used", "summary reports use or access with no trial, purchase or end"
