"""Small pieces the pages share: query-parameter state, the status legend, citations."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.data import DatabaseMissing
from ingest.redact import redact


def text(value) -> str:
    """The value if it is non-empty text, else '' (pandas gives NaN, not None, for a missing string)."""
    return value if isinstance(value, str) and value.strip() else ""


def http_only(values: pd.Series) -> pd.Series:
    """Blank anything but http(s) URLs before a LinkColumn, which opens its value as it is."""
    return values.where(values.astype(str).str.lower().str.match(r"^https?://"), None)


MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~"})


def link(label, url) -> str:
    """A Markdown link for an http(s) URL; any other reference (an imported file's urn:sha256:...) is shown
    as text, since a browser cannot open it. The label is escaped: record text never becomes markup."""
    label = (text(label) or "source").translate(MARKDOWN_SPECIALS)
    url = text(url)
    if url.lower().startswith(("http://", "https://")):
        return f"[{label}]({url.replace(')', '%29').replace(' ', '%20')})"
    return f"{label} (`{url}`)" if url and "`" not in url else label


def show_policies(rules: pd.DataFrame, heading: str) -> None:
    """Bans, moratoria and ordinances, each with its source and any caveat beside it."""
    if rules.empty:
        return
    st.subheader(heading)
    for rule in rules.itertuples():
        st.markdown(f"- **{rule.jurisdiction}**: {rule.stance} ({rule.date_text}) · {link('source', rule.source_url)}")
        if text(rule.caveat):
            st.warning(f"Caveat: {rule.caveat}")


def param_list(name: str) -> list[str]:
    return [v for v in st.query_params.get_all(name) if v]


def param_int(name: str) -> int | None:
    value = st.query_params.get(name)
    return int(value) if value and value.lstrip("-").isdigit() else None


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


BADGE_COLOURS = {"procured": "red", "used": "orange", "trialled": "orange", "ended": "violet",
                 "denied": "gray", "unconfirmed": "gray", "banned": "blue"}


def status_badge(status: str) -> str:
    return f":{BADGE_COLOURS.get(status, 'gray')}[**{status}**]"


def status_legend() -> None:
    with st.expander("What the statuses mean"):
        ladder = queries.status_ladder()
        for row in ladder.itertuples():
            st.markdown(f"- **{row.status}**: {row.definition}")
        st.caption("The strongest evidence sets an agency's status for a product; an agency's headline status is "
                   "the strongest over its products. A claim with a denial and other evidence is marked contested "
                   "and both are shown.")


def guard_database() -> bool:
    try:
        queries.status_ladder()
        return True
    except DatabaseMissing as exc:
        st.error(str(exc))
        return False


def show_raw_record(record_id: int) -> None:
    record = queries.raw_record(record_id)
    if record is None:
        st.warning(f"Raw record {record_id} is missing.")
        return
    st.markdown(f"Raw record **{record['record_id']}** from `{record['path']}` (record {record['row_number']}), "
                f"source file sha256 `{record['sha256']}`, retrieved {record['fetched_at']} from {record['url']}")
    st.caption(f"Record sha256 {record['content_hash']}. Emails, phone numbers and named contacts are redacted here.")
    st.code(json.dumps(json.loads(redact(record["record"])), indent=2, ensure_ascii=False), language="json")


def link_table(frame: pd.DataFrame, url_columns: dict[str, str], **kwargs) -> None:
    config = {column: st.column_config.LinkColumn(label) for column, label in url_columns.items()}
    st.dataframe(frame, column_config=config, hide_index=True, **kwargs)


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
            st.download_button(f"{what} {label}".strip(), lambda build=build: build(rows()), file_name=f"{name}.{ext}",
                               mime=mime, key=f"{key}_{ext}", on_click="ignore", icon=":material/download:")
