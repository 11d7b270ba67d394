"""The naive baseline the benchmarks compare quotecheck with: what a user would write with rapidfuzz alone."""

from __future__ import annotations

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
