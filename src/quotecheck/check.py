"""Checking: the verdict on each quotation, and the report on articles.

Verdicts, from best to worst (see the README for the full definitions):
`exact`, `cosmetic`, `editorial`, `altered`, `paraphrase`, `unsourced`.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from quotecheck._io import decode, describe_directory, read_text
from quotecheck.align import Alignment, align
from quotecheck.attribute import attribute
from quotecheck.classify import Category, Variant, VariantKind, classify, is_negation, is_number
from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.errors import InputError, InvalidArgument
from quotecheck.extract import Quote, QuoteKind, extract
from quotecheck.normalize import STOP_WORDS, Token, TokenKind, repair, tokenize
from quotecheck.registry import Registry, builtin_registry

__all__ = [
    "ARTICLE_SUFFIXES",
    "ArticleCheck",
    "Flag",
    "QuoteCheck",
    "Report",
    "SourceMatch",
    "Verdict",
    "check",
    "check_files",
    "check_path",
    "check_stream",
    "iter_article_paths",
    "verify",
]

ARTICLE_SUFFIXES = (".txt", ".md")


class Verdict(enum.Enum):
    """What a fact-checker can say of a quotation, best first."""

    EXACT = "exact"
    COSMETIC = "cosmetic"
    EDITORIAL = "editorial"
    ALTERED = "altered"
    PARAPHRASE = "paraphrase"
    UNSOURCED = "unsourced"


class Flag(enum.Enum):
    """Findings that qualify a verdict."""

    SHORT = "short"  # three words or fewer: a match proves little
    MISATTRIBUTED = "misattributed"  # the article names a speaker other than the passage's
    SOURCE_INCOMPLETE = "source_incomplete"  # attributed to a partial source's speaker, not in the part held
    AMBIGUOUS = "ambiguous"  # fits several passages equally well
    NEGATION_CHANGED = "negation_changed"
    NUMBER_CHANGED = "number_changed"
    ELISION_HIDES_NEGATION = "elision_hides_negation"
    ELISION_HIDES_NUMBER = "elision_hides_number"
    ELISION_HIDES_QUALIFIER = "elision_hides_qualifier"
    REORDERED = "reordered"
    UNBALANCED = "unbalanced"  # the closing quotation mark is missing
    TOO_LONG = "too_long"  # more words than Config.max_quote_words: not aligned


@attrs.frozen
class SourceMatch:
    """Where in the registry a quotation's words come from.

    Attributes:
        id: the source's id.
        speaker: who speaks these words: the source's speaker, or the speaker
            of a quotation embedded in it.
        paragraph: the 1-based number of the source paragraph the passage starts in.
        start: offset of the passage in the source text.
        end: offset after it.
        text: the passage, as the source has it.
        url: the source's URL, for citing.
        others: other passages the quotation fits equally well, as
            `(source id, start, end)`.
    """

    id: str
    speaker: str | None
    paragraph: int | None
    start: int
    end: int
    text: str
    url: str | None = None
    others: tuple[tuple[str, int, int], ...] = ()


@attrs.frozen
class QuoteCheck:
    """A quotation, where it comes from, what changed and the verdict.

    Attributes:
        start: offset of the quotation in the article, marks excluded.
        end: offset after it.
        text: the quotation as printed (`article[start:end]`).
        kind: quotation, blockquote or reuse.
        attributed_to: the speaker the article names, as printed.
        speaker: the registry speaker that name resolves to, if any.
        verdict: see `Verdict`.
        flags: see `Flag`.
        score: similarity to the passage, in [0.0, 1.0]; 0.0 when unsourced.
        source: the passage, or None when unsourced.
        variants: every difference from the passage, in article order.
    """

    start: int
    end: int
    text: str
    kind: QuoteKind
    attributed_to: str | None
    speaker: str | None
    verdict: Verdict
    flags: tuple[Flag, ...]
    score: float
    source: SourceMatch | None
    variants: tuple[Variant, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The QUOTE object of the JSON schema."""
        source = None
        if self.source is not None:
            source = {
                "id": self.source.id,
                "speaker": self.source.speaker,
                "paragraph": self.source.paragraph,
                "start": self.source.start,
                "end": self.source.end,
                "text": self.source.text,
                "url": self.source.url,
                "others": [{"id": i, "start": s, "end": e} for i, s, e in self.source.others],
            }
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind.value,
            "attributed_to": self.attributed_to,
            "speaker": self.speaker,
            "verdict": self.verdict.value,
            "flags": [f.value for f in self.flags],
            "score": round(self.score, 4),
            "source": source,
            "variants": [
                {
                    "kind": v.kind.value,
                    "category": v.category.value,
                    "quote": list(v.quote),
                    "source": list(v.source),
                    "printed": v.printed,
                    "original": v.original,
                    "why": v.why,
                }
                for v in self.variants
            ],
        }


