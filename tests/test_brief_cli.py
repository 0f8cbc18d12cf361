"""`python -m ingest brief "PLACE"`: the Brief page's brief without the browser, run as a real subprocess."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date

from dashboard.documents.brief import brief_for, brief_markdown
from dashboard.documents.jurisdiction import Place
from tests.conftest import ROOT


def run(*args: str, db) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingest", "brief", *args, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_writes_a_two_page_pdf_for_miami_dade(built_db, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "brief.pdf"
    done = run("Miami-Dade", "--output", str(out), db=built_db)
    assert done.returncode == 0, done.stderr
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF") and 1 <= len(PdfReader(io.BytesIO(pdf)).pages) <= 2
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Facial recognition in Miami-Dade County, FL" in text and "Questions for the hearing" in text
    assert "Miami-Dade County, FL" in done.stderr


def test_the_markdown_is_the_pages_brief(built_db, tmp_path):
    done = run("Miami-Dade County, FL", "--format", "md", db=built_db)
    assert done.returncode == 0, done.stderr
    # The same function makes the page's brief: only the date it was made may differ.
    assert done.stdout == brief_markdown(brief_for(Place("county", "Miami-Dade County", "FL"), date.today()))
    assert "### Questions for the hearing\n\n1. " in done.stdout
    out = tmp_path / "brief.md"
    assert run("Miami-Dade", "--output", str(out), db=built_db).returncode == 0
    assert out.read_text(encoding="utf-8") == done.stdout


def test_an_ambiguous_or_unknown_place_is_a_sentence(built_db, tmp_path):
    done = run("Springfield", "--format", "md", db=built_db)
    assert done.returncode == 1 and "which one" in done.stderr and "Springfield, IL" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    done = run("Nowheresville", "--output", str(tmp_path / "x.pdf"), db=built_db)
    assert done.returncode == 1 and "Nowheresville" in done.stderr and "we know no place" in done.stderr
    assert not (tmp_path / "x.pdf").exists()
    done = run("Miami-Dade", db=built_db)
    assert done.returncode == 1 and "--output" in done.stderr


def test_the_command_is_listed_with_its_help(built_db):
    listed = subprocess.run([sys.executable, "-m", "ingest", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert "brief" in listed.stdout
    helped = subprocess.run(
        [sys.executable, "-m", "ingest", "brief", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert "--output" in helped.stdout and "--format" in helped.stdout and "Springfield, IL" in helped.stdout
