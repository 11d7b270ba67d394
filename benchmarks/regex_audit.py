"""Regular-expression audit: every pattern in quotecheck, on adversarial text.

Run from the repository root::

    python benchmarks/regex_audit.py            # prints the worst ratio of each pattern
    python benchmarks/regex_audit.py --check    # also exits 1 if one exceeds 20

Every compiled pattern at module level in `quotecheck` is run with
`finditer` (and `match` at each of the first positions, for anchored use)
over runs of characters that its classes and alternatives care about, at a
base length and at ten times that length. A linear pattern stays near 10
(timer and cache noise move it by a few); quadratic backtracking shows as
about 100, hence the limit of 20. Times are CPU time, best of three.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time

import regex

import quotecheck

# Every module of the package (those needing an extra that is not installed are skipped).
MODULES = sorted(m.name for m in pkgutil.iter_modules(quotecheck.__path__) if m.name not in {"__main__"})
# Runs of one character, and short units repeated, that sit inside the patterns' classes.
UNITS = [
    " ", "\t", "\n", "\r\n", "\n ", "a", "1", "1.", ".", ". ", "-", "--", "[", "[a", "[ ", "]", "+", "+++ ",
    '"', "\u201c", "'", "\u2019", "a'", "\u00e2\u20ac", "\u00e2", "\u2026", ">", "> a\n", "according ", "said ", "x\n\n",
    "<", "<b>", "<a ", "&", "&amp;", "=", "---\n", "date: ", "2020 ", "June ", "not ", "\u202e", "\x9b",
]  # fmt: skip
BASE = 50_000


def _patterns() -> list[tuple[str, regex.Pattern[str] | regex.Pattern[bytes]]]:
    found = []
    for name in MODULES:
        try:
            module = importlib.import_module(f"quotecheck.{name}")
        except ImportError:
            continue
        for attr, value in sorted(vars(module).items()):
            if isinstance(value, regex.Pattern):
                found.append((f"{name}.{attr}", value))
    return found


def _cost(pattern: regex.Pattern[str] | regex.Pattern[bytes], text: str) -> float:
    subject: str | bytes = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _match in pattern.finditer(subject):  # type: ignore[arg-type]
            pass
        pattern.match(subject)  # type: ignore[arg-type]
        pattern.search(subject)  # type: ignore[arg-type]
        best = min(best, time.process_time() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if any ratio exceeds --limit")
    parser.add_argument("--limit", type=float, default=20.0)
    parser.add_argument("modules", nargs="*", help="modules to audit (default: all)")
    args = parser.parse_args(argv)
    worst_overall = 0.0
    print("| pattern | worst input | time 1x | time 10x | ratio |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name, pattern in _patterns():
        if args.modules and name.split(".")[0] not in args.modules:
            continue
        worst = (0.0, "", 0.0, 0.0)
        for unit in UNITS:
            small = unit * (BASE // len(unit))
            large = unit * (10 * BASE // len(unit))
            t_small, t_large = _cost(pattern, small), _cost(pattern, large)
            # Below a millisecond the ratio is noise: count it as linear.
            ratio = t_large / t_small if t_large > 1e-3 else 10.0
            if ratio > worst[0]:
                worst = (ratio, unit, t_small, t_large)
        worst_overall = max(worst_overall, worst[0])
        print(f"| `{name}` | `{worst[1]!r}` runs | {worst[2] * 1000:.2f} ms | {worst[3] * 1000:.2f} ms | {worst[0]:.1f} |", flush=True)
    print(f"\nworst ratio {worst_overall:.1f} (limit {args.limit:g})")
    return 1 if args.check and worst_overall > args.limit else 0


if __name__ == "__main__":
    sys.exit(main())
