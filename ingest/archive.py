"""The raw archive: every response a connector received, unedited, with where and when it came from.

    <root>/<source_id>/<run-stamp>/<n>.<ext>         the body, byte for byte
    <root>/<source_id>/<run-stamp>/<n>.meta.json     url, params (secrets removed), status, fetched_at, sha256, ...
                                                     (redirected_from: the URL asked, when another host answered)
    <root>/<source_id>/cursor.json                   where the next incremental run starts
    <root>/runs.jsonl                                one line per run, loaded into meta.ingest_runs at every build

A run writes into a hidden partial folder and is moved into place only when the whole fetch succeeded,
so a crash or a fault mid-run leaves nothing half-written for the build to read. The folder's name carries
the fetching process's id: the next fetch of the source removes the folders of processes that are gone
(a run killed outright never gets to discard its own). The database is
rebuilt from this folder, so it survives any database file and is what `--offline` rebuilds from.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ingest import settings
from ingest.http import left_host, public_params, scrub, strip_query

PARTIAL_PREFIX = ".partial-"


def archive_dir() -> Path:
    return settings.archive_dir()


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def run_stamp(when: datetime | None = None) -> str:
    # Sortable, and fine-grained enough that two runs in one second do not collide.
    return (when or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


@dataclass(frozen=True)
class Archived:
    """One archived response: its body on disk and what was recorded about it."""

    path: Path
    meta: dict

    @property
    def kind(self) -> str:
        return self.meta.get("kind", "page")


class RunArchive:
    """The responses of one source's run, kept apart until `commit`."""

    def __init__(self, root: Path, source_id: str, stamp: str | None = None):
        self.root, self.source_id = Path(root), source_id
        self.stamp = stamp or run_stamp()
        self.partial = self.root / source_id / f"{PARTIAL_PREFIX}{self.stamp}-{os.getpid()}"
        self.final = self.root / source_id / self.stamp
        self.count = 0
        self.redirects: dict[tuple[str, str], int] = {}  # (asked host, answering host) -> responses

    def save(
        self,
        body: bytes,
        *,
        url: str,
        ext: str,
        params: dict | None = None,
        status: int = 200,
        content_type: str | None = None,
        kind: str = "page",
        extra: dict | None = None,
    ) -> Archived:
        self.partial.mkdir(parents=True, exist_ok=True)
        self.count += 1
        path = self.partial / f"{self.count}.{ext}"
        path.write_bytes(body)
        meta = {
            "url": scrub(url),
            "params": public_params(params),
            "status": status,
            "fetched_at": now_utc().isoformat(),
            "sha256": hashlib.sha256(body).hexdigest(),
            "bytes": len(body),
            "content_type": content_type,
            "kind": kind,
            **(extra or {}),
        }
        (self.partial / f"{self.count}.meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False))
        return Archived(path, meta)

    def save_response(
        self, response, *, ext: str, params: dict | None = None, kind: str = "page", extra: dict | None = None
    ) -> Archived:
        """Archive a response under the URL that answered it; one that a redirect brought from another host
        also records the URL that was asked for, and the run's notes say so."""
        moved = left_host(response)
        if moved:
            self.redirects[moved] = self.redirects.get(moved, 0) + 1
            extra = {**(extra or {}), "redirected_from": scrub(strip_query(str(response.history[0].request.url)))}
        return self.save(
            response.content,
            url=str(response.url),
            ext=ext,
            params=params,
            status=response.status_code,
            content_type=response.headers.get("content-type"),
            kind=kind,
            extra=extra,
        )

    def notes(self) -> list[str]:
        """What cross-host redirects did in this run, one sentence per pair of hosts."""
        return [
            f"{n} response(s) asked of {asked} came from {came} after a redirect: followed because those "
            f"requests carried no token, and archived under {came}'s address"
            for (asked, came), n in sorted(self.redirects.items())
        ]

    def commit(self) -> Path | None:
        """Move the run into place; a run that saved nothing leaves nothing behind."""
        if not self.partial.exists():
            return None
        os.replace(self.partial, self.final)
        return self.final

    def discard(self) -> None:
        shutil.rmtree(self.partial, ignore_errors=True)


def sweep_abandoned(root: Path, source_id: str) -> list[str]:
    """Remove the partial runs of this source whose fetching process is gone; return their names.

    A folder whose process still runs (or whose name gives none) is left alone: it may be a fetch in progress."""
    folder = Path(root) / source_id
    removed = []
    for partial in sorted(folder.glob(f"{PARTIAL_PREFIX}*")) if folder.is_dir() else []:
        pid = partial.name.rsplit("-", 1)[-1]
        if partial.is_dir() and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(partial, ignore_errors=True)
            removed.append(partial.name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: asks whether the process exists, sends nothing
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def runs_of(root: Path, source_id: str) -> list[Path]:
    folder = Path(root) / source_id
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(PARTIAL_PREFIX))


def responses(root: Path, source_id: str, latest_only: bool = False) -> list[Archived]:
    """Archived responses of committed runs, oldest run first and in fetch order within a run."""
    runs = runs_of(root, source_id)
    if latest_only:
        runs = runs[-1:]
    out = []
    for run in runs:
        metas = sorted(run.glob("*.meta.json"), key=lambda p: int(p.name.split(".")[0]))
        for meta_path in metas:
            n = meta_path.name.split(".")[0]
            body = next(p for p in run.glob(f"{n}.*") if not p.name.endswith(".meta.json"))
            out.append(Archived(body, json.loads(meta_path.read_text())))
    return out


def read_cursor(root: Path, source_id: str) -> dict:
    path = Path(root) / source_id / "cursor.json"
    return json.loads(path.read_text()) if path.exists() else {}


def write_cursor(root: Path, source_id: str, cursor: dict) -> None:
    folder = Path(root) / source_id
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / ".cursor.json.tmp"
    tmp.write_text(json.dumps(cursor, indent=1, sort_keys=True))
    os.replace(tmp, folder / "cursor.json")


def append_run(root: Path, record: dict) -> None:
    """One JSON line per run; the log outlives every database file built from it."""
    Path(root).mkdir(parents=True, exist_ok=True)
    line = scrub(json.dumps(record, default=str, ensure_ascii=False))
    with open(Path(root) / "runs.jsonl", "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def read_runs(root: Path) -> list[dict]:
    path = Path(root) / "runs.jsonl"
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a crash: the other runs still count
    return out
