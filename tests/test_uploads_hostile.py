"""One upload or one record cannot freeze or break the service: redaction in linear time, a visible cap on
cell length, an upload read once, an upload where nothing matches, UTF-16 without a BOM and stray NULs/BOMs,
and `ingest run file` values that are not text, through the real workbench, page, CLI and build.

Files are generated in tmp at test time; nothing large is committed.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import workbench
from ingest.db import connect
from rules import redact as redaction
from rules import textfile
from rules.redact import redact
from tests.test_browser import server  # noqa: F401  the `streamlit run` fixture, shared

ROOT = Path(__file__).resolve().parent.parent
APP = "../dashboard/app.py"  # AppTest.from_file resolves this relative to this file
FAILED_PAGE = "could not be shown"


# ------------------------------------------------------------------------------------- redaction

# Text shaped to make a backtracking pattern try every start against the rest of the run. The old email
# pattern took 5.75 s on 100,000 characters of "a.a.a.…" (quadratic: 4x the time for 2x the text).
ADVERSARIAL = {
    "letters": lambda n: "a" * n,
    "dotted": lambda n: "a." * (n // 2),
    "digits and spaces": lambda n: "1 " * (n // 2),
    "at signs": lambda n: "@" * n,
    "letter at": lambda n: "a@" * (n // 2),
    "digits and dashes": lambda n: "1-" * (n // 2),
    "one at, long domain": lambda n: "x@" + "a." * (n // 2),
    "run then at": lambda n: "a" * n + "@",
    "64-letter local parts": lambda n: ("a" * 64 + "@") * (n // 65),
    "long domains": lambda n: ("a" * 64 + "@" + "a" * 252) * (n // 317),
    "contact labels": lambda n: "COR: a " * (n // 7),
    "label then spaces": lambda n: "COR" + " " * n + "x",
    "name then spaces": lambda n: "COR: ab" + " " * n + "c",
    "phone starts": lambda n: "+1 (2" * (n // 5),
}


@pytest.mark.parametrize("shape", list(ADVERSARIAL))
def test_redaction_takes_linear_time_on_adversarial_text(shape):
    text = ADVERSARIAL[shape](200_000)
    started = time.perf_counter()
    redact(text)
    elapsed = time.perf_counter() - started
    # Linear: about 0.1 s here on a busy machine; the quadratic email pattern took about 20 s.
    assert elapsed < 3, f"{shape}: {elapsed:.2f} s for 200,000 characters"


def test_a_long_run_of_digits_in_a_date_takes_linear_time():
    from rules import dates

    started = time.perf_counter()
    assert dates.parse("1" * 50_000) == (None, None)  # the ordinal pattern took 13 s on this
    assert time.perf_counter() - started < 2
    assert dates.parse("October 16th, 2019")[0].isoformat() == "2019-10-16"


@pytest.mark.parametrize(
    "text, secrets, kept",
    [
        ("write to a.b-c+d%e_f@sub.example.co.uk today", ["a.b-c+d%e_f", "example.co.uk"], ["write to", "today"]),
        ("MAURICE.LEE@ICE.DHS.GOV; next", ["MAURICE", "ICE.DHS"], ["; next"]),
        ("mail x@host.com.123 now", ["x@host.com"], [".123 now"]),
        ("two: a@b.org,c@d.net", ["a@b.org", "c@d.net"], ["two:"]),
        ("call (202) 732-7603 or +1 202 555 0100 or 202.555.0100", ["732-7603", "555 0100", "555.0100"], ["call"]),
        ("COR/POC:  MAURICE LEE, then", ["MAURICE"], ["COR/POC: [name redacted]", ", then"]),
        ("award P2019045458 for $10,000 on 9/26/2019", [], ["P2019045458", "$10,000", "9/26/2019"]),
        ("user@localhost and a@b", [], ["user@localhost", "a@b"]),  # no top-level domain: not an address
    ],
)
def test_redaction_keeps_its_behaviour(text, secrets, kept):
    out = redact(text)
    for secret in secrets:
        assert secret not in out, out
    for part in kept:
        assert part in out, out


def test_an_address_longer_than_the_rfc_allows_still_loses_its_domain():
    # 80 characters before the @ (the RFC allows 64): the part next to the @ and the domain go.
    out = redact("note " + "b" * 80 + "@example.org end")
    assert "example.org" not in out and "[email redacted]" in out and out.endswith(" end")


@pytest.mark.parametrize("tail", [" jane.roe@example.org more", " (212) 555-0147 more", " COR: MAURICE LEE, more"])
def test_a_cut_never_splits_what_redaction_would_remove(tail):
    for offset in range(0, len(tail)):
        text = "x" * (100 - offset) + tail
        kept = text[: redaction.clear_cut(text, 100)]
        assert len(kept) <= 100
        out = redact(kept)
        for part in ("jane", "roe@", "example", "555-01", "0147", "MAURICE", "LEE"):
            assert part not in out, (offset, out)


# ------------------------------------------------------------------------------------- cell cap


def xlsx_bytes(frame: pd.DataFrame, huge: str = "") -> bytes:
    """The frame as a workbook; a cell reading HUGE holds `huge` instead. Excel and openpyxl write at most
    32,767 characters to a cell, but a reader takes whatever the file's XML holds."""
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    if not huge:
        return buffer.getvalue()
    written, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as book:
        for member in written.infolist():
            book.writestr(member.filename, written.read(member).replace(b"HUGE", huge.encode()))
    return out.getvalue()


