"""Small pieces the pages share: query-parameter state, the status legend, citations."""

from __future__ import annotations

import json
import re

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.data import DatabaseMissing
from rules import claims, links
from rules.redact import redact


def text(value) -> str:
    """The value if it is non-empty text, else '' (pandas gives NaN, not None, for a missing string)."""
    return value if isinstance(value, str) and value.strip() else ""


def http_only(values: pd.Series) -> pd.Series:
    """Blank anything but http(s) URLs before a LinkColumn, which opens its value as it is (rules/links.py)."""
    return values.where(values.map(links.is_http).astype(bool), None)


# What can start markup in Streamlit's Markdown anywhere in a line: CommonMark and GFM (emphasis, code, links,
# images, HTML, entities, tables, strikethrough, headings, block quotes) and Streamlit's own syntax (:red[..],
# :material/..:, :emoji:, $..$ LaTeX). Each is backslash-escaped, which CommonMark allows for any ASCII
# punctuation; the rest (' " . , - ( ) ...) is left as written so that the Markdown source stays readable.
# "/" is escaped because Streamlit rewrites ":material/" in the source before it parses, escapes or not.
MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>#!|~:$&/"})
# What starts a block only at the start of a line: a list item ("- ", "+ ", "1. ", "1) "), a setext underline.
_LINE_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))")
# Some syntax is found in the text after escapes are resolved, so no escape can stop it: GFM's bare URLs and
# e-mail addresses, and Streamlit's :material_icon: and :streamlit: shortcodes. A word joiner (invisible, zero
# width) inside "http:", "www.", before "@" and after a colon that a word follows does.
_AUTOLINKS = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@)|(?<=:)(?=[\w+-])")
WORD_JOINER = "\u2060"


def _escape_line(row: str) -> str:
    row = _AUTOLINKS.sub(WORD_JOINER, row).translate(MARKDOWN_SPECIALS)
    return _LINE_START.sub(lambda m: "\\" + m[1] if m[1] else m[2] + "\\" + m[3], row)


def md(value, lines: bool = False) -> str:
    """Record text (or anything a visitor or a source wrote) as Markdown that shows exactly that text and
    nothing else: no image, link, colour, icon, formula or HTML. Every value from the database, a file or the
    URL goes through here before it reaches st.markdown, a caption, a heading, an alert or a widget label.
    Whitespace runs become one space; with lines=True, line breaks stay line breaks (inside one paragraph)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    rows = str(value).splitlines() if lines else [str(value)]
    return "  \n".join(_escape_line(row) for row in (" ".join(r.split()) for r in rows) if row)


def code(value) -> str:
    """An identifier or a command as inline code, which Markdown never reads as markup: the fence is longer
    than any run of backticks inside it."""
    shown = " ".join(str(value).split()) if value is not None else ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", shown)), default=0) + 1)
    pad = " " if shown[:1] == "`" or shown[-1:] == "`" else ""  # CommonMark strips one space each side
    return f"{fence}{pad}{shown}{pad}{fence}" if shown else ""


# The value if it is an http(s) URL, made safe as a link target, else '': the one rule, shared with the static pages.
http_url = links.http_url


def link(label, url) -> str:
    """A Markdown link for an http(s) URL; any other reference (an imported file's urn:sha256:..., or a
    javascript: URL a source slipped in) is shown as text beside its label, never as a link. The label is
    escaped: record text never becomes markup."""
    label = md(text(label) or "source")
    target = http_url(url)
    if target:
        return f"[{label}]({target})"
    return f"{label} ({md(url)})" if text(url) else label


def show_policies(rules: pd.DataFrame, heading: str) -> None:
    """Bans, moratoria and ordinances, each with its source and any caveat beside it."""
    if rules.empty:
        return
    st.subheader(heading)
    for rule in rules.itertuples():
        st.markdown(
            f"- **{md(rule.jurisdiction)}**: {md(rule.stance)} ({md(rule.date_text)}) · "
            f"{link('source', rule.source_url)}"
        )
        if text(rule.caveat):
            st.warning(f"Caveat: {md(rule.caveat)}")


def param_list(name: str) -> list[str]:
    return [v for v in st.query_params.get_all(name) if v]


def param_int(name: str, digits: int = 9) -> int | None:
    """A whole number from the URL, or None for anything else: "--5", "²", "٣", "1e9", "" and numbers longer
    than `digits` digits included (str.isdigit() accepts superscripts and other scripts' digits, which int()
    then refuses)."""
    value = st.query_params.get(name)
    if not isinstance(value, str) or not re.fullmatch(rf"-?[0-9]{{1,{digits}}}", value.strip()):
        return None
    return int(value.strip())


def set_params(**values) -> None:
    """Mirror the current selection into the URL so a copied link reopens this exact view."""
    for name, value in values.items():
        if value in (None, "", [], ()):
            st.query_params.pop(name, None)
        elif isinstance(value, (list, tuple)):
            st.query_params[name] = [str(v) for v in value]
        else:
            st.query_params[name] = str(value)


def seed_state(key: str, value) -> None:
    """Initialise a widget's state from the URL once; after that the widget owns it."""
    if key not in st.session_state:
        st.session_state[key] = value


