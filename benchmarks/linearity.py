"""Linearity benchmark: does 10x the input take at most 12x the time?

Run from the repository root::

    python benchmarks/linearity.py            # prints a Markdown table
    python benchmarks/linearity.py --check    # also exits 1 if a ratio exceeds 12

For each kind of input, typical and adversarial, the whole pipeline
(`quotecheck.check` against the built-in registry) runs on a base size and on
ten times that size, in this process; the figure that matters is the ratio of
the two times, not the times themselves, so the machine's speed cancels out.
Times are CPU time of this process (so other processes on a busy machine
barely affect them), the best of a few runs, the two sizes measured in turn. Peak memory is measured with tracemalloc
on the larger input, in a separate run (tracemalloc slows the code down), and
given as a multiple of the input's size in bytes (UTF-8).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import quotecheck

ROOT = Path(__file__).resolve().parent.parent
SEEDS = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "articles").glob("*.txt")))
WORDS = " ".join(f"w{i % 997}" for i in range(5000))
SEEDS_HTML = "".join(f"<p>{paragraph}</p>\n" for paragraph in SEEDS.split("\n\n"))
LETTER = max((s.text for s in quotecheck.builtin_registry().sources), key=len)

# name -> (what it is, text of size n, base n)
CASES: dict[str, tuple[str, Callable[[int], str], int]] = {
    "typical": ("the five seed articles, repeated", lambda n: SEEDS * n, 5),
    "unbalanced_double": ("`\u201cword` repeated: every mark opens, none closes", lambda n: " \u201cword" * n, 2_000),
    "stray_straight": ('`"` repeated: a run of straight double marks', lambda n: '"' * n, 50_000),
    "stray_single": ("` 'word` repeated: single marks that never close", lambda n: " 'word" * n, 5_000),
    "mixed_marks": ("every quotation-mark style, unbalanced", lambda n: "a \"b \u201c c \u00ab d ' e \u201e f " * n, 1_000),
    "run_of_a": ("one character repeated, one line", lambda n: "a" * n, 5_000_000),
    "run_of_dots": ("dots: ellipses everywhere", lambda n: "." * n, 2_000_000),
    "one_long_line": ("words on one line, no quotation", lambda n: (WORDS + " ") * n, 200),
    "nested": ("brackets and quotes nested n deep", lambda n: "\u201c'([" * n + "x" + "])'\u201d" * n, 5_000),
    "long_quotations": ("quotations of 300 words", lambda n: ("He said: \u201c" + WORDS[:1800] + ".\u201d\n\n") * n, 20),
    "blockquote_lines": ("`> a` lines: one block quote each", lambda n: "> a\n\n" * n, 1_000),
    "said_cues": ('`"x y z," said ` repeated: cue words everywhere', lambda n: '"x y z," said ' * n, 500),
    "pronoun_cues": (
        '`Smith spoke. "x y z," he said. ` repeated: a pronoun for every quotation',
        lambda n: 'Smith spoke. "x y z," he said. ' * n,
        500,
    ),
    "mojibake": ("mojibake en dashes", lambda n: "\u00e2\u20ac\u201c word " * n, 5_000),
    "controls": ("control characters, NUL, RTL and combining marks", lambda n: "a\x00\x1b[2J\u202e\u05d0\u0301 " * n, 200_000),
    "letter_prose": ("a source's own text, unquoted (reuse everywhere)", lambda n: LETTER * n, 2),
    "html_typical": ("the seed articles as HTML paragraphs", lambda n: "<!DOCTYPE html><body>" + SEEDS_HTML * n, 5),
    "html_open_tags": ("`<b>` repeated: tags never closed", lambda n: "<!DOCTYPE html><body>" + "<b>x " * n, 20_000),
    "html_nested_q": ("`<q>` nested n deep", lambda n: "<!DOCTYPE html><body>" + "<q>a " * n + "</q>" * n, 2_000),
    "html_entities": (
        "character references and stray `<` and `&`",
        lambda n: "<!DOCTYPE html><body>" + "&ldquo;a &amp; < b &#8221; &" * n,
        5_000,
    ),
}


def _time(text: str, registry: quotecheck.Registry) -> float:
    # CPU time of this process: other processes on a busy machine barely move it.
    gc.collect()
    start = time.process_time()
    quotecheck.check(text, registry=registry)
    return time.process_time() - start


def _times(small: str, large: str, registry: quotecheck.Registry, repeats: int) -> tuple[float, float]:
    """The best time of each size, measured alternately so that drift affects both alike."""
    best_small = best_large = float("inf")
    for _ in range(repeats):
        best_small = min(best_small, _time(small, registry))
        best_large = min(best_large, _time(large, registry))
    return best_small, best_large


def _peak(text: str, registry: quotecheck.Registry) -> int:
    gc.collect()
    tracemalloc.start()
    quotecheck.check(text, registry=registry)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if any ratio exceeds --limit")
    parser.add_argument("--limit", type=float, default=12.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("cases", nargs="*", help="cases to run (default: all)")
    args = parser.parse_args(argv)
    registry = quotecheck.builtin_registry()
    quotecheck.check(SEEDS, registry=registry)  # warm up: the registry index and regex caches
    print("| input | size 1x | time 1x | time 10x | ratio | peak memory 10x |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    worst = 0.0
    for name, (what, make, base) in CASES.items():
        if args.cases and name not in args.cases:
            continue
        small, large = make(base), make(10 * base)
        t_small, t_large = _times(small, large, registry, args.repeats)
        ratio = t_large / t_small
        worst = max(worst, ratio)
        peak = _peak(large, registry) / len(large.encode("utf-8"))
        print(
            f"| {name}: {what} | {len(small.encode('utf-8')):,} B | {t_small * 1000:,.0f} ms | {t_large * 1000:,.0f} ms "
            f"| {ratio:.1f} | {peak:.1f}x |",
            flush=True,
        )
    print(f"\nworst ratio {worst:.1f} (limit {args.limit:g})")
    return 1 if args.check and worst > args.limit else 0


if __name__ == "__main__":
    sys.exit(main())
