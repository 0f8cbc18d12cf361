"""An agency's public contact details for a records request, with nobody's personal data in them.

An agency's records office, mailing address and role addresses (records@, foia@, pio@) are public contact
information a letter needs. A person's own address is not: MuckRock's 2017 agency list often gives a clerk's
or an officer's email (kate.silvia@..., LornaSalomon@...). The rule is strict, so that it errs by leaving a
generic address out, never by showing a person's: an email is used only when every word of its local part is
a word of an office or role (ROLE_WORDS), a number, or a word of the agency's own name or of the email's
domain. Anything else ("ddavis", "kate.silvia") is withheld, and the letter says where to look instead.
"""

from __future__ import annotations

import re

from rules.redact import EMAIL, PHONE

# Words of offices and roles that name no one. Greedy segmentation reads "publicrecords" as public + records.
ROLE_WORDS = frozenset(
    """
    records record public open request requests foia foi foil opra pra cpra ora kora sunshine transparency
    info information contact contactus inquiry inquiries question questions help service services support
    clerk clerks office offices pio media press communications communication news relations community affairs
    legal counsel attorney attorneys law compliance custodian admin administration administrative assist assistant
    police sheriff sheriffs pd so dept department division bureau unit section agency department's
    chief director directors commissioner commission board manager managers secretary executive
    city county town township village borough state district parish municipal government gov
    fire rescue safety emergency management corrections jail detention court courts prosecutor prosecutors
    da sao general main mail email webmaster web hr finance procurement purchasing audit auditor
    investigations internal affairs professional standards training operations headquarters hq
    """.split()
)
BUILDING_WORDS = ROLE_WORDS | frozenset(
    """
    center centre building hall plaza tower complex courthouse annex floor suite room street st avenue ave road rd
    boulevard blvd drive dr way lane ln place pl court ct highway hwy parkway pkwy box po p.o. of the and
    airport international station justice government headquarters attn attention c/o
    """.split()
)
_WORD = re.compile(r"[a-z]+")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff]")  # zero-width characters pasted into addresses
_ATTN = re.compile(r"^\s*(?:attn|attention|c/o)\b", re.I)
ZIP_LINE = re.compile(r"\b([A-Za-z][A-Za-z .]*?)\.?,?\s+(\d{5})(?:-\d{4})?\s*$")


def _segments(word: str, vocabulary: frozenset[str] | set[str]) -> bool:
    """Whether `word` is made only of vocabulary words, joined without spaces ("publicrecords")."""
    ok = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        ok[end] = any(ok[start] and word[start:end] in vocabulary for start in range(max(0, end - 20), end))
    return ok[-1]


def role_email(email: str | None, agency_name: str = "") -> str | None:
    """The email, lower-cased, if it names an office rather than a person (records@, foia@, pio@, 311@,
    publicrecords@, contact.miamidade@ for an agency named Miami-Dade); None for a person's address or for
    anything that is not one email address."""
    email = (email or "").strip()
    if not EMAIL.fullmatch(email):
        return None
    local, domain = email.lower().split("@", 1)
    own = set(_WORD.findall(agency_name.lower())) | set(_WORD.findall(domain))
    vocabulary = ROLE_WORDS | {w for w in own if len(w) >= 3}
    words = [w for w in re.split(r"[^a-z0-9]+", local) if w]
    if not words:
        return None
    return email.lower() if all(w.isdigit() or _segments(w, vocabulary) for w in words) else None


def _names_no_one(line: str, agency_name: str) -> bool:
    """A line of capitalised words with no number and no word of a place, office or building may be a person's
    name ("Lorna Salomon"): such a line is left out."""
    if any(ch.isdigit() for ch in line):
        return True
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'.]*", line)]
    own = set(_WORD.findall(agency_name.lower()))
    return any(w.strip(".'") in BUILDING_WORDS or w.strip(".'") in own for w in words)


def _plain(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def mailing_address(text: str | None, agency_name: str = "") -> str | None:
    """The address as lines, without phone numbers, emails or lines that may name a person; None unless it
    still ends in a line with a ZIP code (an address a letter can go to)."""
    text = _INVISIBLE.sub("", text or "")
    lines = [" ".join(part.split()) for part in re.split(r"[\r\n]+", text)]
    kept = []
    for line in lines:
        if not line or EMAIL.search(line) or PHONE.search(line):
            continue
        if _ATTN.match(line) and not _names_no_one(_ATTN.sub("", line), agency_name):
            continue
        if not _names_no_one(line, agency_name) or _plain(line) == _plain(agency_name):
            continue  # a possible name, or the agency's own name, which the letter prints above the address
        kept.append(line)
    return "\n".join(kept) if kept and ZIP_LINE.search(kept[-1]) else None


def address_state(address: str | None, state_names: dict[str, str]) -> str | None:
    """The USPS code an address's last line names before its ZIP code: 'Miami, FL 33128' or
    'Miami, Florida 33128' -> 'FL'. `state_names` maps codes to names."""
    if not address:
        return None
    found = ZIP_LINE.search(address.splitlines()[-1])
    if not found:
        return None
    words = found.group(1).strip(" .,").split()
    by_name = {name.lower(): code for code, name in state_names.items()}
    for size in (3, 2, 1):  # "New York", "District of Columbia", "FL"
        tail = " ".join(words[-size:])
        if tail.upper() in state_names:
            return tail.upper()
        if tail.lower() in by_name:
            return by_name[tail.lower()]
    return None
