"""Redaction time on adversarial text: every shape that made a backtracking pattern quadratic, or could.

The email pattern used to try each start position against the rest of a run ("a.a.a.…": 4.8 s on 100,000
characters, over 20 s on 1,000,000); redaction must stay linear, about 0.1 s per million characters here.
Usage: python -m bench.bench_redaction [--sizes 100000,1000000] [--limit 20]
Prints Markdown table rows (lines starting with "|"); a shape that takes longer than --limit is stopped.
"""

from __future__ import annotations

import argparse
import signal
import time

from rules.redact import redact


def repeat(unit: str):
    return lambda n: (unit * (n // len(unit) + 1))[:n]


SHAPES = {
    "a*N": repeat("a"),
    "a.*N": repeat("a."),
    "'1 '*N": repeat("1 "),
    "@*N": repeat("@"),
    "a@*N": repeat("a@"),
    "a@a.*N": repeat("a@a."),
    "1-*N": repeat("1-"),
    "1.*N": repeat("1."),
    "(a*10 .)*N": repeat("a" * 10 + "."),
    "x@ + a.*N": lambda n: "x@" + "a." * (n // 2),
    "a*N + @": lambda n: "a" * n + "@",
    "(a*64 @)*N": repeat("a" * 64 + "@"),
    "(a*64 @ a*252)*N": repeat("a" * 64 + "@" + "a" * 252),
    "'+1 (2'*N": repeat("+1 (2"),
    "'COR: a '*N": repeat("COR: a "),
    "'co-'*N": repeat("co-"),
    "COR + spaces*N + ':'": lambda n: "COR" + " " * n + ":",
    "'COR: ab' + spaces*N + c": lambda n: "COR: ab" + " " * n + "c",
}


class TooSlow(Exception):
    pass


def timed(text: str, limit: int) -> str:
    def stop(*_):
        raise TooSlow

    signal.signal(signal.SIGALRM, stop)  # the regex engine checks for signals, so the alarm interrupts it
    signal.alarm(limit)
    started = time.perf_counter()
    try:
        redact(text)
        return f"{time.perf_counter() - started:.3f} s"
    except TooSlow:
        return f"> {limit} s (stopped)"
    finally:
        signal.alarm(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("| text | " + " | ".join(f"{n:,} chars" for n in sizes) + " |")
    print("|---" * (len(sizes) + 1) + "|")
    for name, make in SHAPES.items():
        print(f"| `{name}` | " + " | ".join(timed(make(n), args.limit) for n in sizes) + " |", flush=True)


if __name__ == "__main__":
    main()
