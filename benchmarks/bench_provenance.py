"""Benchmark: grouping a corpus (`quotecheck.corpus`) on synthetic per-article results.

Builds N articles x Q quotations from a pool of real `QuoteCheck` results
(exact printings of the letter's sentences, and altered printings carrying
one of many planted substitutions, so that rare shared changes exist), with
random dates and outlets. It then times `corpus()` against a baseline run in
the same process: `Report.to_dict()` over the same results, one linear pass
that touches every quotation. The ratio, not the seconds, is what to compare
across machines.

    python benchmarks/bench_provenance.py --articles 10000 --quotes 5

`--mode unsourced` times unsourced families instead: every quotation is
unsourced (checked against an empty registry), drawn from made-up sentences
that each have a few printed variants (one planted word), and the number of
distinct printings grows with the corpus (one for every five quotations), so
the doubling shows the cost of aligning the quotations to one another.

    python benchmarks/bench_provenance.py --mode unsourced --articles 4000 --quotes 5
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
import tracemalloc

import regex

import quotecheck
from quotecheck.judging.results import ArticleCheck, QuoteCheck, Report


def pool(size: int, rng: random.Random) -> list[QuoteCheck]:
    letter = quotecheck.builtin_registry()["krishna-2020-06-08"]
    sentences = [
        s.strip()
        for p in letter.text.split("\n\n")
        for s in regex.split(r"(?<=[.!?])\s+", p)
        if len(s.split()) >= 12 and "\n" not in s.strip() and not regex.search(r"[\"\u201c\u201d\[\]]", s)
    ]
    quotes: list[QuoteCheck] = []
    for n in range(size):
        words = rng.choice(sentences).split(" ")
        if n % 3:  # two in three printings are altered: one planted word
            words[rng.randrange(3, len(words) - 3)] = "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(7))
        text = " ".join(words)
        quotes.append(quotecheck.check(f"He wrote: \u201c{text}\u201d", path="pool").quotes[0])
    return quotes


_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zu", "pe", "da", "fo")
_COMMON = ("the", "and", "we", "will", "of", "to", "in", "that", "for", "our")


def unsourced_pool(size: int, rng: random.Random) -> list[QuoteCheck]:
    """`size` distinct unsourced printings: made-up sentences of 12 to 20 words, about four printings of each."""
    empty = quotecheck.Registry.from_sources([])
    quotes: list[QuoteCheck] = []
    words: list[str] = []
    for n in range(size):
        if n % 4 == 0:  # a new sentence; the next three printings are its variants
            words = [
                rng.choice(_COMMON) if rng.random() < 0.3 else "".join(rng.choice(_SYLLABLES) for _ in range(3))
                for _ in range(rng.randrange(12, 21))
            ]
        printed = list(words)
        if n % 4:
            printed[rng.randrange(2, len(printed) - 2)] = "".join(rng.choice(_SYLLABLES) for _ in range(4))
        quotes.append(quotecheck.check(f"She said: \u201c{' '.join(printed)}\u201d", registry=empty, path="pool").quotes[0])
    return quotes


def corpus_of(
    articles: int, per_article: int, quotes: list[QuoteCheck], rng: random.Random
) -> tuple[list[ArticleCheck], dict[str, quotecheck.ArticleMeta]]:
    results = []
    metadata = {}
    day0 = datetime.date(2020, 6, 8)
    for n in range(articles):
        path = f"articles/{n:06d}.txt"
        results.append(ArticleCheck(path, tuple(rng.choice(quotes) for _ in range(per_article))))
        metadata[path] = quotecheck.ArticleMeta(path, day0 + datetime.timedelta(days=rng.randrange(60)), f"Outlet {rng.randrange(300)}")
    return results, metadata


def best_of(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--quotes", type=int, default=5, help="quotations per article")
    parser.add_argument("--pool", type=int, default=3000, help="distinct checked quotations to draw from (sourced mode)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mode", choices=("sourced", "unsourced"), default="sourced")
    args = parser.parse_args()
    rng = random.Random(6)
    if args.mode == "unsourced":
        quotes = unsourced_pool(args.articles * args.quotes // 5, rng)
        half_quotes = unsourced_pool(args.articles * args.quotes // 10, rng)
    else:
        quotes = half_quotes = pool(args.pool, rng)
    results, metadata = corpus_of(args.articles, args.quotes, quotes, rng)
    baseline = best_of(args.repeat, lambda: Report(tuple(results)).to_dict())
    grouping = best_of(args.repeat, lambda: quotecheck.corpus(results, metadata=metadata))
    tracemalloc.start()
    result = quotecheck.corpus(results, metadata=metadata)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    half, half_metadata = corpus_of(args.articles // 2, args.quotes, half_quotes, rng)
    half_time = best_of(args.repeat, lambda: quotecheck.corpus(half, metadata=half_metadata))
    print(
        f"{args.mode}: {args.articles} articles x {args.quotes} quotations: {len(result.families)} families, "
        f"{sum(len(f.variants) for f in result.families)} variants, {len(result.unsourced_families)} unsourced families, "
        f"{sum(len(f.variants) for f in result.unsourced_families)} unsourced variants, {len(result.links)} links"
    )
    print(f"baseline Report.to_dict: {baseline:.3f} s")
    print(f"corpus(): {grouping:.3f} s = {grouping / baseline:.2f} x baseline; peak memory {peak / 2**20:.0f} MiB")
    print(f"scaling: corpus() on half the articles took {half_time:.3f} s ({grouping / half_time:.2f} x for twice the articles)")


if __name__ == "__main__":
    main()