def test_a_huge_adversarial_cell_in_a_workbook_is_cut_visibly_and_quickly():
    # The reported file: a few hundred kilobytes of XLSX whose one cell is megabytes of "a.a.a.…".
    huge = "jane.roe@example.org " + "a." * 2_000_000
    data = xlsx_bytes(pd.DataFrame({"Agency": ["Detroit Police Department", "NYPD"], "Notes": ["HUGE", "short"]}), huge)
    assert len(data) < 100_000
    started = time.perf_counter()
    upload = workbench.read_upload("one-cell.xlsx", data)
    assert time.perf_counter() - started < 20
    cell = upload.frame.loc[0, "Notes"]
    assert cell.endswith("… [cut at 10,000 characters]") and len(cell) <= textfile.CELL_MAX + len(textfile.CUT_MARK)
    assert "jane.roe" not in cell and cell.startswith("[email redacted] a.a.")
    assert upload.frame.loc[1, "Notes"] == "short"
    assert any(
        "1 cell(s) were longer than 10,000 characters and were cut" in n and "“Notes” (1)" in n for n in upload.notes
    ), upload.notes


def test_long_csv_cells_are_cut_and_counted_not_refused():
    # Python's csv module refuses fields over 128 KiB: such a file used to be refused whole.
    rows = [
        f"Detroit Police Department,MI,{'x' * 200_000}",
        f"NYPD,NY,{'y' * 10_001}",
        "Atlanta Police Department,GA,ok",
    ]
    upload = workbench.read_upload("long.csv", ("Agency,State,Notes\n" + "\n".join(rows) + "\n").encode())
    notes = upload.frame["Notes"].tolist()
    assert [n.endswith(textfile.CUT_MARK) for n in notes] == [True, True, False]
    assert notes[0] == "x" * textfile.CELL_MAX + textfile.CUT_MARK
    assert any(n.startswith("2 cell(s) were longer than 10,000 characters") for n in upload.notes)


def test_an_address_at_the_cut_is_removed_whole_not_left_half():
    cell = "x" * (textfile.CELL_MAX - 10) + " jane.roe@example.org and more text after it"
    upload = workbench.read_upload("edge.csv", f"Agency,Notes\nNYPD,{cell}\n".encode())
    shown = upload.frame.loc[0, "Notes"]
    assert shown.endswith(textfile.CUT_MARK) and "jane" not in shown and "@" not in shown


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as book:
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b" " * (1 << 20)
            for _ in range(workbench.XLSX_UNPACKED_MAX_MB + 1):
                sheet.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1_000_000
    with pytest.raises(workbench.UploadError, match=r"unpacks to 201 MB, more than the 200 MB .* save it as CSV"):
        workbench.read_upload("bomb.xlsx", data)


