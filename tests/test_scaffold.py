"""`python -m ingest new-source`: run for real (a subprocess) in a copy of the tree it writes into; the test it
generates must pass there, and a second run must write nothing. The dataset is real EFF data (border
communities, 2020), under a made-up source name."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.cli import parser

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "data" / "eff_border_communities_2020" / "aos-bordercounties_-_01.10.2020.csv"
GENERATED = (
    "ingest/sources/sample.py",
    "ingest/transform/sample.py",
    "tests/test_source_sample.py",
    "tests/fixtures/sample/border.csv",
)


def new_source(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingest", "new-source", *args], cwd=root, capture_output=True, text=True, timeout=120
    )


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """The code, the registry and the reference data a small build reads (large folders linked, not copied)."""
    root = tmp_path_factory.mktemp("repo")
    for package in ("ingest", "rules"):
        shutil.copytree(ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "tests").mkdir()
    for name in ("__init__.py", "small_build.py"):
        shutil.copy(ROOT / "tests" / name, root / "tests" / name)
    for name in ("pyproject.toml",):  # pytest and ruff settings
        shutil.copy(ROOT / name, root / name)
    (root / "data").mkdir()
    for name in ("sources.csv", "agency_aliases.csv"):
        shutil.copy(ROOT / "data" / name, root / "data" / name)
    for folder in ("fbi_cde", "census_gazetteer_2025", "catalog"):
        (root / "data" / folder).symlink_to(ROOT / "data" / folder)
    (root / "data" / "sample").mkdir()
    shutil.copy(DATASET, root / "data" / "sample" / "border.csv")
    return root


def test_new_source_writes_a_module_a_transform_a_test_a_fixture_and_a_draft_row(tree):
    done = new_source(tree, "sample_2020", "--platform", "sample", "--file", "data/sample/border.csv")
    assert done.returncode == 0, done.stderr
    for path in GENERATED:
        assert (tree / path).is_file(), path
    module = (tree / "ingest/sources/sample.py").read_text()
    assert '"Technology": "TechnologyType"' in module
    assert 'FACE_RECOGNITION = ("Face Recognition", "Face recognition")' in module
    assert "Iris scanning" not in module
    with open(tree / "data" / "sources.csv", newline="", encoding="utf-8") as fh:
        row = list(csv.DictReader(fh))[-1]
    assert (row["source_id"], row["platform"], row["files"], row["weight"]) == (
        "sample_2020",
        "sample",
        "sample/border.csv",
        "weak",
    )
    assert all(row[f].startswith("TODO") for f in ("url", "license", "attribution")), row
    init = (tree / "ingest/transform/__init__.py").read_text()
    assert '    "sample",\n)' in init
    order = transform_order(tree)  # the module runs after atlas_layout and before the Atlas transform
    assert order.index("atlas_layout") < order.index("sample") < order.index("atlas")
    # The fixture is the dataset's own rows: a few face-recognition rows and a few others.
    fixture = list(csv.DictReader(open(tree / "tests/fixtures/sample/border.csv", newline="", encoding="utf-8")))
    assert sum(r["TechnologyType"].lower() == "face recognition" for r in fixture) == 3
    assert sum(r["TechnologyType"].lower() != "face recognition" for r in fixture) == 3
    # The generated test passes as generated, through the real loader and transforms.
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_source_sample.py"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout


def transform_order(root: Path) -> list[str]:
    code = "import ingest.transform as t; print(' '.join(m.__name__.rsplit('.', 1)[1] for m in t.ORDER))"
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_generated_files_pass_ruff_as_generated(tree):
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        pytest.skip("ruff is not installed in this environment (make dev installs it)")
    files = [*GENERATED[:3], "ingest/transform/__init__.py"]
    for check in (["check"], ["format", "--check"]):
        done = subprocess.run([str(ruff), *check, "--no-cache", *files], cwd=tree, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_second_run_writes_nothing_and_says_why(tree):
    before = snapshot(tree)
    done = new_source(tree, "sample_2020", "--platform", "sample", "--file", "data/sample/border.csv")
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert message.startswith("Nothing was written, because ingest/sources/sample.py exists")
    assert "data/sources.csv already has a source 'sample_2020'" in message and "Traceback" not in message
    # Another source name, same platform: still refused, as the platform's files exist.
    assert new_source(tree, "other_2020", "--platform", "sample", "--file", "data/sample/border.csv").returncode == 2
    assert snapshot(tree) == before


@pytest.mark.parametrize(
    "args, said",
    [
        (("Bad-Name", "--platform", "x1", "--file", "data/sample/border.csv"), "The source name 'Bad-Name' must be"),
        (("ok_name", "--platform", "class", "--file", "data/sample/border.csv"), "The platform 'class' must be"),
        (("ok_name", "--platform", "ok_platform", "--file", "data/sample/missing.csv"), "There is no file at"),
        (("ok_name", "--platform", "ok_platform", "--file", "/etc/hostname"), "is not under"),
    ],
)
def test_bad_arguments_are_refused_in_a_sentence(tree, args, said):
    before = snapshot(tree)
    done = new_source(tree, *args)
    assert done.returncode == 2 and said in " ".join(done.stderr.split()) and "Traceback" not in done.stderr
    assert snapshot(tree) == before


def test_no_registered_source_is_left_a_draft():
    # The scaffold's row says TODO where only the contributor knows the answer: it must not be committed so.
    with open(ROOT / "data" / "sources.csv", newline="", encoding="utf-8") as fh:
        drafts = [r["source_id"] for r in csv.DictReader(fh) if any("TODO" in (v or "") for v in r.values())]
    assert drafts == []


def test_contributing_shows_the_real_command_and_the_real_lines():
    # The worked example is the campus dataset as it was added: its command parses and its filled-in lines are
    # the module's own, so the guide cannot drift from the code.
    guide = (ROOT / "CONTRIBUTING.md").read_text()
    command = re.search(r"python -m ingest (new-source (?:[^\n]*\\\n)*[^\n]*)", guide).group(1)
    words = command.replace("\\\n", " ").split()
    assert words[:2] == ["new-source", "eff_campus_police_2021"]
    args = parser().parse_args(words)
    assert (args.platform, Path(ROOT / args.file).is_file()) == ("eff_campus_police", True)
    module = (ROOT / "ingest" / "sources" / "eff_campus_police.py").read_text()
    diff = guide[guide.index("```diff") : guide.index("```", guide.index("```diff") + 7)]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+")]
    assert len(added) == 5 and all(line in module.splitlines() for line in added)


def test_a_tree_without_the_added_tuple_is_refused_before_anything_is_written(tree, tmp_path):
    other = tmp_path / "repo"
    shutil.copytree(tree, other, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    init = other / "ingest" / "transform" / "__init__.py"
    # Someone rewrote the tuple in another form: the scaffold cannot edit it safely, so it edits nothing.
    init.write_text(re.sub(r"ADDED = \(([^)]*)\)", r"ADDED = tuple([\1])", init.read_text()))
    before = snapshot(other)
    done = new_source(other, "late_2020", "--platform", "late", "--file", "data/sample/border.csv")
    assert done.returncode == 2 and "has no tuple 'ADDED = (...)'" in " ".join(done.stderr.split())
    assert snapshot(other) == before
