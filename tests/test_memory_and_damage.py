"""Memory stays bounded under visitors, and a damaged database file gets a sentence instead of a DuckDB error.

- A page run builds no download: a button keeps a function that queries on click, and nothing it keeps reaches a
  DataFrame or the page's own variables (Streamlit keeps each button's function for the session's whole life;
  the map page kept its whole claims export, about 0.9 GB per visit at 1M rows).
- Every cache in dashboard/ is bounded.
- A truncated file, random bytes, or a folder at the database path: every page says what is wrong and how to
  rebuild, as it does for a missing file.
"""

from __future__ import annotations

import ast
import csv
import gc
import io
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from dashboard import queries
from tests.apptest import no_exception, open_page
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60
PAGES = re.findall(r'st\.Page\(\s*"([^"]+)"', (ROOT / "dashboard" / "app.py").read_text())
PAGE_DIR = ROOT / "dashboard" / "app_pages"
DAMAGE = ("truncated", "random bytes", "a folder")


# --------------------------------------------------------------------------------------------- downloads


@pytest.fixture
def deferred(monkeypatch) -> list:
    """Every function a download button hands Streamlit during the test, as Streamlit stores it."""
    kept = []
    real = MediaFileManager.add_deferred

    def record(self, data_callable, *args, **kwargs):
        kept.append((kwargs.get("file_name"), data_callable))
        return real(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return kept


def held_by(root, limit: int = 20_000) -> tuple[list[type], list[str]]:
    """What a stored download function keeps alive: the DataFrames it reaches, and any page whose variables it
    reaches (a function defined in a page holds that page's globals). Real modules are shared by every session,
    so the walk does not go into them."""
    module_dicts = {id(vars(m)) for m in list(sys.modules.values()) if isinstance(m, types.ModuleType)}
    frames, pages, seen, todo = [], [], set(), [root]
    while todo and len(seen) < limit:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (types.ModuleType, type, str, bytes)):
            continue
        seen.add(id(obj))
        if isinstance(obj, (pd.DataFrame, pd.Series)):
            frames.append(type(obj))
            continue
        if isinstance(obj, dict) and str(obj.get("__file__", "")).startswith(str(PAGE_DIR)):
            pages.append(Path(obj["__file__"]).name)
            continue
        if isinstance(obj, dict) and id(obj) in module_dicts:
            continue
        todo.extend(gc.get_referents(obj))
    return frames, pages


def test_the_map_page_builds_no_export_until_asked(deferred, monkeypatch):
    """Old code: queries.claims_export ran at every map load and its frame stayed with the button."""
    calls = []
    real = queries.claims_export
    monkeypatch.setattr(queries, "claims_export", lambda filters: calls.append(filters) or real(filters))
    at = open_page()
    no_exception(at)
    assert calls == [], "the map page built the claims export without a click"
    labels = [b.label for b in at.get("download_button")]
    assert "Evidence with provenance CSV" in labels, labels

    # A click runs the stored function: it queries then, and gives the export of the table as filtered.
    export = dict(deferred)["evidence.csv"]
    rows = list(csv.DictReader(io.StringIO(export().decode("utf-8"))))
    assert len(calls) == 1
    assert len(rows) == len(real(queries.Filters())) > 0
    assert {"source_url", "raw_record_id", "raw_file_sha256"} <= set(rows[0])


@pytest.mark.parametrize(
    "page, params",
    [
        (None, {}),
        (None, {"state": "TX"}),
        ("app_pages/agency.py", {"agency": "MI8234900"}),
        ("app_pages/place.py", {"q": "Detroit"}),
        ("app_pages/vendors.py", {}),
        ("app_pages/sources.py", {}),
        ("app_pages/brief.py", {"state": "MI", "level": "city", "name": "Detroit"}),
    ],
)
def test_download_buttons_keep_no_table_for_the_session(deferred, page, params):
    at = open_page(page, **params)
    no_exception(at)
    assert deferred, "no download button on this page"
    for name, function in deferred:
        frames, pages = held_by(function)
        if page == "app_pages/place.py" and name.startswith("agencies."):
            assert len(frames) <= 1  # a place's search result: a few hundred agencies at most, kept as shown
            continue
        assert not frames, f"the {name} download keeps a table for the whole session"
        assert not pages, f"the {name} download is a function of {pages}: it keeps that page's variables"
        if name.endswith(".pdf"):  # still the whole document, built on click
            assert function().startswith(b"%PDF")


def test_every_cache_in_the_dashboard_is_bounded():
    """st.cache_data / st.cache_resource need max_entries or ttl; functools caches need a maxsize."""
    unbounded = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for decorator in node.decorator_list:
                source = ast.unparse(decorator)
                call = decorator if isinstance(decorator, ast.Call) else None
                keywords = {k.arg: ast.unparse(k.value) for k in call.keywords} if call else {}
                where = f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
                if re.search(r"cache_(data|resource)", source):
                    if not ({"max_entries", "ttl"} & keywords.keys()) or keywords.get("max_entries") == "None":
                        unbounded.append(where)
                elif re.search(r"\b(lru_cache|cache)\b", source):
                    size = keywords.get("maxsize") or (ast.unparse(call.args[0]) if call and call.args else None)
                    if size in (None, "None"):
                        unbounded.append(where)
    assert not unbounded, f"unbounded caches: {unbounded}"