def test_a_name_longer_than_any_agency_is_not_compared():
    class Refusing:
        def match_many(self, queries):
            assert all(len(q[0]) <= textfile.NAME_MAX for q in queries), "a 9,000-character name was compared"
            return [__import__("rules.matching", fromlist=["Match"]).Match("unmatched") for _ in queries]

    frame = pd.DataFrame({"Agency": ["NYPD", "Police Department " * 500]})
    matched = workbench.match(frame, Refusing(), {}, "Agency")
    assert matched["status"].tolist() == ["unmatched", "unmatched"]


def test_an_upload_over_the_size_limit_gets_a_sentence():
    data = b"Agency\n" + b"x" * (textfile.UPLOAD_MAX_MB * 1024 * 1024)
    with pytest.raises(workbench.UploadError, match=r"the workbench reads files up to 100 MB"):
        workbench.read_upload("big.csv", data)


# ------------------------------------------------------------------------------------- encodings

LIST = "Agency,State,Notes\nPolicía de Peñuelas,PR,ñ façade\nDetroit Police Department,MI,ok\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_as_utf16(encoding):
    data = LIST.encode(encoding)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    upload = workbench.read_upload("list.csv", data)
    assert list(upload.frame.columns) == ["Agency", "State", "Notes"]
    assert upload.frame["Agency"].tolist() == ["Policía de Peñuelas", "Detroit Police Department"]
    assert f"Read as {encoding}." in upload.notes
    assert "\x00" not in upload.frame.to_csv()


def test_nul_bytes_and_byte_order_marks_inside_cells_are_removed():
    data = "\ufeffAgency,State\nDetroit\x00 Police\ufeff Department,MI\n\ufeffNYPD,N\x00Y\n".encode("utf-8")
    frame = workbench.read_upload("nul.csv", data).frame
    assert list(frame.columns) == ["Agency", "State"]
    assert frame["Agency"].tolist() == ["Detroit Police Department", "NYPD"]
    assert frame["State"].tolist() == ["MI", "NY"]
    book = xlsx_bytes(pd.DataFrame({"Agency": ["\ufeffDetroit Police Department"], "State": ["M\ufeffI"]}))
    frame = workbench.read_upload("bom.xlsx", book).frame
    assert frame.loc[0, "Agency"] == "Detroit Police Department" and frame.loc[0, "State"] == "MI"


def test_uploads_and_file_imports_share_one_decoding():
    from ingest.sources import file

    for encoding in ("utf-16-le", "utf-16-be", "utf-16", "utf-8-sig", "latin-1"):
        data = "Agency,Vendor\nPolicía de Peñuelas,Clearview AI\n".encode(encoding)
        columns, records, rejects, _ = file.read_records(data, "csv")
        assert columns == ["Agency", "Vendor"] and not rejects
        assert records == [{"Agency": "Policía de Peñuelas", "Vendor": "Clearview AI"}]
        assert workbench.read_upload("x.csv", data).frame["Agency"].tolist() == ["Policía de Peñuelas"]


# ------------------------------------------------------------------------------------- the page


