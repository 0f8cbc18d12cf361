"""The one rule for making a link from a record's URL field: only an http(s) URL becomes a link target.
Anything else (an imported file's urn:sha256:..., a javascript: or data: URL a source slipped in, text) is
shown as text. Used by the dashboard (Markdown links, link columns) and the static public pages alike.

No pandas or streamlit import: the static site's renderer uses this without loading the web app."""

from __future__ import annotations

import re
from urllib.parse import quote

HTTP_URL = re.compile(r"(?i)https?://[^\s]")
# Anything that could end a link target or start markup is percent-encoded; the rest stays as written.
SAFE_IN_URL = "!#$&'*+,/:;=?@[]~%-._"


def http_url(value) -> str:
    """The value if it is an http(s) URL, percent-encoded so that it cannot end a link target, else ''."""
    url = value.strip() if isinstance(value, str) else ""
    if not HTTP_URL.match(url):
        return ""
    return quote(url, safe=SAFE_IN_URL)


def is_http(value) -> bool:
    return bool(http_url(value))
