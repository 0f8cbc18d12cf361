"""Personal data in records (emails, phone numbers, named contacts) is redacted before display.

Every pattern runs in time linear in the text: record text and uploads come from anyone, and one cell of
"a.a.a.…" took the old email pattern 5.75 s per 100,000 characters (quadratic: each start position scanned
the rest of the run looking for an @), which froze the whole server on one upload.
"""

from __future__ import annotations

import re

# RFC 5321 sizes bound each part, so a failed attempt costs at most a few hundred steps wherever it starts:
# a local part of at most 64 characters, a domain of at most 253 (the last label, letters only, at most 63).
EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,252}\.[A-Za-z]{2,63}")
PHONE = re.compile(r"(?<![\w/])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")
# Procurement text names the contracting officer after a role label: "COR/POC: MAURICE LEE,".
# Linear as written: a label is followed by whitespace that no other label shares, and a failed name gives
# up only its own whitespace run.
CONTACT = re.compile(
    r"\b(COR|POC|COR/POC|CO|KO|CONTRACTING OFFICER|CONTACT|ATTN)\s*[:\-]\s*"
    r"[A-Za-z][A-Za-z.'\-]+(?:\s+[A-Za-z][A-Za-z.'\-]+){0,3}",
    re.IGNORECASE,
)


def redact(text: str | None) -> str | None:
    if text is None:
        return None
    if "@" in text:  # most text has none: skip the email scan
        text = EMAIL.sub("[email redacted]", text)
    text = PHONE.sub("[phone redacted]", text)
    return CONTACT.sub(lambda m: f"{m.group(1)}: [name redacted]", text)


def clear_cut(text: str, limit: int) -> int:
    """Where to cut `text` to keep at most `limit` characters without splitting what redaction would remove:
    the start of any email address, phone number or named contact that runs across `limit`."""
    # An address is at most 381 characters, a phone number about 20; a contact that runs past the window still
    # crosses the cut, and is found.
    window = text[: limit + 1_000]
    spans = [m.span() for pattern in (EMAIL, PHONE, CONTACT) for m in pattern.finditer(window)]
    cut = limit
    while crossing := [start for start, end in spans if start < cut < end]:
        cut = min(crossing)  # the new cut may fall inside another pattern's match: look again
    return cut
