"""Checking one article or one quotation: each stage in turn, from the text to its results.

`check` reads an article (plain text or HTML), finds its quotations and who
they are attributed to, and for each one aligns it to the registry, classifies
its differences, gathers its findings and gives it a verdict. `verify` does
the same for one bare quotation.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs

from quotecheck._escape import refuse_surrogates
from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.errors import InvalidArgument
from quotecheck.judging.findings import match_findings, quote_findings, unsourced_findings
from quotecheck.judging.results import ArticleCheck, Flag, QuoteCheck, Report, SourceMatch, Verdict
from quotecheck.judging.verdict import as_term, judge, shared_phrase, weigh_findings
from quotecheck.matching.align import Alignment, align, read_pieces
from quotecheck.matching.classify import Category, Variant, classify, classify_reading
from quotecheck.matching.reuse import find_reuse
from quotecheck.reading.attribute import attribute
from quotecheck.reading.extract import Quote, extract
from quotecheck.reading.markup import looks_like_html, read_html
from quotecheck.sources.registry import Registry, builtin_registry
from quotecheck.text.normalize import Token, repair, tokenize_segments

__all__ = ["check", "verify"]


def check(text: str, *, registry: Registry | None = None, config: Config = DEFAULT_CONFIG, path: str | None = None) -> Report:
    """Checks every quotation of an article against the registry.

    Args:
        text: the article, exactly as read (offsets index this string).
        registry: the sources; the built-in Krishna registry by default.
        config: thresholds.
        path: a name for the article in the report.

    Returns:
        A report with one article.

    Raises:
        InvalidArgument: `text` is not a string, or holds a lone surrogate
            (text that was never valid Unicode, such as bytes decoded with
            `surrogateescape`).

    >>> report = check('He wrote: \u201cIBM no longer offers general purpose IBM facial recognition or analysis software.\u201d')
    >>> report.quotes[0].verdict.value
    'exact'
    """
    if not isinstance(text, str):
        raise InvalidArgument(f"text must be a str, got {type(text).__name__}")
    refuse_surrogates(text, name="text")
    return Report((_check_article(text, registry if registry is not None else builtin_registry(), config, path),))


def _check_article(text: str, registry: Registry, config: Config, path: str | None) -> ArticleCheck:
    if len(text) > config.max_article_chars:
        return ArticleCheck(
            path, (), f"{path or 'article'}: {len(text):,} characters is more than max_article_chars={config.max_article_chars:,}"
        )
    if config.input_format == "html" or (config.input_format == "auto" and _looks_html(text, path)):
        return _check_html_article(text, registry, config, path)
    quotes = extract(text)
    reused = find_reuse(text, quotes, registry, config=config)
    quotes = attribute(text, tuple(sorted((*quotes, *reused), key=lambda q: (q.start, q.end))))
    return ArticleCheck(path, tuple(as_term(_check_quote(text, quote, registry, config)) for quote in quotes))


_HTML_SUFFIXES = (".html", ".htm")


def _looks_html(text: str, path: str | None) -> bool:
    return (path is not None and Path(path).suffix.lower() in _HTML_SUFFIXES) or looks_like_html(text)


def _check_html_article(html: str, registry: Registry, config: Config, path: str | None) -> ArticleCheck:
    """An HTML article: its `<q>` and `<blockquote>` elements, and the quotation marks in the rest of its text."""
    article = read_html(html)
    tagged = dict(zip(article.quotes, article.tags, strict=True))
    marked = [q for q in extract(article.text) if not any(t.start < q.end and q.start < t.end for t in article.quotes)]
    reused = find_reuse(article.text, (*article.quotes, *marked), registry, config=config)
    found = tuple(sorted((*article.quotes, *marked, *reused), key=lambda q: (q.start, q.end)))
    quotes = attribute(article.text, found)
    checks = []
    for quote, original in zip(quotes, found, strict=True):
        result = as_term(_check_quote(article.text, quote, registry, config))
        checks.append(attrs.evolve(result, tag=tagged.get(original)))
    return ArticleCheck(path, tuple(checks))


def verify(quote: str, *, registry: Registry | None = None, speaker: str | None = None, config: Config = DEFAULT_CONFIG) -> QuoteCheck:
    """Checks one bare quotation (no quotation marks needed).

    Args:
        quote: the quotation; offsets in the result index this string.
        registry: the sources; the built-in Krishna registry by default.
        speaker: who it is attributed to, if anyone.
        config: thresholds.

    Raises:
        InvalidArgument: `quote` is not a string, or `quote` or `speaker`
            holds a lone surrogate.

    >>> verify("IBM firmly opposes and will condone uses of any technology").verdict.value
    'altered'
    """
    if not isinstance(quote, str):
        raise InvalidArgument(f"quote must be a str, got {type(quote).__name__}")
    refuse_surrogates(quote, name="quote")
    if speaker is not None:
        refuse_surrogates(speaker, name="speaker")
    start = len(quote) - len(quote.lstrip())
    end = len(quote.rstrip())
    found = Quote(start, max(start, end), attributed_to=speaker)
    return _check_quote(quote, found, registry if registry is not None else builtin_registry(), config)


def _check_quote(text: str, quote: Quote, registry: Registry, config: Config) -> QuoteCheck:
    tokens, segment_of = tokenize_segments(text, quote.segments)
    speaker = registry.resolve_speaker(quote.attributed_to)
    findings = quote_findings(quote, tokens, config)
    alignment = align(tokens, registry, prefer=frozenset({speaker}) if speaker else frozenset(), config=config)

    def separator(k: int) -> str | None:
        if segment_of[k] != segment_of[k + 1]:
            return None
        return repair(text[tokens[k].end : tokens[k + 1].start]).text

    verdict = Verdict.UNSOURCED
    variants: tuple[Variant, ...] = ()
    score = 0.0
    if alignment is not None:
        variants = classify(alignment, tokens, text, quote_span=(quote.start, quote.end), separator=separator)
        score = alignment.score
        pieces: Sequence[tuple[Alignment, Sequence[Token]]] = ((alignment, tokens),)
        reading = read_pieces(tokens, alignment, registry, config=config) if _substantive(variants) else None
        if reading is not None:
            variants = classify_reading(reading, tokens, text, quote_end=quote.end)
            score = reading.score
            pieces = tuple((p.alignment, tokens[p.lo : p.hi]) for p in reading.pieces)
            alignment = attrs.evolve(pieces[0][0], score=score)
        verdict, phrase = judge(pieces, score, variants, config)
        if phrase is not None:
            findings.append(shared_phrase(text, phrase))
    if verdict is Verdict.UNSOURCED:
        alignment, variants, score = None, (), 0.0
        if not any(f.flag is Flag.TOO_LONG for f in findings):  # not looked up, so nothing is known of its source
            findings += unsourced_findings(quote, tokens, speaker, registry)
    else:
        assert alignment is not None
        found = match_findings(quote, alignment, variants, speaker, registry)
        verdict, variants, found = weigh_findings(verdict, variants, found)
        findings += found
    order = list(Flag)
    flags = tuple(sorted({f.flag for f in findings}, key=order.index))
    return QuoteCheck(
        quote.start,
        quote.end,
        text[quote.start : quote.end],
        quote.kind,
        quote.attributed_to,
        speaker,
        verdict,
        flags,
        score,
        _source_match(alignment) if alignment is not None else None,
        variants,
        tuple(findings),
    )


def _substantive(variants: Sequence[Variant]) -> bool:
    return any(v.category is Category.SUBSTANTIVE for v in variants)


def _source_match(alignment: Alignment) -> SourceMatch:
    source = alignment.source
    paragraph = source.paragraph_at(alignment.start)
    return SourceMatch(
        source.id,
        source.speaker_at(alignment.start, alignment.end),
        paragraph.number if paragraph else None,
        alignment.start,
        alignment.end,
        source.text[alignment.start : alignment.end],
        source.url,
        alignment.others,
        alignment.others_count,
        page=source.page_at(alignment.start),
        time=(times := source.time_at(alignment.start, alignment.end))[0],
        end_time=times[1],
        link=source.link(alignment.start, alignment.end),
    )
