"""Is a procurement line or a document facial recognition? Decide from vendor, description and
product terms, and say why. A vendor's name alone is not enough when it sells other things:
Idemia prints driver licences, NEC sells displays, Vigilant sells plate readers, Amazon sells
hosting, "Clearview" is also a glass company, and Thomson Reuters CLEAR is a records database.

Verdicts: yes, no, uncertain. `yes` needs one of: a vendor that sells only facial recognition,
a description that names a facial-recognition product of the vendor, or a description that says
facial recognition in so many words (and does not negate it).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.paths import DATA_DIR

COMPANY_SUFFIXES = {
    "inc",
    "incorporated",
    "llc",
    "l",
    "c",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "lp",
    "llp",
    "plc",
    "gmbh",
    "sa",
    "the",
    "usa",
    "us",
    "of",
    "america",
}
FR_PHRASE = re.compile(
    r"\b(facial|face)[ -](recognition|search|matching|identification|biometrics?|comparison|analysis)\b"
    r"|\bfacial[ -]recog\w*|\bface[ -]?rec\b|\bFRT\b",
    re.I,
)
NEGATION = re.compile(r"\b(no|not|without|excluding|except|exclude[sd]?|never|non)\b[\w\s,-]{0,30}$", re.I)
# Product terms that are ordinary words or other companies' names: they count only beside their vendor.
COMMON_WORDS = {
    "identify",
    "lumen",
    "aegis",
    "traffic jam",
    "widenet",
    "dbscan",
    "mfi",
    "safr",
    "face watch",
    "facesearch",
    "face search",
    "watchlist",
    "watch list",
    "clearview",
    "face plus",
    "smartface",
    "biosurveillance",
    "roc",
    "knomi",
    "onpatrol",
    "veriscan",
    "id.me",
    "briefcam",
    "avigilon face",
}
GENERIC_TERMS = {
    "facial recognition",
    "face recognition",
    "live facial recognition",
    "face match",
    "facial comparison",
    "face identification",
    "biometric boarding",
    "identity verification",
    "identity proofing",
    "video selfie",
    "object recognition",
    "weapon detection",
}
# What a line that is plainly not facial recognition tends to say.
OTHER_LINES = re.compile(
    r"\b(licen[cs]e plates?|plate readers?|a?lpr|driver'?s? licen[cs]es?|id cards?|credentials?|card stock|"
    r"fingerprints?|livescan|afis|display(s)?|monitors?|televisions?|hosting|cloud (services|storage|computing)|"
    r"radios?|body[- ]?(worn )?cameras?|dash ?cams?|window(s)?|glass|cleaning|janitorial|carpet|"
    r"records? database|public records|background checks?|investigative data|telecom\w*|(tele)?phones?|laptops?|"
    r"printers?|toner|office supplies|supplies|furniture|books?)\b",
    re.I,
)


def company(name: str | None) -> str:
    """'CLEARVIEW AI, INC.' -> 'clearview ai'; suffixes and punctuation do not make another company."""
    tokens = re.sub(r"[^a-z0-9]+", " ", (name or "").lower().replace("&", " and ")).split()
    while tokens and tokens[-1] in COMPANY_SUFFIXES:
        tokens.pop()
    while tokens and tokens[0] == "the":
        tokens.pop(0)
    return " ".join(tokens)


def has_term(text: str, term: str) -> bool:
    return re.search(r"(?<![a-z0-9])" + re.escape(term.lower()) + r"(?![a-z0-9])", text) is not None


@dataclass(frozen=True)
class Vendor:
    vendor_id: str
    name: str
    aliases: tuple[str, ...]
    other_lines: tuple[str, ...]


@dataclass(frozen=True)
class Product:
    product_id: str
    vendor_id: str
    name: str
    terms: tuple[str, ...]  # aliases and product terms, lower case


@dataclass
class Verdict:
    is_face_recognition: str  # yes | no | uncertain
    vendor_id: str | None
    product_id: str | None
    reason: str


class Classifier:
    def __init__(self, vendors: list[Vendor], products: list[Product]):
        self.vendors = {v.vendor_id: v for v in vendors}
        self.products = products
        self.by_name: dict[str, str] = {}
        for v in vendors:
            for label in (v.name, *v.aliases):
                self.by_name.setdefault(company(label), v.vendor_id)
        self.first_words = {
            company(label).split()[0]: v.vendor_id for v in vendors for label in (v.name, *v.aliases) if company(label)
        }

    @classmethod
    def from_csv(cls, catalog_dir: Path = DATA_DIR / "catalog") -> Classifier:
        with open(catalog_dir / "vendors.csv", newline="", encoding="utf-8") as fh:
            vendors = [
                Vendor(r["vendor_id"], r["name"], _split(r["aliases"]), _split(r["other_lines"]))
                for r in csv.DictReader(fh)
            ]
        with open(catalog_dir / "products.csv", newline="", encoding="utf-8") as fh:
            products = [
                Product(
                    r["product_id"],
                    r["vendor_id"],
                    r["name"],
                    tuple(t.lower() for t in (*_split(r["aliases"]), *_split(r["product_terms"]))),
                )
                for r in csv.DictReader(fh)
            ]
        return cls(vendors, products)

    @classmethod
    def from_db(cls, con) -> Classifier:
        vendors = [
            Vendor(v, n, tuple(a or ()), _split(o))
            for v, n, a, o in con.execute(
                "SELECT vendor_id, name, aliases, other_lines FROM core.vendors WHERE in_catalog"
            ).fetchall()
        ]
        products = [
            Product(p, v, n, tuple(t.lower() for t in (*(a or ()), *(terms or ()))))
            for p, v, n, a, terms in con.execute(
                "SELECT product_id, vendor_id, name, aliases, product_terms FROM core.products"
            ).fetchall()
        ]
        return cls(vendors, products)

    def vendor_of(self, *labels: str | None) -> str | None:
        for label in labels:
            found = self.by_name.get(company(label))
            if found:
                return found
        return None

    def classify(self, vendor: str | None, description: str | None, *extra_vendor_labels: str | None) -> Verdict:
        text = " ".join((description or "").lower().split())
        vendor_id = self.vendor_of(vendor, *extra_vendor_labels)
        says_fr = _says_face_recognition(text)
        if vendor_id:
            v = self.vendors[vendor_id]
            own = [p for p in self.products if p.vendor_id == vendor_id]
            named = [(p, t) for p in own for t in p.terms if t not in GENERIC_TERMS and has_term(text, t)]
            product_id = named[0][0].product_id if named else (own[0].product_id if len(own) == 1 else None)
            if named:
                return Verdict("yes", vendor_id, product_id, f"{v.name}: description names {named[0][1]!r}")
            if says_fr:
                return Verdict("yes", vendor_id, product_id, f"{v.name}: description says {says_fr!r}")
            other = OTHER_LINES.search(text) or _names_other_line(text, v.other_lines)
            if not v.other_lines:
                if other:
                    return Verdict(
                        "uncertain",
                        vendor_id,
                        product_id,
                        f"{v.name} sells only facial recognition, but the description says {other.group(0)!r}",
                    )
                return Verdict("yes", vendor_id, product_id, f"{v.name} sells only facial recognition (catalog)")
            if other:
                return Verdict(
                    "no",
                    vendor_id,
                    None,
                    f"{v.name} also sells {', '.join(v.other_lines)}; the description says {other.group(0)!r}",
                )
            return Verdict(
                "uncertain",
                vendor_id,
                None,
                f"{v.name} also sells {', '.join(v.other_lines)}; the description names no facial-recognition product",
            )
        strong = [
            (p, t)
            for p in self.products
            for t in p.terms
            if t not in GENERIC_TERMS and t not in COMMON_WORDS and len(t) >= 5 and has_term(text, t)
        ]
        if strong:
            p, t = strong[0]
            return Verdict(
                "yes",
                p.vendor_id,
                p.product_id,
                f"description names {t!r} ({p.name}); vendor {vendor or '(none)'} is not in the catalog",
            )
        if says_fr:
            return Verdict(
                "yes", None, None, f"description says {says_fr!r}; vendor {vendor or '(none)'} is not in the catalog"
            )
        look_alike = self.first_words.get(company(vendor).split()[0]) if company(vendor) else None
        if look_alike:
            return Verdict(
                "no",
                None,
                None,
                f"{vendor!r} is not {self.vendors[look_alike].name}: the names differ "
                "and the description names no facial-recognition product",
            )
        weak = [(p, t) for p in self.products for t in p.terms if t not in GENERIC_TERMS and has_term(text, t)]
        if weak:
            return Verdict(
                "uncertain",
                None,
                None,
                f"description mentions {weak[0][1]!r}, which is also an ordinary "
                f"word or another company's name; vendor {vendor or '(none)'} is not in the catalog",
            )
        return Verdict(
            "no",
            None,
            None,
            f"{vendor or 'the vendor'} is not a facial-recognition vendor in the catalog "
            "and the description names no facial-recognition product",
        )


LINE_FILLER = {
    "systems",
    "system",
    "services",
    "service",
    "software",
    "platform",
    "products",
    "tools",
    "devices",
    "management",
    "solutions",
    "enterprise",
    "mobile",
    "media",
    "video",
    "security",
}


# Words every award line may hold whatever was bought ("SDK license", "annual licences"): in a vendor's other
# line they name that line only together with the word beside them ("license plate").
PURCHASE_WORDS = {"license", "licenses", "licence", "licences", "licensing", "subscription", "subscriptions"}


def _names_other_line(text: str, lines: tuple[str, ...]):
    """A distinctive word of one of the vendor's other lines ('transcription', 'radios') in the text. A word that
    belongs to a look-alike line only as a purchase word counts against a description only when the description
    names that line: "ROC SDK license" buys a licence, not Rank One's "license plate and text recognition"."""
    for line in lines:
        tokens = re.findall(r"[a-z]+", line.lower())
        for i, word in enumerate(tokens):
            if len(word) < 5 or word in LINE_FILLER:
                continue
            if word in PURCHASE_WORDS:
                beside = tokens[i + 1] if i + 1 < len(tokens) else tokens[i - 1] if i else None
                pair = f"{word} {beside}" if i + 1 < len(tokens) else f"{beside} {word}"
                if beside and has_term(text, pair):
                    return re.search(re.escape(pair), text)
                continue
            if has_term(text, word):
                return re.search(re.escape(word), text)
    return None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _says_face_recognition(text: str) -> str | None:
    for hit in FR_PHRASE.finditer(text):
        if not NEGATION.search(text[: hit.start()]):
            return hit.group(0)
    return None
