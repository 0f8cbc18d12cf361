"""Personal data in records (emails, phone numbers, named contacts) is redacted before display."""
from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w/])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")
# Procurement text names the contracting officer after a role label: "COR/POC: MAURICE LEE,".
CONTACT = re.compile(
    r"\b(COR|POC|COR/POC|CO|KO|CONTRACTING OFFICER|CONTACT|ATTN)\s*[:\-]\s*"
    r"[A-Za-z][A-Za-z.'\-]+(?:\s+[A-Za-z][A-Za-z.'\-]+){0,3}",
    re.IGNORECASE,
)


def redact(text: str | None) -> str | None:
    if text is None:
        return None
    text = EMAIL.sub("[email redacted]", text)
    text = PHONE.sub("[phone redacted]", text)
    return CONTACT.sub(lambda m: f"{m.group(1)}: [name redacted]", text)
