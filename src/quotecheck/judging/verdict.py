"""The verdict rules: what a matched quotation's alignment, variants and findings add up to.

Verdicts, from best to worst: `exact`, `cosmetic`, `editorial`, `altered`,
`paraphrase`, `unsourced` (see `Verdict` and the README).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from quotecheck.config import Config
from quotecheck.judging.results import Finding, Flag, QuoteCheck, Verdict
from quotecheck.matching.align import Alignment, kept_words
from quotecheck.matching.classify import Category, Variant, VariantKind
from quotecheck.reading.extract import QuoteKind
from quotecheck.text.normalize import STOP_WORDS, Token, TokenKind

__all__ = ["as_term", "judge", "shared_phrase", "weigh_findings"]


def as_term(result: QuoteCheck) -> QuoteCheck:
    """A term (scare quotes, a title) names words rather than quoting them: it is never a misquote.

    Found as printed, it keeps its verdict; otherwise it is `unsourced`, with only its own flags (short, unbalanced).
    """
    if result.kind is not QuoteKind.TERM or result.verdict not in (Verdict.ALTERED, Verdict.PARAPHRASE):
        return result
    own = tuple(f for f in result.findings if f.flag in (Flag.SHORT, Flag.UNBALANCED, Flag.TOO_LONG))
    flags = tuple(f for f in result.flags if f in {f.flag for f in own})
    return attrs.evolve(result, verdict=Verdict.UNSOURCED, flags=flags, score=0.0, source=None, variants=(), findings=own)


_MEANING_FLAGS = frozenset({Flag.BRACKET_CHANGES_REFERENT, Flag.ELISION_CROSSES_SPEAKER})
_WORD_LEVEL_FLAGS = frozenset({Flag.REORDERED, Flag.SPLICED})


def weigh_findings(
    verdict: Verdict, variants: tuple[Variant, ...], found: list[Finding]
) -> tuple[Verdict, tuple[Variant, ...], list[Finding]]:
    """A matched quotation's verdict, variants and findings, each in the light of the findings.

    A bracket that names someone else, or an ellipsis joining two speakers,
    changes meaning: its variant is substantive, and a verdict better than
    `altered` becomes `altered`. Word-level findings say little of a
    reworded quotation, so a paraphrase drops them.
    """
    changed = {f.quote for f in found if f.flag in _MEANING_FLAGS}
    if changed:
        variants = tuple(attrs.evolve(v, category=Category.SUBSTANTIVE) if v.quote in changed else v for v in variants)
        if verdict in (Verdict.EXACT, Verdict.COSMETIC, Verdict.EDITORIAL):
            verdict = Verdict.ALTERED
    if verdict is Verdict.PARAPHRASE:
        found = [f for f in found if f.flag not in _WORD_LEVEL_FLAGS]
    return verdict, variants, found


def shared_phrase(text: str, phrase: _Phrase) -> Finding:
    source = phrase.alignment.source
    paragraph = source.paragraph_at(phrase.source[0])
    where = f"{source.id} \u00b6{paragraph.number}" if paragraph else source.id
    printed = text[phrase.quote[0] : phrase.quote[1]]
    why = (
        f"shares only the phrase \u201c{printed}\u201d with {where} "
        f"(\u201c{source.text[phrase.source[0] : phrase.source[1]]}\u201d); its other words are not in the source"
    )
    return Finding(Flag.SHARED_PHRASE, why, phrase.quote, phrase.source)


@attrs.frozen
class _Phrase:
    """The longest run of a quotation's words that its passage keeps, in article and source offsets."""

    alignment: Alignment
    quote: tuple[int, int]
    source: tuple[int, int]


