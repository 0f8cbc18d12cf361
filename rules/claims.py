"""What a piece of evidence says happened, and the ladder that turns evidence into a claim status.

Kinds come from the source's own words, sentence by sentence, and only from the words: a summary with no
words of use, access, purchase, trial or plan says only that the source lists the agency (`listed`), never
that the agency used the product. A sentence that names another vendor and not this one says nothing about
this vendor ("It also subscribed to Clearview AI ... but then ceased using the software" is not evidence that
DataWorks use ended); where the summary names this vendor, only the sentences that name it speak for it (the
Ohio BCI "operates a massive face recognition system" and "is pursuing a $21.4 million upgrade through the
vendor NEC": the NEC claim is a plan).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rules import literals

FACE = r"(face|facial) (recognition|analysis)"

# Checked in this order; the first kind whose pattern appears in an in-scope sentence wins. A trial is checked
# before use because "used it during a free trial" is a trial; a plan only when nothing stronger is said.
KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("denied", re.compile(r"\b(denied|denies) (ever )?(using|use|having used)|\bnever used\b|\bdid not use\b", re.I)),
    (
        "ended",
        re.compile(
            r"\b(ceased|stopped|discontinued|ended|suspended) (its |the )?(use|using)\b|"
            r"\bno longer (uses?|using|has access)\b|\bpreviously\b[^.]{0,40}\bused\b",
            re.I,
        ),
    ),
    # Verbs of buying only: "driver's license photos" and "a confidentiality agreement" are not purchases.
    (
        "procured",
        re.compile(
            r"\b(signed|awarded|renewed) (a |an |the )?(\S+ )?(contract|agreement)|\bcontract(ed)? with\b|"
            r"\b(purchased|paid|spent|bought|acquired|subscribed)\b|\bentered (into )?an agreement\b|"
            r"\bpaying customer\b|\bat (an? )?(initial |annual |total )?cost of\b",
            re.I,
        ),
    ),
    (
        "trialled",
        re.compile(r"\b(free trial|trial|trialed|trialled|pilot|piloted|pilot program|tested|testing)\b", re.I),
    ),
    # Words of use or access by the agency itself. Not "shares images with", "responds to requests", "offers
    # access to" others, nor an infinitive or a capability ("to access", "can run"): those are checked apart.
    (
        "used",
        re.compile(
            r"\b(uses|used|using|utilizes|utilized|deployed|deploys|uploaded|connects|manages|managed)\b|"
            r"\b(applies|applied) " + FACE + r"\b|\b(confirmed|acknowledged|admitted) (its |the )?use\b|"
            r"\b(has|had) (direct )?access\b|\bwith access to\b|\baccess(es|ed)\b|\baccess the\b|"
            r"\b(has|have|had) (run|conducted)\b|\bconducted\b[^.]{0,40}\b(searches|scans|queries)\b|"
            r"\b(ran|runs?)\b[^.]{0,30}\b(searches|scans|queries|through " + FACE + r")\b|"
            r"\b(runs|ran|operates|operated|maintains|maintained) (the|a|an|its)\b|"
            r"\b(has|had) (a|an|its own) [^.]{0,30}" + FACE + r" (system|program|database)\b|"
            r"\bshar(e|es|ed|ing) (a|the) " + FACE + r" (database|system)\b|"
            r"\bincluded \W?(a|an) " + FACE + r" system\b",
            re.I,
        ),
    ),
    (
        "planned",
        re.compile(
            r"\b(budget|budgets|budgeted|proposed|proposes|proposal|approved|sought|seeks|seeking|"
            r"pursues|pursuing|plans to|planned to|planning to|intends to|intended to|"
            r"will (buy|purchase|acquire|install|deploy)|to be (bought|purchased|installed)|"
            r"requires?\b[^.]{0,60}\bto install)\b",
            re.I,
        ),
    ),
)


@dataclass(frozen=True)
class Status:
    """One step of the status ladder: its name, what it means, and its colour on the map and in a badge."""

    name: str
    definition: str
    map_colour: str  # plotly colour of the agency's marker
    badge_colour: str  # Streamlit Markdown colour of its badge


# The one list of statuses, strongest first: a status's rank is its place here (1 is the strongest). The ladder
# rule that picks a claim's status is the CASE in views.claims (ingest/schema/views.sql); banned is shown from
# the policy table, beside an agency, and is never a claim's status.
STATUSES: tuple[Status, ...] = (
    Status("procured", "A contract, purchase order or payment for the product is on record.", "#b2182b", "red"),
    Status(
        "used",
        "A cited public source reports that the agency used or had access to the product.",
        "#ef8a62",
        "orange",
    ),
    Status(
        "trialled", "A cited source reports a free trial, pilot or test, and nothing stronger.", "#f4a582", "orange"
    ),
    Status(
        "planned",
        "A cited source says the product was budgeted, proposed, approved, sought or to be bought, "
        "and nothing stronger.",
        "#e6c3a8",
        "gray",
    ),
    Status(
        "listed",
        "A cited source lists the agency for face recognition, but its text states no use, access, purchase, "
        "trial or plan.",
        "#c9a9a6",
        "gray",
    ),
    Status("ended", "The latest dated evidence says the agency stopped using it.", "#762a83", "violet"),
    Status("denied", "The agency says it never used it, and no other evidence says it did.", "#4d4d4d", "gray"),
    Status("unconfirmed", "A single weak source (a leak, an unverified list) and nothing else.", "#bababa", "gray"),
    Status(
        "banned",
        "A local or state policy prohibits it (shown from the policy table, beside the agency).",
        "#2166ac",
        "blue",
    ),
)
BY_NAME = {s.name: s for s in STATUSES}
# The statuses a claim can have (all but banned), strongest first.
LADDER = tuple(s.name for s in STATUSES if s.name != "banned")
DEFINITIONS = {s.name: s.definition for s in STATUSES}


NO_WORDS = "the source lists the agency for face recognition; its text states no use, access, purchase, trial or plan"
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“])")
# A word of use whose subject is someone else's capability or intent is not the agency's use: "to access its
# database", "can also access the database", "were able to access the system", "does not allow ... to use".
NOT_DONE = re.compile(r"\b(to|can|could|may|might|able to|not|never)( \w+)?( \w+)?\s*$", re.I)
# A sentence about what other agencies do ("However, some local law enforcement agencies can ...",
# "A variety of federal agencies also have access") says nothing about this agency's own use.
OTHERS = re.compile(
    r"^(however, |but )?(some|other|many|several|various|hundreds of|a variety of)\b[^.]{0,60}"
    r"\b(agencies|entities|agents)\b",
    re.I,
)


# A full stop after these is not the end of a sentence ("The St. Lucie County Sheriff's Office", "Pres. Trump").
ABBREVIATION = re.compile(
    r"\b(St|Ste|Ft|Mt|Pres|Gov|Sen|Rep|Dr|Mr|Mrs|Ms|Jr|Sr|Lt|Sgt|No|Co|Corp|Dept|Jan|Feb|Aug|"
    r"Sept|Oct|Nov|Dec|U\.S|[A-Z])\.$"
)


def sentences(text: str) -> list[str]:
    out: list[str] = []
    text = " ".join(text.split())  # every run of spaces (str.isspace, as SENTENCE's \s) is now one " "
    # SENTENCE splits only after ". ", "! " or "? ": text without them is one piece, found without the regex.
    pieces = SENTENCE.split(text) if ". " in text or "! " in text or "? " in text else [text]
    for piece in pieces:
        if out and ABBREVIATION.search(out[-1]):
            out[-1] += " " + piece
        elif piece:
            out.append(piece)
    return out


def mentions(sentence: str, names: list[str]) -> bool:
    pattern = _any_of(tuple(names))
    return pattern is not None and pattern.search(sentence.lower()) is not None


@functools.lru_cache(maxsize=512)
def _any_of(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for a list of names in lower case (read against lower-cased text: faster than re.I), whole
    words: a build asks about the same few lists a million times (each vendor's names, and every other vendor's)."""
    words = sorted({n.lower() for n in names if n}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b") if words else None


def in_scope(summary: str, vendor_names: list[str], other_vendor_names: list[str]) -> list[str]:
    """The sentences that speak for this vendor: those that name it, if any do; else those naming no other vendor."""
    all_sentences = sentences(summary)
    naming = [s for s in all_sentences if mentions(s, vendor_names)]
    return naming or [s for s in all_sentences if not mentions(s, other_vendor_names)]


def _lower_case_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The same pattern without re.I, to read lower-cased text: on ASCII text it finds the same matches at the same
    places (lower-casing ASCII keeps every character's place, word-ness and class) at about twice the speed,
    and a million summaries are read in a build. None when the pattern names a capital letter, which
    lower-cased text never holds."""
    if re.search(r"(?<!\\)[A-Z]", pattern.pattern):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.I)


LOWER_CASE_TWINS = {kind: _lower_case_twin(pattern) for kind, pattern in KIND_RULES}
# For each kind, words one of which lower-cased ASCII text must hold for its pattern to match (rules/literals.py):
# most sentences hold none of a kind's words, and are passed over without running its pattern.
NEEDED_WORDS = {kind: literals.needed_words(pattern) for kind, pattern in KIND_RULES}


def _hit(kind: str, pattern: re.Pattern[str], sentence: str, lowered: str | None = None) -> str | None:
    """The words of the first match of `pattern` in the sentence that counts for this kind; `lowered` is the
    sentence lower-cased when it is ASCII (read by the pattern's lower-case twin), else None."""
    twin = LOWER_CASE_TWINS[kind] if lowered is not None else None
    words = NEEDED_WORDS[kind] if lowered is not None else None
    if words is not None:
        for word in words:  # a loop, not any(): a generator costs more than the look-ups themselves
            if word in lowered:
                break
        else:
            return None
    for hit in twin.finditer(lowered) if twin is not None else pattern.finditer(sentence):
        if kind == "used" and (OTHERS.search(sentence) or NOT_DONE.search(sentence[: hit.start()])):
            continue
        return sentence[hit.start() : hit.end()]
    return None


OTHER_WORD = (
    "the source's Vendor field names this vendor, but its summary names another vendor and not this one: the "
    "field is the source's other word, and the summary's vendor has a claim of its own"
)


def kind_from_summary(summary: str | None, vendor_names: list[str], other_vendor_names: list[str]) -> tuple[str, str]:
    """Return (kind, reason) for one vendor's evidence in an Atlas-style summary.

    The reason quotes the words that set the kind, or says that no words did (`listed`)."""
    if not summary or not summary.strip():
        return (
            "listed",
            "the source lists the agency for face recognition with no summary; it states no use, "
            "access, purchase, trial or plan",
        )
    scope = in_scope(summary, vendor_names, other_vendor_names)
    if not scope:  # every sentence names another vendor and none names this one
        return "listed", OTHER_WORD
    lowered = [s.lower() if s.isascii() else None for s in scope]
    for kind, pattern in KIND_RULES:
        for s, low in zip(scope, lowered):
            hit = _hit(kind, pattern, s, low)
            if hit is not None:
                return kind, f"summary says {hit!r}: \u201c{s.strip()}\u201d"
    return "listed", NO_WORDS


# A sentence about face recognition ("subscribed to Clearview AI's face recognition system"); a vendor named
# elsewhere (Vigilant's licence-plate readers in a summary about another product) is not evidence of face recognition.
ABOUT_FACES = re.compile(r"\b(face|facial)[ -](recognition|analysis|search|identification)\b", re.I)


class VendorNames:
    """Every catalog vendor's names as one pattern, built once per build: a summary is read in one pass per sentence.
    Names are matched as companies are written: case as given, whole words ("Aware" the company, not "aware"),
    the longest name first ("NEC Corporation" before "NEC")."""

    def __init__(self, names: dict[str, list[str]]):
        self.vendor_of = {}
        for vendor_id, vendor_names in names.items():
            for name in vendor_names:
                if name:
                    self.vendor_of.setdefault(name, vendor_id)
        # The names grouped by first character, longest first within each group: at any place only the group of
        # that character can match, and it tries its names in the same order as one list longest first would,
        # so the match is the same, found without trying every name at every character.
        by_first: dict[str, list[str]] = {}
        for name in sorted(self.vendor_of, key=len, reverse=True):
            by_first.setdefault(name[0], []).append(name)
        alternatives = "|".join(
            re.escape(first) + "(?:" + "|".join(re.escape(n[1:]) for n in group) + ")"
            for first, group in by_first.items()
        )
        self.pattern = re.compile(r"(?<![\w.])(?:" + alternatives + r")(?!\w)") if alternatives else None

    def named_in(self, sentence: str) -> list[str]:
        """The vendors a sentence names, in order of mention."""
        if self.pattern is None:
            return []
        return list(dict.fromkeys(self.vendor_of[m.group(0)] for m in self.pattern.finditer(sentence)))


def summary_vendors(summary: str | None, field_vendors: list[str], names: VendorNames) -> list[str]:
    """The vendors a summary names that its Vendor field does not, in order of first mention, each of which gets
    a claim of its own read from the sentences that name it ("It also subscribed to Clearview AI's face
    recognition system in 2019, but then ceased using the software": a Clearview claim, ended).

    A vendor counts when it is named in a sentence about face recognition, or beside a vendor of the Vendor field
    ("The JNET uses Cognitec, NEC, and MorphoTrust algorithms")."""
    if not set(names.named_in(summary or "")) - set(field_vendors):  # most summaries: read once, no sentences
        return []
    found: list[str] = []
    for sentence in sentences(summary or ""):
        named = names.named_in(sentence)
        if not named or not (ABOUT_FACES.search(sentence) or set(named) & set(field_vendors)):
            continue
        found += [v for v in named if v not in field_vendors and v not in found]
    return found
