"""The README is tested against the code: its statuses, its commands, its file layout."""

import re
import subprocess
import sys
from pathlib import Path

from ingest.registry import load
from rules.claims import DEFINITIONS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_status_table_matches_the_ladder():
    rows = dict(re.findall(r"^\| \*\*(\w+)\*\* \| (.+?) \|$", README, re.M))
    assert rows == DEFINITIONS


def test_readme_first_screen_has_the_two_commands():
    first_screen = README[: README.index("---")]
    assert "make run" in first_screen and "make test" in first_screen
    assert "WATCHDOG_DB" in first_screen


def test_readme_commands_run():
    for line in re.findall(r"^python -m ingest ([\w-]+)", README, re.M):
        if line == "build":
            continue  # the session's database is built by conftest; building again here adds nothing
        result = subprocess.run(
            [sys.executable, "-m", "ingest", line, "--help"], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


def test_every_registered_source_is_documented_with_its_license():
    sources_md = (ROOT / "data" / "SOURCES.md").read_text()
    for source in load():
        for f in source.files:
            assert f"`{f}`" in sources_md or f"`{Path(f).name}`" in sources_md, f
        assert source.license and source.attribution


def test_readme_layout_names_real_folders():
    layout = next(block for block in README.split("```") if "ingest/ " in block and "dashboard/ " in block)
    folders = re.findall(r"^(\w[\w/]*)/\s", layout, re.M)
    nested = re.findall(r"^  (\w+)/\s", layout, re.M)
    assert len(folders) >= 5 and len(nested) >= 3
    for folder in folders:
        assert (ROOT / folder).is_dir(), folder
    for folder in nested:  # listed under ingest/
        assert (ROOT / "ingest" / folder).is_dir(), folder


def test_every_relative_link_in_the_docs_resolves():
    # README, CONTRIBUTING and docs/ link to files and to each other: a moved file must not leave a dead link.
    pages = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
    dead = []
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
            path = target.split("#")[0]
            if not path or re.match(r"^[a-z]+:", path):
                continue
            if not (page.parent / path).exists():
                dead.append(f"{page.relative_to(ROOT)} -> {target}")
    assert len(pages) >= 7 and not dead, dead


def test_the_readme_is_a_front_door():
    assert len(README.splitlines()) <= 170
    assert (
        "docs/screenshots/front.png" in README and (ROOT / "docs" / "screenshots" / "front.png").stat().st_size > 10_000
    )
