"""Run every benchmark and write bench/RESULTS.md (figures from one run on this machine)."""
from __future__ import annotations

import platform
import subprocess
import sys
import time
from pathlib import Path

BENCHES = ["bench.bench_matching"]
HERE = Path(__file__).resolve().parent


def main() -> int:
    lines = [f"# Benchmark results\n", f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
             f"{platform.machine()}, Python {platform.python_version()}. One run; the machine is shared and noisy.\n",
             "| benchmark | workload | figure | notes |", "|---|---|---|---|"]
    for module in BENCHES:
        result = subprocess.run([sys.executable, "-m", module, *sys.argv[1:]], capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return result.returncode
        rows = [line for line in result.stdout.splitlines() if line.startswith("|")]
        print("\n".join(rows))
        lines += rows
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {HERE / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
