"""Run every benchmark and write bench/RESULTS.md (figures from one run on this machine)."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Each prints Markdown table rows starting with "|"; all get this script's arguments (e.g. --scales 10000,100000).
# bench.server_memory needs chromium and playwright: the Streamlit server's own memory under 5 browser sessions.
# bench.cold_start clones HEAD and times `make run` there to the map on screen.
BENCHES = ["bench.bench_matching", "bench.bench_scale", "bench.server_memory", "bench.cold_start"]
HERE = Path(__file__).resolve().parent


def main() -> int:
    args = sys.argv[1:]
    if any(a in ("-h", "--help") for a in args):
        print(__doc__.strip() + "\nOptions are passed to each benchmark: " + ", ".join(BENCHES) + " (each has --help).")
        return 0
    if not any(a == "--keep" or a.startswith("--keep=") for a in args):
        # One SYNTHETIC build per scale: the scale bench builds it, the server memory bench serves the same file.
        shared = tempfile.mkdtemp(prefix="SYNTHETIC-bench-")
        try:
            return run(args + ["--keep", shared])
        finally:
            shutil.rmtree(shared, ignore_errors=True)
    return run(args)


def run(args: list[str]) -> int:
    lines = [
        "# Benchmark results\n",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
        f"{platform.machine()}, Python {platform.python_version()}. One run; the machine is shared and noisy.\n",
        "| benchmark | workload | figure | notes |",
        "|---|---|---|---|",
    ]
    for module in BENCHES:
        # Stream each row as it comes: the scale bench runs for minutes.
        proc = subprocess.Popen([sys.executable, "-m", module, *args], stdout=subprocess.PIPE, text=True)
        for line in proc.stdout:
            if line.startswith("|"):
                print(line.rstrip("\n"), flush=True)
                lines.append(line.rstrip("\n"))
        if proc.wait() != 0:
            return proc.returncode
    if len(lines) == 4:  # no benchmark printed a row: keep the last results rather than write an empty table
        print("no benchmark printed a figure; bench/RESULTS.md is unchanged")
        return 1
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {HERE / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
