"""Every setting of Who's Watching, and the only module that reads the environment.

Values are read when asked, not when this module is imported: tests and long-running processes change
them at run time. `python -m ingest settings` prints each setting, its value and where the value comes from.

What the program writes at run time lives in one state directory, apart from the committed inputs in data/:

| Variable                    | Default                        | What it sets                                          |
|-----------------------------|--------------------------------|-------------------------------------------------------|
| WATCHDOG_STATE              | state/ at the repository root  | the folder for everything written at run time         |
| WATCHDOG_DB                 | $WATCHDOG_STATE/watchdog.duckdb| the database (its Atom feeds go to feeds/ beside it)  |
| WATCHDOG_ARCHIVE            | $WATCHDOG_STATE/archive        | every live response, kept unedited, and runs.jsonl    |
| WATCHDOG_RELEASES           | $WATCHDOG_STATE/releases       | dated releases (Parquet, manifest, changelog)         |
| WATCHDOG_REQUESTS           | $WATCHDOG_STATE/requests.json  | the records requests tracked on My requests           |
| WATCHDOG_WATCHLISTS         | $WATCHDOG_STATE/watchlists.json| the watchlists of What's new                          |
| WATCHDOG_DB_MEMORY          | 512MB                          | DuckDB memory limit of one dashboard process          |
| WATCHDOG_DB_THREADS         | min(2, cores)                  | DuckDB threads of one dashboard process               |
| WATCHDOG_DB_TEMP            | <tmp>/whos-watching-duckdb     | where a large dashboard query spills to disk          |
| WATCHDOG_HTTP_INTERVAL      | 1.0                            | seconds between two requests to one host              |
| WATCHDOG_DASHBOARD_URL      | http://127.0.0.1:8501          | where the static public pages send readers for tools  |
| WATCHDOG_SITE_URL           | (none)                         | where the baked public site is published, if anywhere |
| WATCHDOG_<PLATFORM>_BASE_URL| (the registry's own host)      | scheme and host replacing a platform's, e.g. a mirror |
| SOCRATA_APP_TOKEN           | (none)                         | Socrata app token (secret)                            |
| MUCKROCK_TOKEN              | (none)                         | MuckRock access token (secret)                        |
| MUCKROCK_REFRESH_TOKEN      | (none)                         | MuckRock refresh token (secret)                       |
| MUCKROCK_USERNAME           | (none)                         | MuckRock user name, to sign in when there is no token |
| MUCKROCK_PASSWORD           | (none)                         | MuckRock password (secret)                            |
| MUCKROCK_AUTH_URL           | https://accounts.muckrock.com/api/ | MuckRock's sign-in service                        |

Uploads kept from the workbench go to $WATCHDOG_STATE/uploads/.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUCKROCK_AUTH_URL = "https://accounts.muckrock.com/api/"
DEFAULT_HTTP_INTERVAL = 1.0
DEFAULT_DASHBOARD_URL = "http://127.0.0.1:8501"
BASE_URL_PATTERN = re.compile(r"^WATCHDOG_([A-Z0-9_]+)_BASE_URL$")


@dataclass(frozen=True)
class Setting:
    variable: str
    default: str  # as a reader would say it
    about: str
    secret: bool = False


SETTINGS = (
    Setting("WATCHDOG_STATE", "state/ at the repository root", "everything written at run time"),
    Setting("WATCHDOG_DB", "$WATCHDOG_STATE/watchdog.duckdb", "the database; its feeds go to feeds/ beside it"),
    Setting("WATCHDOG_ARCHIVE", "$WATCHDOG_STATE/archive", "live responses, kept unedited, and runs.jsonl"),
    Setting("WATCHDOG_RELEASES", "$WATCHDOG_STATE/releases", "dated releases"),
    Setting("WATCHDOG_REQUESTS", "$WATCHDOG_STATE/requests.json", "records requests tracked on My requests"),
    Setting("WATCHDOG_WATCHLISTS", "$WATCHDOG_STATE/watchlists.json", "watchlists of What's new"),
    Setting("WATCHDOG_DB_MEMORY", "512MB", "DuckDB memory limit of one dashboard process"),
    Setting("WATCHDOG_DB_THREADS", "min(2, cores)", "DuckDB threads of one dashboard process"),
    Setting("WATCHDOG_DB_TEMP", "<tmp>/whos-watching-duckdb", "where a large dashboard query spills to disk"),
    Setting("WATCHDOG_HTTP_INTERVAL", str(DEFAULT_HTTP_INTERVAL), "seconds between two requests to one host"),
    Setting("WATCHDOG_DASHBOARD_URL", DEFAULT_DASHBOARD_URL, "the dashboard the static public pages link to"),
    Setting("WATCHDOG_SITE_URL", "(none)", "where the baked public site is published, for the dashboard's links"),
    Setting("SOCRATA_APP_TOKEN", "(none)", "Socrata app token", secret=True),
    Setting("MUCKROCK_TOKEN", "(none)", "MuckRock access token", secret=True),
    Setting("MUCKROCK_REFRESH_TOKEN", "(none)", "MuckRock refresh token", secret=True),
    Setting("MUCKROCK_USERNAME", "(none)", "MuckRock user name, to sign in when there is no token"),
    Setting("MUCKROCK_PASSWORD", "(none)", "MuckRock password", secret=True),
    Setting("MUCKROCK_AUTH_URL", MUCKROCK_AUTH_URL, "MuckRock's sign-in service"),
)
SECRET_VARIABLES = tuple(s.variable for s in SETTINGS if s.secret)


def _env(variable: str) -> str | None:
    """The variable's value, or None when it is unset or empty (an empty value means "use the default")."""
    return os.environ.get(variable) or None


