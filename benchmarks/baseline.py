"""The naive baseline the benchmarks compare quotecheck with: what a user would write with rapidfuzz alone."""

from __future__ import annotations

import time

from generate import Sample
from rapidfuzz import fuzz


def naive_best(quote: str, texts: list[tuple[str, str]]) -> tuple[float, str, int, int] | None:
    """`partial_ratio_alignment` of the quotation against every source's text, keeping the best.

    Returns:
        `(score, source id, start, end)` of the best window, or None.
    """
    best = None
    for source_id, text in texts:
        found = fuzz.partial_ratio_alignment(quote, text)
        if found is not None and (best is None or found.score > best[0]):
            best = (found.score, source_id, found.dest_start, found.dest_end)
    return best


def found(sample: Sample, source_id: str | None, start: int, end: int) -> bool:
    """Recall: the right source, and a passage overlapping the true one."""
    return source_id == sample.source_id and start < sample.end and sample.start < end


def scan(samples: list[Sample], texts: list[tuple[str, str]]) -> tuple[list[float], int]:
    """The naive baseline over each quotation, timed: the seconds each took, and how many it found (`found`)."""
    times, hits = [], 0
    for sample in samples:
        t = time.perf_counter()
        best = naive_best(sample.text, texts)
        times.append(time.perf_counter() - t)
        hits += best is not None and found(sample, best[1], best[2], best[3])
    return times, hits