@attrs.frozen
class ArticleCheck:
    """The quotations of one article, or the error that kept it from being checked."""

    path: str | None
    quotes: tuple[QuoteCheck, ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """One entry of the JSON document's `articles`."""
        return {"path": self.path, "error": self.error, "quotes": [q.to_dict() for q in self.quotes]}


@attrs.frozen
class Report:
    """The result of checking one or more articles."""

    articles: tuple[ArticleCheck, ...]

    @property
    def quotes(self) -> tuple[QuoteCheck, ...]:
        """Every quotation of every article, in order."""
        return tuple(q for a in self.articles for q in a.quotes)

    def counts(self) -> dict[Verdict, int]:
        """How many quotations got each verdict (every verdict present, best first)."""
        counts = dict.fromkeys(Verdict, 0)
        for quote in self.quotes:
            counts[quote.verdict] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The JSON document: `{"articles": [...]}`."""
        return {"articles": [a.to_dict() for a in self.articles]}


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
        InvalidArgument: `text` is not a string.

    >>> report = check('He wrote: \u201cIBM no longer offers general purpose IBM facial recognition or analysis software.\u201d')
    >>> report.quotes[0].verdict.value
    'exact'
    """
    if not isinstance(text, str):
        raise InvalidArgument(f"text must be a str, got {type(text).__name__}")
    return Report((_check_article(text, registry if registry is not None else builtin_registry(), config, path),))


def _check_article(text: str, registry: Registry, config: Config, path: str | None) -> ArticleCheck:
    if len(text) > config.max_article_chars:
        return ArticleCheck(
            path, (), f"{path or 'article'}: {len(text):,} characters is more than max_article_chars={config.max_article_chars:,}"
        )
    quotes = attribute(text, extract(text))
    return ArticleCheck(path, tuple(_check_quote(text, quote, registry, config) for quote in quotes))


def verify(quote: str, *, registry: Registry | None = None, speaker: str | None = None, config: Config = DEFAULT_CONFIG) -> QuoteCheck:
    """Checks one bare quotation (no quotation marks needed).

    Args:
        quote: the quotation; offsets in the result index this string.
        registry: the sources; the built-in Krishna registry by default.
        speaker: who it is attributed to, if anyone.
        config: thresholds.

    >>> verify("IBM firmly opposes and will condone uses of any technology").verdict.value
    'altered'
    """
    if not isinstance(quote, str):
        raise InvalidArgument(f"quote must be a str, got {type(quote).__name__}")
    start = len(quote) - len(quote.lstrip())
    end = len(quote.rstrip())
    found = Quote(start, max(start, end), attributed_to=speaker)
    return _check_quote(quote, found, registry if registry is not None else builtin_registry(), config)


def check_files(paths: Iterable[str | os.PathLike[str]], *, registry: Registry | None = None, config: Config = DEFAULT_CONFIG) -> Report:
    """Checks every article file; a directory stands for its `.txt` and `.md` files.

    A file that cannot be read gets its message in `error`; the others are
    still checked.
    """
    return Report(tuple(check_stream(iter_article_paths(paths), registry=registry, config=config)))


def check_stream(paths: Iterable[str], *, registry: Registry | None = None, config: Config = DEFAULT_CONFIG) -> Iterator[ArticleCheck]:
    """Checks article files one by one, yielding each result as soon as it is ready.

    Results come in the order of `paths`. A file that cannot be read yields
    an `ArticleCheck` with its message in `error`, and the others go on.
    The path `-` reads standard input.
    """
    registry = registry if registry is not None else builtin_registry()
    for path in paths:
        yield check_path(path, registry=registry, config=config)


def check_path(path: str, *, registry: Registry, config: Config = DEFAULT_CONFIG) -> ArticleCheck:
    """Reads and checks one article file (`-` for standard input); read errors go in `error`."""
    try:
        if path == "-":
            text = _read_stdin()
        elif os.path.isdir(path):  # only when it holds no article, or cannot be listed
            raise InputError(describe_directory(path))
        else:
            text = read_text(path)
    except InputError as exc:
        return ArticleCheck(str(path), (), str(exc))
    return _check_article(text, registry, config, str(path))


def _read_stdin() -> str:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream, as in tests
        return decode(sys.stdin.read().encode("utf-8", "surrogateescape"), name="<stdin>")
    return decode(buffer.read(), name="<stdin>")


def iter_article_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Expands directories into their article files, sorted; files (and `-`) pass through.

    Symbolic links to directories are not followed (so a link loop cannot
    recurse). A subdirectory that cannot be listed, a broken link or a link
    loop named like an article is yielded too, so that checking it reports the
    problem instead of skipping it silently; so is a directory that holds no
    article at all.
    """
    for path in paths:
        if str(path) == "-":
            yield "-"
            continue
        if not os.path.isdir(path):
            yield str(path)
            continue
        found: list[str] = []

        def unreadable(error: OSError) -> None:
            found.append(str(error.filename))  # noqa: B023 - called by os.walk below, before `found` changes

        for folder, _dirs, files in os.walk(path, onerror=unreadable):
            found.extend(
                str(Path(folder, f)) for f in files if Path(f).suffix.lower() in ARTICLE_SUFFIXES and not os.path.isdir(Path(folder, f))
            )
        yield from sorted(found) if found else [str(path)]


def _quote_tokens(text: str, quote: Quote) -> tuple[list[Token], list[int]]:
    """The quotation's tokens with spans into the article, and each token's segment."""
    tokens: list[Token] = []
    segment_of: list[int] = []
    for n, (start, end) in enumerate(quote.segments):
        repaired = repair(text[start:end])
        for token in tokenize(repaired.text, marks=True):
            s, e = repaired.map.span(token.start, token.end)
            tokens.append(attrs.evolve(token, start=start + s, end=start + e))
            segment_of.append(n)
    return tokens, segment_of


def _check_quote(text: str, quote: Quote, registry: Registry, config: Config) -> QuoteCheck:
    tokens, segment_of = _quote_tokens(text, quote)
    words = sum(1 for t in tokens if t.kind is TokenKind.WORD)
    speaker = registry.resolve_speaker(quote.attributed_to)
    flags: set[Flag] = set()
    if words <= config.short_words:
        flags.add(Flag.SHORT)
    if quote.unbalanced:
        flags.add(Flag.UNBALANCED)
    if words > config.max_quote_words:
        flags.add(Flag.TOO_LONG)
    alignment = align(tokens, registry, prefer=frozenset({speaker}) if speaker else frozenset(), config=config)

    def separator(k: int) -> str | None:
        if segment_of[k] != segment_of[k + 1]:
            return None
        return repair(text[tokens[k].end : tokens[k + 1].start]).text

    verdict = Verdict.UNSOURCED
    variants: tuple[Variant, ...] = ()
    if alignment is not None:
        variants = classify(alignment, tokens, text, quote_span=(quote.start, quote.end), separator=separator)
        verdict = _verdict(alignment, variants, tokens, words, config)
    if verdict is Verdict.UNSOURCED:
        alignment, variants = None, ()
        if speaker is not None and any(not s.complete and speaker in registry.parties_of(s, 0, 0) for s in registry):
            flags.add(Flag.SOURCE_INCOMPLETE)
    else:
        flags |= _flags(variants)
        assert alignment is not None
        if alignment.others:
            flags.add(Flag.AMBIGUOUS)
        if speaker is not None and speaker not in registry.parties_of(alignment.source, alignment.start, alignment.end):
            flags.add(Flag.MISATTRIBUTED)
    return QuoteCheck(
        quote.start,
        quote.end,
        text[quote.start : quote.end],
        quote.kind,
        quote.attributed_to,
        speaker,
        verdict,
        tuple(sorted(flags, key=lambda f: list(Flag).index(f))),
        alignment.score if alignment is not None else 0.0,
        _source_match(alignment) if alignment is not None else None,
        variants,
    )


def _verdict(alignment: Alignment, variants: Sequence[Variant], tokens: Sequence[Token], words: int, config: Config) -> Verdict:
    categories = {v.category for v in variants}
    word_exact = alignment.matched == words
    if words < config.min_fuzzy_words and not (word_exact and Category.SUBSTANTIVE not in categories):
        return Verdict.UNSOURCED
    if alignment.score >= config.altered_min_score:
        for category, verdict in (
            (Category.SUBSTANTIVE, Verdict.ALTERED),
            (Category.EDITORIAL, Verdict.EDITORIAL),
            (Category.COSMETIC, Verdict.COSMETIC),
        ):
            if category in categories:
                return verdict
        return Verdict.EXACT
    content = _matched_content_words(alignment, tokens)
    if alignment.score >= config.paraphrase_min_score and content >= config.paraphrase_min_content_words:
        return Verdict.PARAPHRASE
    return Verdict.UNSOURCED


def _matched_content_words(alignment: Alignment, tokens: Sequence[Token]) -> int:
    return sum(
        1
        for op in alignment.opcodes
        if op.tag == "equal"
        for t in tokens[op.j1 : op.j2]
        if t.kind is TokenKind.WORD and t.key not in STOP_WORDS
    )


def _flags(variants: Sequence[Variant]) -> set[Flag]:
    flags = set()
    for v in variants:
        if v.kind is VariantKind.ELLIPSIS and v.category is Category.SUBSTANTIVE:
            if any(is_negation(w) for w in v.hides):
                flags.add(Flag.ELISION_HIDES_NEGATION)
            if any(is_number(w) for w in v.hides):
                flags.add(Flag.ELISION_HIDES_NUMBER)
            if any(not is_negation(w) and not is_number(w) for w in v.hides):
                flags.add(Flag.ELISION_HIDES_QUALIFIER)
        elif v.kind is VariantKind.REORDERING:
            flags.add(Flag.REORDERED)
        elif v.category is Category.SUBSTANTIVE and v.hides:
            if any(is_negation(w) for w in v.hides):
                flags.add(Flag.NEGATION_CHANGED)
            if any(is_number(w) for w in v.hides):
                flags.add(Flag.NUMBER_CHANGED)
    return flags


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
    )
