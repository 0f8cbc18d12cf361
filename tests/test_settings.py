"""One settings module reads the environment; what the program writes goes to one state directory; the
command line explains itself and fails in sentences."""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import cli, settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "dashboard", "rules", "bench")
OURS = {"WATCHDOG_", "SOCRATA_", "MUCKROCK_"}


def clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment without any of our settings (the session points WATCHDOG_DB at its
    own database), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not any(k.startswith(p) for p in OURS)}
    return {**env, **extra}


def ingest(*args: str, env: dict[str, str] | None = None, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "ingest", *args]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env if env is not None else clean_env()
    )


# ------------------------------------------------------------------------------- one reader of the environment


def environment_reads(path: Path) -> list[str]:
    """Where a file reads the environment: os.environ or getenv used other than to set a variable or to pass
    the whole environment on to a child process."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        named = (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb")) or (
            isinstance(node, ast.Name) and node.id in ("environ", "getenv")
        )
        if not named:
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store | ast.Del):
            continue  # os.environ["X"] = ...: sets a variable for what follows, reads nothing
        if isinstance(parent, ast.Call) and getattr(parent.func, "id", None) == "dict" and parent.args[:1] == [node]:
            continue  # dict(os.environ, X=...): the environment handed on to a child process
        if isinstance(parent, ast.Dict) and None in parent.keys and node in parent.values:
            continue  # {**os.environ, ...}: the same
        if isinstance(parent, ast.ImportFrom):
            continue
        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_only_the_settings_module_reads_the_environment():
    files = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    assert len(files) > 40  # the scan sees the code, not an empty folder
    reads = [where for path in files if path != ROOT / "ingest" / "settings.py" for where in environment_reads(path)]
    assert reads == [], f"read the environment through ingest/settings.py instead: {reads}"
    assert environment_reads(ROOT / "ingest" / "settings.py")  # and the scan does find reads where they are


def test_every_variable_read_is_documented_in_the_settings_module():
    source = (ROOT / "ingest" / "settings.py").read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source))
    named = {s.variable for s in settings.SETTINGS}
    assert named <= {word.strip("|` ") for line in doc.splitlines() for word in line.split("|")}
    read = set(__import__("re").findall(r'_env\("([A-Z_]+)"\)', source))
    assert read and read <= named, read - named


def test_settings_are_read_when_asked_not_when_imported(monkeypatch, tmp_path):
    for name in ("WATCHDOG_DB", "WATCHDOG_ARCHIVE", "WATCHDOG_RELEASES", "WATCHDOG_REQUESTS", "WATCHDOG_WATCHLISTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("WATCHDOG_STATE", raising=False)
    state = ROOT / "state"
    assert settings.state_dir() == state
    assert (settings.db_path(), settings.archive_dir(), settings.releases_dir()) == (
        state / "watchdog.duckdb",
        state / "archive",
        state / "releases",
    )
    assert (settings.requests_file(), settings.watchlists_file(), settings.uploads_dir()) == (
        state / "requests.json",
        state / "watchlists.json",
        state / "uploads",
    )
    assert settings.feeds_dir() == state / "feeds"

    monkeypatch.setenv("WATCHDOG_STATE", str(tmp_path))
    from dashboard import tracker
    from ingest import archive, paths, watchlists

    assert paths.db_path() == tmp_path / "watchdog.duckdb"
    assert archive.archive_dir() == tmp_path / "archive"
    assert tracker.path() == tmp_path / "requests.json" and watchlists.path() == tmp_path / "watchlists.json"
    monkeypatch.setenv("WATCHDOG_DB", str(tmp_path / "elsewhere" / "x.duckdb"))  # one override, as tests use
    assert (
        paths.db_path() == tmp_path / "elsewhere" / "x.duckdb"
        and settings.feeds_dir() == tmp_path / "elsewhere" / "feeds"
    )
    assert settings.archive_dir() == tmp_path / "archive"


def test_what_the_program_writes_is_ignored_by_git_and_data_holds_only_inputs():
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    names = ["state/watchdog.duckdb", "state/archive/runs.jsonl", "state/requests.json", "state/feeds/x.xml"]
    ignored = subprocess.run(["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert ignored == names
    assert all(not (ROOT / "data" / name).exists() or (ROOT / "data" / name).is_symlink() for name in ())


def test_make_builds_into_the_state_directory_by_default():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    said = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True, env=clean_env()).stdout
    assert "build state/watchdog.duckdb" in said
    moved = subprocess.run(
        ["make", "help"], cwd=ROOT, capture_output=True, text=True, env=clean_env(WATCHDOG_STATE="/srv/ww")
    ).stdout
    assert "build /srv/ww/watchdog.duckdb" in moved


def test_a_build_writes_everything_into_the_state_directory_it_is_given(tmp_path):
    state = tmp_path / "state"
    before = sorted(p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*"))
    done = ingest("build", env=clean_env(WATCHDOG_STATE=str(state)))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (state / "watchdog.duckdb").is_file()
    assert (state / "feeds" / "whats-new.xml").is_file()
    assert f"Built {state / 'watchdog.duckdb'} and swapped it in." in " ".join(done.stderr.split())
    assert sorted(p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*")) == before  # data/ untouched

    shown = ingest("settings", env=clean_env(WATCHDOG_STATE=str(state), COLUMNS="300"))
    assert shown.returncode == 0, shown.stderr
    line = next(line for line in shown.stdout.splitlines() if "WATCHDOG_DB " in line)
    assert str(state / "watchdog.duckdb") in line and "default" in line
    line = next(line for line in shown.stdout.splitlines() if "WATCHDOG_STATE" in line)
    assert str(state) in line and "environment" in line

    runs = ingest("runs", env=clean_env(WATCHDOG_STATE=str(state)))  # the other commands find it there too
    assert runs.returncode == 0, runs.stderr


def test_the_settings_table_never_shows_a_secret():
    shown = ingest("settings", env=clean_env(MUCKROCK_TOKEN="tok-abc-123", SOCRATA_APP_TOKEN="soc-xyz-987"))
    assert shown.returncode == 0, shown.stderr
    assert "tok-abc-123" not in shown.stdout and "soc-xyz-987" not in shown.stdout
    assert "(set, hidden)" in shown.stdout


# ----------------------------------------------------------------------------------------- the command line


def test_every_command_and_option_says_what_it_is_for():
    top = cli.parser()
    (commands,) = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    missing = []
    for name, sub in commands.choices.items():
        helps = {a.help for a in commands._choices_actions if a.dest == name}
        if not all(helps):
            missing.append(name)
        missing += [f"{name} {a.option_strings or a.dest}" for a in sub._actions if not a.help]
    assert missing == []
    # Readable names in the code too: no `b = sub.add_parser("build")`.
    tree = ast.parse((ROOT / "ingest" / "cli.py").read_text(encoding="utf-8"))
    short = [
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
        for target in node.targets
        if isinstance(target, ast.Name) and len(target.id) < 3
    ]
    assert short == []
    assert set(commands.choices) >= {
        "build",
        "run",
        "sources",
        "runs",
        "match-agencies",
        "classify",
        "claims",
        "release",
        "new-source",
        "settings",
    }


def test_an_unreadable_database_is_told_as_a_sentence(tmp_path):
    garbage = tmp_path / "watchdog.duckdb"
    garbage.write_text("not a database", encoding="utf-8")
    done = ingest("claims", "--db", str(garbage))
    said = " ".join(done.stderr.split())
    assert done.returncode == 1
    assert said.startswith("The database could not be read or written:"), said
    assert "Error" not in said and "Exception" not in said and "Traceback" not in said

    missing = ingest("claims", "--db", str(tmp_path / "none.duckdb"))
    said = " ".join(missing.stderr.split())
    assert missing.returncode == 1 and said.startswith("There is no database at") and "make data" in said
    assert "FileNotFoundError" not in said


BROKEN = (
    "import sys; from ingest import cli, registry; registry.load = lambda: {}['x']; "
    "raise SystemExit(cli.main(sys.argv[1:]))"
)


def test_a_fault_in_the_program_is_a_sentence_and_verbose_shows_the_details():
    done = ingest("sources", code=BROKEN)
    said = " ".join(done.stderr.split())
    assert done.returncode == 1
    assert said == (
        "The sources command stopped on an unexpected problem inside the program. "
        "Run it again with --verbose to see the details, and please report them."
    )
    assert "KeyError" not in done.stdout + done.stderr

    for args in (["--verbose", "sources"], ["sources", "--verbose"]):
        detailed = ingest(*args, code=BROKEN)
        assert detailed.returncode == 1
        assert "Traceback" in detailed.stderr and "KeyError: 'x'" in detailed.stderr
        assert "stopped on an unexpected problem" in detailed.stderr


def test_a_secret_never_reaches_the_details_of_a_failure():
    code = (
        "import sys; from ingest import cli, registry\n"
        "def load():\n    raise RuntimeError('token sekrit-555 refused')\n"
        "registry.load = load; raise SystemExit(cli.main(sys.argv[1:]))"
    )
    done = ingest("--verbose", "sources", code=code, env=clean_env(MUCKROCK_TOKEN="sekrit-555"))
    assert done.returncode == 1 and "Traceback" in done.stderr
    assert "sekrit-555" not in done.stderr and "[secret]" in done.stderr