def status_badge(status: str) -> str:
    known = claims.BY_NAME.get(status)
    return f":{known.badge_colour if known else 'gray'}[**{md(status)}**]"


def status_legend() -> None:
    with st.expander("What the statuses mean"):
        ladder = queries.status_ladder()
        for row in ladder.itertuples():
            st.markdown(f"- **{md(row.status)}**: {md(row.definition)}")
        st.caption(
            "The strongest evidence sets an agency's status for a product; an agency's headline status is "
            "the strongest over its products. A claim with a denial and other evidence is marked contested "
            "and both are shown."
        )


def guard_database() -> bool:
    try:
        queries.status_ladder()
        return True
    except DatabaseMissing as exc:
        st.error(md(str(exc)))
        return False


def show_raw_record(record_id: int) -> None:
    record = queries.raw_record(record_id)
    if record is None:
        st.warning(f"Raw record {md(record_id)} is missing.")
        return
    st.markdown(
        f"Raw record **{md(record['record_id'])}** from {md(record['path'])} (record "
        f"{md(record['row_number'])}), source file sha256 {md(record['sha256'])}, retrieved "
        f"{md(record['fetched_at'])} from {link(record['url'], record['url'])}"
    )
    st.caption(
        f"Record sha256 {md(record['content_hash'])}. Emails, phone numbers and named contacts are redacted here."
    )
    st.code(json.dumps(json.loads(redact(record["record"])), indent=2, ensure_ascii=False), language="json")


def downloads(frame, name: str, key: str, what: str = "") -> None:
    """CSV, JSON and Parquet of the table as shown, provenance columns included.

    `frame` is a DataFrame, or for a big table a function that queries it: Streamlit keeps each button's
    callable (and whatever it holds) for as long as the session lives, and runs it only when the button is
    clicked, so a function keeps nothing but its arguments (the whole claims export kept by every map load
    took the server from 1.2 to 3.9 GB in four loads at 1M rows)."""
    from dashboard.exports import FORMATS

    rows = frame if callable(frame) else (lambda: frame)
    with st.container(horizontal=True):
        for label, (build, mime, ext) in FORMATS.items():
            st.download_button(
                f"{what} {label}".strip(),
                lambda build=build: build(rows()),
                file_name=f"{name}.{ext}",
                mime=mime,
                key=f"{key}_{ext}",
                on_click="ignore",
                icon=":material/download:",
            )


def dollars(amount) -> str:
    """An amount as "$1,234,567", or "not reported" when the sources give none (never "None" or "nan")."""
    return "not reported" if amount is None or pd.isna(amount) else f"${amount:,.0f}"


def state_or_national(frame: pd.DataFrame) -> pd.Series:
    """A table's state column: a national agency (FBI, ICE, ...) has no state, and says "national" instead."""
    federal = frame["agency_kind"].eq("Federal").map({True: "national", False: "not recorded"})
    return frame["state"].where(frame["state"].notna(), federal)


def public_page_link(url: str | None, what: str) -> None:
    """A link to this page's static copy on the published site (WATCHDOG_SITE_URL), where one is published: the
    page a reader can share, which loads like a file and needs no dashboard."""
    if url:
        st.caption(link(f"{what} on the public site", url) + " · loads fast, shareable, no dashboard needed")