def page_with_upload(name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("app_pages/reporter.py")
    at.run()
    at.file_uploader[0].set_value((name, data, "text/csv"))
    at.run()
    return at


def assert_page_ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not [e.value for e in at.error if FAILED_PAGE in e.value], [e.value for e in at.error]


def test_an_upload_where_nothing_matches_shows_empty_results_not_a_crash():
    at = page_with_upload("nothing.csv", b"Agency,State\nAcme Widgets Inc,TX\nNot A Police Thing,ZZ\n")
    assert_page_ok(at)
    assert [m.value for m in at.metric] == ["0", "0", "0", "2"]  # matched, to review, rejected, no match
    assert at.dataframe[0].value.empty
    assert "Where the leak meets the public record" in [s.value for s in at.subheader]


def test_the_page_reads_an_upload_once_not_on_every_click(monkeypatch):
    calls = []
    real = workbench.read_upload

    def counting(name, data):
        calls.append(name)
        return real(name, data)

    monkeypatch.setattr(workbench, "read_upload", counting)
    leak = (
        b"Agency,State,City\nNYPD,NY,New York\nSpringfield Police Department,,\nDetroit Police Department,MI,Detroit\n"
    )
    at = page_with_upload("leak.csv", leak)
    assert_page_ok(at)
    assert calls == ["leak.csv"]
    review = next(box for box in at.selectbox if box.label.startswith("Row "))
    review.set_value(workbench.NONE_OF_THESE).run()  # a review decision
    at.selectbox(key="leak_city").set_value("(none)").run()  # another column choice
    assert_page_ok(at)
    assert calls == ["leak.csv"]
    # Another file replaces the first: read once, and the session holds only that one.
    at.file_uploader[0].set_value(("other.csv", b"Agency,State\nAtlanta Police Department,GA\n", "text/csv")).run()
    assert_page_ok(at)
    assert calls == ["leak.csv", "other.csv"]
    assert at.session_state["leak_read"][1].name == "other.csv"
    assert [k for k in at.session_state if str(k).startswith("decisions_")] == [
        f"decisions_{at.session_state['leak_read'][1].sha256}"
    ]


def test_the_page_says_how_many_cells_were_cut():
    data = f"Agency,Notes\nNYPD,{'z' * 50_000}\nDetroit Police Department,ok\n".encode()
    at = page_with_upload("long.csv", data)
    assert_page_ok(at)
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes: shown as text
    assert "1 cell(s) were longer than 10,000 characters and were cut" in captions
    shown = at.dataframe[-1].value
    assert shown["Notes"].iloc[0].endswith("[cut at 10,000 characters]")


# ------------------------------------------------------------------------------------- ingest run file


def ingest(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
    )


def archive_by_hand(root: Path, name: str, body: bytes, mapping: dict) -> None:
    """An archived import as an older version of the code, or a damaged disk, may have left it."""
    import hashlib

    run = root / "file" / "20200101T000000000000Z"
    run.mkdir(parents=True)
    (run / f"1{Path(name).suffix}").write_bytes(body)
    (run / "1.meta.json").write_text(
        json.dumps(
            {
                "url": f"file:{name}",
                "fetched_at": "2020-01-01T00:00:00+00:00",
                "sha256": hashlib.sha256(body).hexdigest(),
                "bytes": len(body),
                "kind": "import",
                "original_name": name,
                "mapping": mapping,
                "title": name,
            }
        )
    )


def test_run_file_with_values_that_are_not_text_never_breaks_a_build(tmp_path):
    mapping = "agency=Agency,state=State,vendor=Vendor,date=Listed"
    leak = tmp_path / "leak.json"
    leak.write_text(
        json.dumps(
            [
                {"Agency": "Detroit Police Department", "State": "MI", "Vendor": "Clearview AI", "Listed": 2020},
                {"Agency": 12345, "State": "MI", "Vendor": "Clearview AI", "Listed": "2020"},
                {"Agency": "NYPD", "State": "NY", "Vendor": True, "Listed": None},
                {"Agency": None, "State": "GA", "Vendor": "Clearview AI"},
                {"Agency": ["Atlanta Police Department"], "State": "GA", "Vendor": "Clearview AI"},
                {"Agency": {"name": "Atlanta Police Department"}, "State": "GA", "Vendor": "Clearview AI"},
                {"Agency": "Atlanta Police Department", "State": "GA", "Vendor": "Clearview AI", "Listed": [2020]},
                {"Agency": "Police Department " * 25, "State": "MI", "Vendor": "Clearview AI"},
                {"Agency": "Atlanta Police Department", "State": "GA", "Vendor": "Clearview " * 2_000},
                7,
            ]
        )
    )
    env = {"WATCHDOG_DB": str(tmp_path / "watchdog.duckdb"), "WATCHDOG_ARCHIVE": str(tmp_path / "archive")}
    run = ingest(["run", "file", "--file", str(leak), "--map", mapping, "--name", "SYNTHETIC leak"], env)
    assert run.returncode == 0, run.stdout + run.stderr

    # What older code archived, and files no reader can read, sit beside it: the next build goes on.
    archive_by_hand(
        tmp_path / "archive",
        "broken.xlsx",
        b"PK\x03\x04 not really a workbook",
        {"agency": "Agency", "vendor": "Vendor"},
    )
    bom_less = tmp_path / "utf16.csv"
    bom_less.write_bytes("Agency,State,Vendor\nDetroit\x00 Police Department,MI,Clearview AI\n".encode("utf-16-le"))
    again = ingest(["run", "file", "--file", str(bom_less), "--map", "agency=Agency,state=State,vendor=Vendor"], env)
    assert again.returncode == 0, again.stdout + again.stderr
    build = ingest(["build"], env)
    assert build.returncode == 0, build.stdout + build.stderr

    con = connect(tmp_path / "watchdog.duckdb", read_only=True)
    try:
        reasons = [
            r
            for (r,) in con.execute(
                "SELECT reason FROM core.quarantine WHERE source_id = 'file' ORDER BY raw_file_id, row_number"
            ).fetchall()
        ]
        evidence = con.execute(
            "SELECT agency_id, event_date::VARCHAR, summary FROM core.evidence "
            "WHERE source_id = 'file' ORDER BY summary"
        ).fetchall()
    finally:
        con.close()
    assert "agency column 'Agency' holds a list, not text" in reasons
    assert "agency column 'Agency' holds an object, not text" in reasons
    assert "date column 'Listed' holds a list, not text" in reasons
    assert "imported row names no agency" in reasons  # null
    assert "agency '12345' matches no registry agency by rule" in reasons  # a number, as its text
    assert "vendor 'true' is not in the catalog" in reasons  # a boolean, as its text
    assert "not a JSON object but a number" in reasons
    assert "agency is 449 characters long, more than any agency name (300 at most)" in reasons
    assert "vendor column 'Vendor' holds 19,999 characters, more than the 10,000 a cell may hold" in reasons
    assert any(r.startswith("the imported file broken.xlsx could not be read") for r in reasons), reasons
    # The good rows became evidence: the JSON's number date was read as a year, and the UTF-16 file
    # without a BOM was read as UTF-16, its NUL removed.
    assert [(a, d) for a, d, _ in evidence] == [("MI8234900", "2020-01-01"), ("MI8234900", None)]
    assert "Detroit Police Department appears in utf16.csv beside Clearview AI." in [s for *_, s in evidence]


# ------------------------------------------------------------------------------------- real browser


@pytest.mark.browser
def test_a_hostile_upload_leaves_the_server_answering(server, tmp_path):  # noqa: F811
    """The reported freeze, in the real page: while the workbench reads an upload with a huge adversarial cell,
    the server keeps answering its health check; the page shows the cut cell and says so."""
    import httpx
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    leak = tmp_path / "hostile.xlsx"
    leak.write_bytes(
        xlsx_bytes(
            pd.DataFrame({"Agency": ["Acme Widgets Inc", "Nobody"], "Notes": ["HUGE", "fine"]}), "a." * 5_000_000
        )
    )
    slowest, stop = [0.0], threading.Event()

    def probe() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                httpx.get(f"{server}/_stcore/health", timeout=30)
            except httpx.HTTPError:
                pass  # a health check that times out counts as slow as it took
            slowest[0] = max(slowest[0], time.perf_counter() - started)
            time.sleep(0.1)

    prober = threading.Thread(target=probe, daemon=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server}/reporter")
            prober.start()
            page.locator('input[type="file"]').set_input_files(str(leak))
            page.get_by_text("were longer than 10,000 characters and were cut").first.wait_for(timeout=60_000)
            page.get_by_text("Where the leak meets the public record").first.wait_for(timeout=60_000)
            body = page.locator("body").inner_text()
            assert FAILED_PAGE not in body and page.locator(".stException").count() == 0
        finally:
            stop.set()
            browser.close()
    prober.join(timeout=30)
    assert slowest[0] < 5, f"the health check took {slowest[0]:.1f} s while the upload was read"