def judge(
    pieces: Sequence[tuple[Alignment, Sequence[Token]]], score: float, variants: Sequence[Variant], config: Config
) -> tuple[Verdict, _Phrase | None]:
    """The verdict on a quotation aligned as one passage, or as spliced pieces.

    A quotation that reads as a paraphrase is unsourced instead when the
    content words it keeps lie mostly in one phrase it shares with the
    passage (fewer of them outside its longest kept run than inside): a stock
    phrase ("mass surveillance, racial profiling") joined to words of the
    speaker's own is another statement, not a rewording of this one.

    Args:
        pieces: each passage with the quotation tokens aligned to it.
        score: the score over all pieces.
        variants: every difference.
        config: thresholds.

    Returns:
        The verdict, and for an unsourced quotation that shares one phrase with a passage, that phrase.
    """
    categories = {v.category for v in variants}
    words = sum(a.quote_words for a, _ in pieces)
    # A short quotation is sourced only when every one of its words is found, in order.
    if words < config.min_fuzzy_words and sum(a.matched for a, _ in pieces) != words:
        return Verdict.UNSOURCED, None
    # Words of an amount written in another style ("£4.2m" for "4.2 million pounds") are the source's words.
    styled = [v.quote for v in variants if v.kind is VariantKind.NUMBER_STYLE]
    counts = [_content_words(a, t, styled) for a, t in pieces]
    content, kept = sum(len(c) for c, _ in counts), sum(len(c & k) for c, k in counts)
    reworded = content - kept
    if reworded >= config.paraphrase_min_reworded_words and reworded >= config.paraphrase_min_reworded * content:
        if kept < config.paraphrase_min_content_words:
            return Verdict.UNSOURCED, None
        return _paraphrase(pieces, counts, kept)
    if score >= config.altered_min_score:
        for category, verdict in (
            (Category.SUBSTANTIVE, Verdict.ALTERED),
            (Category.EDITORIAL, Verdict.EDITORIAL),
            (Category.COSMETIC, Verdict.COSMETIC),
        ):
            if category in categories:
                return verdict, None
        return Verdict.EXACT, None
    if score >= config.paraphrase_min_score and kept >= config.paraphrase_min_content_words:
        return _paraphrase(pieces, counts, kept)
    return Verdict.UNSOURCED, None


def _paraphrase(
    pieces: Sequence[tuple[Alignment, Sequence[Token]]], counts: Sequence[tuple[set[int], set[int]]], kept: int
) -> tuple[Verdict, _Phrase | None]:
    """A paraphrase, unless the content words it keeps lie mostly in one shared phrase (see `judge`)."""
    best: tuple[int, int, int, int] | None = None  # (content words inside, piece, first and last token of the run)
    for n, ((_alignment, tokens), (content, keeps)) in enumerate(zip(pieces, counts, strict=True)):
        start = None
        for j, token in enumerate([*tokens, None]):
            if token is not None and token.kind is TokenKind.WORD and j in keeps:
                start = j if start is None else start
                continue
            if start is not None:
                inside = len(content & keeps & set(range(start, j)))
                if best is None or inside > best[0]:
                    best = (inside, n, start, j)
                start = None
    if best is None or kept - best[0] >= best[0]:
        return Verdict.PARAPHRASE, None
    _inside, n, first, last = best
    alignment, tokens = pieces[n]
    # The phrase runs between the first and last words the passage has in place (moved words at its edges aside).
    held = [op for op in alignment.opcodes if op.tag == "equal" and op.j1 < last and first < op.j2]
    stokens = alignment.source.tokens
    if held:
        first, last = max(first, held[0].j1), min(last, held[-1].j2)
        i1, i2 = held[0].i1 + first - held[0].j1, held[-1].i2 - (held[-1].j2 - last)
        source = (stokens[i1].start, stokens[i2 - 1].end)
    else:
        source = (alignment.start, alignment.end)
    return Verdict.UNSOURCED, _Phrase(alignment, (tokens[first].start, tokens[last - 1].end), source)


def _content_words(
    alignment: Alignment, tokens: Sequence[Token], styled: Sequence[tuple[int, int]] = ()
) -> tuple[set[int], set[int]]:
    """The quotation's content words (not stop words), and the words the passage keeps (`styled`: spans that count as kept)."""
    content = {j for j, t in enumerate(tokens) if t.kind is TokenKind.WORD and t.key not in STOP_WORDS}
    kept = kept_words(alignment, tokens) | {j for j, t in enumerate(tokens) if any(a <= t.start and t.end <= b for a, b in styled)}
    return content, kept