# --------------------------------------------------------------------------------------------- damage


def damage(kind: str, built_db: Path, folder: Path) -> Path:
    path = folder / "watchdog.duckdb"
    if kind == "truncated":
        data = built_db.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "random bytes":
        path.write_bytes(os.urandom(300_000))
    else:
        path.mkdir()
    return path


@pytest.fixture(params=DAMAGE)
def damaged_db(request, built_db, tmp_path, monkeypatch) -> tuple[str, Path]:
    path = damage(request.param, built_db, tmp_path)
    monkeypatch.setenv("WATCHDOG_DB", str(path))
    return request.param, path


def test_a_damaged_file_is_told_in_a_sentence_on_every_page(damaged_db):
    kind, path = damaged_db
    for page in PAGES:
        at = open_page(page)
        no_exception(at)
        errors = [e.value for e in at.error]
        assert len(errors) == 1, (page, errors)
        sentence = re.sub(r"\\(.)", r"\1", errors[0])  # as read on the page: Markdown escapes removed
        assert str(path) in sentence and "make data" in sentence and "python -m ingest build" in sentence, sentence
        assert ("folder" in sentence) if kind == "a folder" else ("damaged or not a DuckDB file" in sentence)
        assert not re.search(r"IO Error|Exception|Could not|not a valid DuckDB database file!", sentence), sentence


def test_the_sentence_holds_once_the_file_is_rebuilt(built_db, tmp_path, monkeypatch):
    """A failed open is not cached: after the damaged file is replaced by a good one, pages read it."""
    path = damage("truncated", built_db, tmp_path)
    monkeypatch.setenv("WATCHDOG_DB", str(path))
    at = open_page()
    assert at.error and "damaged" in at.error[0].value
    shutil.copyfile(built_db, path)
    at = open_page()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]


def test_damage_found_past_the_first_query_is_told_too(built_db, tmp_path, monkeypatch):
    """A file that opens but fails further in (a block whose checksum does not match) raises the same sentence
    from any query, not DuckDB's own message."""
    from dashboard import data

    path = tmp_path / "watchdog.duckdb"
    raw = bytearray(built_db.read_bytes())
    for offset in range(1 << 18, len(raw) - (1 << 18), 1 << 16):  # past the headers, every 64 KiB
        raw[offset : offset + 64] = os.urandom(64)
    path.write_bytes(bytes(raw))
    monkeypatch.setenv("WATCHDOG_DB", str(path))
    with pytest.raises(data.DatabaseMissing, match="cannot be read"):
        queries.status_ladder()
        queries.claims_export(queries.Filters())


def test_a_file_held_open_for_writing_is_told_apart_from_damage(built_db, tmp_path, monkeypatch):
    """DuckDB lets no reader in while another process writes the file: that is said, not called damage."""
    path = Path(shutil.copyfile(built_db, tmp_path / "watchdog.duckdb"))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(120)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("WATCHDOG_DB", str(path))
        at = open_page()
        no_exception(at)
        sentence = re.sub(r"\\(.)", r"\1", at.error[0].value)
        assert str(path) in sentence and "open for writing in another program" in sentence, sentence
    finally:
        holder.kill()
        holder.wait(timeout=10)


# --------------------------------------------------------------------------------------------- browser


def serve(db: Path, log: Path):
    from bench.server_memory import start_server

    require_browser()
    return start_server(db, ROOT, log)


@pytest.mark.browser
def test_in_chromium_a_damaged_file_gets_its_sentence_and_a_download_is_built_on_click(built_db, tmp_path):
    from playwright.sync_api import sync_playwright

    from bench.server_memory import memory, stop

    broken = damage("truncated", built_db, tmp_path)
    servers = [serve(built_db, tmp_path / "good.log"), serve(broken, tmp_path / "broken.log")]
    try:
        (good, good_url), (_, broken_url) = servers
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(accept_downloads=True)
                page.goto(f"{broken_url}/")
                page.get_by_text("cannot be read (it is damaged or not a DuckDB file)").first.wait_for(timeout=60_000)
                assert str(broken) in page.locator('[data-testid="stAlertContentError"]').first.inner_text()
                assert page.locator(".stException").count() == 0
                assert "IO Error" not in page.locator("body").inner_text()

                page.goto(f"{good_url}/?state=MI")
                button = page.get_by_role("button", name="Evidence with provenance CSV")
                button.first.wait_for(timeout=60_000)
                with page.expect_download(timeout=60_000) as download:
                    button.first.click()
                rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
                expected = queries.claims_export(queries.Filters(states=["MI"]))
                assert len(rows) == len(expected) > 0 and {r["state"] for r in rows} == {"MI"}
                assert memory(good.pid)["VmRSS"] > 0  # the bench reads the server process itself
            finally:
                browser.close()
    finally:
        for proc, _ in servers:
            stop(proc)
