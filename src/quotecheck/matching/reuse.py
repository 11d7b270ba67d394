"""Reuse: a source's words in an article's own prose, without quotation marks.

A sentence of prose (outside every quotation and block quote) is reuse when
it shares a run of at least `Config.min_reuse_words` consecutive words with a
source, at least `Config.min_reuse_content_words` of them content words (not
stop words): shorter runs are the common phrases every text on a subject
shares ("law enforcement agencies", "the United States House of
Representatives"). The reported span is trimmed to the words that align.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator

import regex

from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.matching.align import align, shared_runs
from quotecheck.reading.extract import Quote, QuoteKind, front_matter_end
from quotecheck.sources.registry import Registry
from quotecheck.text.normalize import STOP_WORDS, TokenKind, tokenize_segments

__all__ = ["find_reuse"]

_BLOCK = regex.compile(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]+)*")
_LETTERS = regex.compile(r"[\p{L}\p{N}]+")
_LONGEST = 2_000  # characters of one sentence read at a time
_SENTENCE = regex.compile(r"\S.*?(?:[.!?](?=[\s\"\u201d\u2019)]*(?:\s|$))|$)", regex.DOTALL)


def find_reuse(text: str, quotes: tuple[Quote, ...], registry: Registry, *, config: Config = DEFAULT_CONFIG) -> tuple[Quote, ...]:
    """Finds stretches of prose that reuse a source's words without quotation marks.

    Args:
        text: the article.
        quotes: its quotations and block quotes (their stretches are not prose).
        registry: the sources.
        config: `min_reuse_words` and `min_reuse_content_words`.

    Returns:
        Quotes of kind `reuse`, in article order.
    """
    taken = sorted((q.outer_start, q.outer_end) for q in quotes)
    starts = [s for s, _ in taken]
    # reach[i]: the farthest end among the first i + 1 quotations, so an overlap test is one bisection.
    reach = list(itertools.accumulate((e for _, e in taken), max))
    found = []
    for start, end in _sentences(text, front_matter_end(text)):
        before = bisect.bisect_left(starts, end)  # quotations that start before the sentence ends
        if before and reach[before - 1] > start:
            continue
        quote = _reuse(text, start, end, registry, config)
        if quote is not None:
            found.append(quote)
    return tuple(found)


def _sentences(text: str, begin: int) -> Iterator[tuple[int, int]]:
    for block in _BLOCK.finditer(text, begin):
        if block.group().lstrip().startswith(">"):
            continue
        for sentence in _SENTENCE.finditer(text, block.start(), block.end()):
            start, end = sentence.span()
            # A "sentence" longer than any real one (a run of dots, a page without full stops) is read in
            # pieces cut at a space, so each tokenisation stays small.
            while end - start > _LONGEST:
                cut = text.rfind(" ", start + _LONGEST // 2, start + _LONGEST)
                cut = cut if cut > start else start + _LONGEST
                yield start, cut
                start = cut
            if end > start:
                yield start, end


def _reuse(text: str, start: int, end: int, registry: Registry, config: Config) -> Quote | None:
    # Most prose is not a source's: count the letters' runs before tokenising anything.
    if sum(1 for _ in itertools.islice(_LETTERS.finditer(text, start, end), config.min_reuse_words)) < config.min_reuse_words:
        return None
    tokens, _ = tokenize_segments(text, ((start, end),))
    words = [t for t in tokens if t.kind is TokenKind.WORD]
    length = config.min_reuse_words
    starts = shared_runs([t.key for t in words], registry, length=length)
    if not starts:
        return None
    # Align only the stretch around the shared runs (and a margin for changed words next to them):
    # the rest of a long sentence is the article's own, and would swamp the alignment.
    words = words[max(0, starts[0] - length) : starts[-1] + 2 * length]
    alignment = align(words, registry, config=config)
    if alignment is None:
        return None
    runs = [op for op in alignment.opcodes if op.tag == "equal"]
    long_runs = [
        op
        for op in runs
        if op.j2 - op.j1 >= config.min_reuse_words
        and sum(1 for t in words[op.j1 : op.j2] if t.key not in STOP_WORDS) >= config.min_reuse_content_words
    ]
    if not long_runs:
        return None
    first, last = words[runs[0].j1], words[runs[-1].j2 - 1]
    # Keep the sentence's closing punctuation when it follows the last reused word.
    tail = regex.match(r"[.!?]", text[last.end : end])
    return Quote(first.start, last.end + (tail.end() if tail else 0), QuoteKind.REUSE)
