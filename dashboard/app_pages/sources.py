"""Every source: where it came from, its license, what it contributed, its last run and rejects."""

from pathlib import Path

import streamlit as st

from dashboard import queries, ui
from dashboard.data import database_label
from ingest.paths import db_path


def changelog_markdown(markdown: str) -> str:
    """A release's CHANGELOG.md (written by `ingest release`) with its headings and bullets kept, while the
    agency and product names in it, which come from the sources, stay text."""
    out = []
    for line in markdown.splitlines():
        level = len(line) - len(line.lstrip("#"))
        if 0 < level <= 3 and line[level : level + 1] == " ":
            out.append("#" * (level + 2) + " " + ui.md(line[level:]))
        elif line.startswith("- "):
            out.append("- " + ui.md(line[2:]))
        else:
            out.append(ui.md(line))
    return "\n".join(out)


st.title("Sources")
st.caption(
    "Every fact on this site comes from one of these sources. Each raw record keeps its file's URL, "
    "retrieval date and sha256."
)

if ui.guard_database():
    st.caption(f"Reading {ui.md(database_label())}")
    status = queries.release_status()
    if status["release"]:
        st.success(f"This is release **{ui.md(status['release']['version'])}**.")
    else:
        latest = status["latest"]
        st.info(
            "This database is not a published release"
            + (
                f" (the latest release is {ui.md(latest['version'])})."
                if latest
                else " (no release yet: `python -m ingest release` writes one)."
            )
        )
    shown = status["release"] or status["latest"]
    if shown:
        with st.expander(f"Changelog of release {ui.md(shown['version'])}"):
            st.markdown(changelog_markdown(Path(shown["folder"], "CHANGELOG.md").read_text(encoding="utf-8")))
    table = queries.sources()
    headings = {
        "bundled": "Bundled with the app (real public data, offline)",
        "live": "Live sources (fetched with `python -m ingest run`, kept in the archive)",
    }
    for row in table.itertuples():
        if row.Index == 0 or table["mode"].iloc[row.Index - 1] != row.mode:
            st.subheader(headings.get(row.mode, ui.md(row.mode)))
        with st.container(border=True):
            st.markdown(f"**{ui.md(row.name)}** · {ui.code(row.source_id)} · license: {ui.md(row.license)}")
            st.caption(f"Attribution: {ui.md(row.attribution)}")
            fetched = f"retrieved {ui.md(row.retrieved)}" if row.mode == "bundled" else "fetched live"
            st.markdown(
                f"Source: {ui.link(row.url, row.url)}"
                + (f" · home: {ui.link(row.homepage, row.homepage)}" if ui.text(row.homepage) else "")
                + f" · {fetched}"
            )
            if row.mode == "live" and not ui.text(row.last_run_status):
                st.markdown(
                    f"Not fetched yet: {ui.code(f'python -m ingest run {row.source_id}')} fetches it "
                    "(it needs the internet; nothing here depends on it)."
                )
            else:
                st.markdown(
                    f"{row.raw_records:,} records · {row.evidence_rows:,} evidence rows · "
                    f"{row.quarantined:,} quarantined · last run: **{ui.md(row.last_run_status)}**"
                    + (f" ({ui.md(row.last_run_error)})" if ui.text(row.last_run_error) else "")
                )
            if ui.text(row.notes):
                st.caption(ui.md(row.notes))
    rejects = queries.quarantine()
    st.subheader(f"Quarantine ({len(rejects)})")
    st.caption("Rows that were not loaded as evidence, with the reason. Nothing is dropped silently.")
    st.dataframe(rejects, hide_index=True)
    ui.downloads(queries.quarantine, "quarantine", key="quarantine_dl")

    st.subheader("The whole database")
    st.caption(
        "One DuckDB file with every table: raw records, core evidence, views and provenance. "
        "Open it with DuckDB (`duckdb watchdog.duckdb`)."
    )
    st.download_button(
        "Download watchdog.duckdb",
        db_path().read_bytes,
        file_name="watchdog.duckdb",
        mime="application/octet-stream",
        on_click="ignore",
        icon=":material/database:",
    )