# Where things are written ---------------------------------------------------------------------------------


def state_dir() -> Path:
    return Path(_env("WATCHDOG_STATE") or ROOT / "state")


def db_path() -> Path:
    return Path(_env("WATCHDOG_DB") or state_dir() / "watchdog.duckdb")


def feeds_dir(database: Path | None = None) -> Path:
    """Feeds sit beside their database, so a test database never writes into the real state directory."""
    return Path(database or db_path()).parent / "feeds"


def archive_dir() -> Path:
    return Path(_env("WATCHDOG_ARCHIVE") or state_dir() / "archive")


def releases_dir() -> Path:
    return Path(_env("WATCHDOG_RELEASES") or state_dir() / "releases")


def requests_file() -> Path:
    return Path(_env("WATCHDOG_REQUESTS") or state_dir() / "requests.json")


def watchlists_file() -> Path:
    return Path(_env("WATCHDOG_WATCHLISTS") or state_dir() / "watchlists.json")


def uploads_dir() -> Path:
    return state_dir() / "uploads"


# How the dashboard's database reader behaves ---------------------------------------------------------------


def db_memory_limit() -> str:
    return _env("WATCHDOG_DB_MEMORY") or "512MB"


def db_threads() -> int:
    return int(_env("WATCHDOG_DB_THREADS") or min(2, os.cpu_count() or 1))


def db_temp_dir() -> Path:
    return Path(_env("WATCHDOG_DB_TEMP") or Path(tempfile.gettempdir()) / "whos-watching-duckdb")


# The public site (python -m ingest site) ----------------------------------------------------------------------


def dashboard_url() -> str:
    """The dashboard the static pages send a reader to for its tools (letter, brief, watch)."""
    return _env("WATCHDOG_DASHBOARD_URL") or DEFAULT_DASHBOARD_URL


def site_url() -> str | None:
    """Where the baked public site is published, so that the dashboard can link to its pages; None when not."""
    return _env("WATCHDOG_SITE_URL")


# Live sources ----------------------------------------------------------------------------------------------


def http_interval() -> float:
    return float(_env("WATCHDOG_HTTP_INTERVAL") or DEFAULT_HTTP_INTERVAL)


def base_url(platform: str) -> str | None:
    """WATCHDOG_<PLATFORM>_BASE_URL, or None for the registry's own host."""
    return _env(f"WATCHDOG_{platform.upper()}_BASE_URL")


def secret_values() -> list[str]:
    """Every configured token or password, so that none is ever printed or stored."""
    return [v for v in (_env(name) for name in SECRET_VARIABLES) if v]


def socrata_app_token() -> str | None:
    return _env("SOCRATA_APP_TOKEN")


def muckrock_auth_url() -> str:
    return _env("MUCKROCK_AUTH_URL") or MUCKROCK_AUTH_URL


def muckrock_token() -> str | None:
    return _env("MUCKROCK_TOKEN")


def muckrock_refresh_token() -> str | None:
    return _env("MUCKROCK_REFRESH_TOKEN")


def muckrock_login() -> tuple[str | None, str | None]:
    return _env("MUCKROCK_USERNAME"), _env("MUCKROCK_PASSWORD")


# What `python -m ingest settings` prints -------------------------------------------------------------------

_VALUES = {
    "WATCHDOG_STATE": state_dir,
    "WATCHDOG_DB": db_path,
    "WATCHDOG_ARCHIVE": archive_dir,
    "WATCHDOG_RELEASES": releases_dir,
    "WATCHDOG_REQUESTS": requests_file,
    "WATCHDOG_WATCHLISTS": watchlists_file,
    "WATCHDOG_DB_MEMORY": db_memory_limit,
    "WATCHDOG_DB_THREADS": db_threads,
    "WATCHDOG_DB_TEMP": db_temp_dir,
    "WATCHDOG_HTTP_INTERVAL": http_interval,
    "WATCHDOG_DASHBOARD_URL": dashboard_url,
    "MUCKROCK_AUTH_URL": muckrock_auth_url,
}


def describe() -> list[tuple[str, str, str, str]]:
    """(variable, value, where it comes from, what it sets) for every setting; secrets are never shown."""
    rows = []
    for s in SETTINGS:
        given = _env(s.variable)
        origin = "environment" if given else "default"
        if s.secret:
            value = "(set, hidden)" if given else "(not set)"
        elif s.variable in _VALUES:
            try:
                value = str(_VALUES[s.variable]())
            except ValueError:
                value, origin = f"{given!r} (not understood)", "environment"
        else:
            value = given or "(not set)"
        rows.append((s.variable, value, origin, s.about))
    for variable in sorted(v for v in os.environ if BASE_URL_PATTERN.match(v)):
        rows.append((variable, os.environ[variable], "environment", "scheme and host replacing a platform's"))
    return rows
