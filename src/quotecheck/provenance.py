"""Provenance across a corpus: how each source passage was printed, and who likely copied whom.

A pure function over per-article results (`ArticleCheck`) and their metadata,
so it runs the same after a local run, a parallel one, or results gathered
from elsewhere (`corpus`). Three steps, each near-linear in the number of
quotations:

1. **Families.** Every sourced quotation is placed by the source passage it
   aligns to. Quotations whose passages overlap (same source, at least one
   character in common) join one family, transitively; a family's passage is
   the union of theirs. Unsourced quotations belong to no family.
2. **Printed variants.** Within a family, quotations printed the same way
   after typography folding (quote, dash and apostrophe glyphs, whitespace,
   mojibake, compatibility forms, and punctuation at either end, which the
   verdict rules also count as typography) are one printed variant, with its
   verdict, its differences from the source, and every printing: article,
   outlet, date. The first printing is the earliest dated one.
3. **Copy evidence.** A *distinctive change* is a difference from the source
   that an outlet makes, not one a style guide makes: an unmarked
   substitution, insertion, deletion or reordering, a [bracketed] insertion or
   replacement, or an ellipsis leaving out the same source words, that
   involves at least one content word (not a stop word). Case, punctuation,
   hyphenation and spelling changes are left out: house styles make them
   independently. Two articles printing the same distinctive change at the
   same place of the same source (same kind, same source span, same words
   after folding) share it. The change is *rare* when at most
   `Config.copy_max_share` of the articles quoting the source at that place
   print it (two articles always qualify): a reading most of the press prints
   more likely comes from the words as delivered than from one outlet. Every
   later printer of a rare change is linked to its earliest printer: the
   evidence shows a common origin, not whether a copy was direct or through
   an intermediate. Links therefore form a directed acyclic graph, ordered by
   (date, path); a link between articles of the same or an unknown date is
   marked `ordered=False`. Exact (and cosmetic) quotations have no
   distinctive change, so sharing them never links two articles.
4. **Unsourced families.** Unsourced quotations (of at least
   `Config.min_fuzzy_words` words) printed by two or more articles are
   aligned to one another: a registry is built over their distinct printed
   texts, the same word index finds, for each, the others it may be within
   `MAX_EDIT_RATE` of, and a word-level check confirms each pair (at most one
   confirmation per pair of groups not yet joined, so the cost stays
   near-linear). Each group's *reading* is the printed text most articles
   share; every member is checked against it with `verify`, so variants,
   verdicts and distinctive changes follow the same rules as for a source,
   and copy evidence is found the same way. One more kind of evidence holds
   only here: with no source to explain it, printing the same unsourced
   quotation is itself a shared rarity when at most `copy_max_share` of the
   articles quoting it print it (two articles always qualify), so two
   articles printing one unsourced quotation are linked.
"""

from __future__ import annotations

import bisect
import datetime
import difflib
import enum
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from quotecheck.checking.article import verify
from quotecheck.checking.batch import Progress, check_files
from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.errors import InvalidArgument
from quotecheck.judging.results import ArticleCheck, Flag, QuoteCheck, Report, SourceMatch, Verdict
from quotecheck.matching.align import _pieces
from quotecheck.matching.classify import Category, Variant, VariantKind
from quotecheck.reading.extract import QuoteKind
from quotecheck.reading.metadata import ArticleMeta, article_metadata, read_manifest
from quotecheck.sources.index import MAX_EDIT_RATE, WordIndex
from quotecheck.sources.registry import Registry, Source, builtin_registry
from quotecheck.text.normalize import STOP_WORDS, TokenKind, fold_typography, repair, tokenize

__all__ = [
    "DISTINCTIVE_KINDS",
    "Corpus",
    "Evidence",
    "EvidenceKind",
    "Family",
    "Link",
    "PrintedVariant",
    "Printing",
    "UnsourcedFamily",
    "corpus",
    "corpus_files",
    "variant_key",
]

# Differences that can show a common origin (see the module docstring).
DISTINCTIVE_KINDS = frozenset(
    {
        VariantKind.SUBSTITUTION,
        VariantKind.INSERTION,
        VariantKind.DELETION,
        VariantKind.REORDERING,
        VariantKind.BRACKET_INSERTION,
        VariantKind.BRACKET_REPLACEMENT,
        VariantKind.ELLIPSIS,
    }
)
# Kinds whose printed words identify the change; for the others (words left
# out) the source span alone does.
_PRINTED_MATTERS = frozenset(
    {
        VariantKind.SUBSTITUTION,
        VariantKind.INSERTION,
        VariantKind.REORDERING,
        VariantKind.BRACKET_INSERTION,
        VariantKind.BRACKET_REPLACEMENT,
    }
)
_EDGE = " .,;:!?'\"\u2014-"
# Candidates of one unsourced quotation that may fail the word check before the rest are passed over. Real
# quotations have rare words and few candidates; this bounds quotations of only common words, whose every
# word pair is everywhere, to a fixed number of checks each instead of one per other quotation.
_MAX_MISSES = 16
_VERDICT_RANK = {v: n for n, v in enumerate(Verdict)}


@attrs.frozen
class Printing:
    """One article's printing of a variant.

    Attributes:
        article: the article's path (or name).
        start: offset of the quotation in the article, marks excluded.
        end: offset after it.
        date: the article's date, if known.
        outlet: the article's outlet, if known.
        attributed_to: the speaker the article names, as printed.
        flags: the quotation's flags in this article (attribution differs).
    """

    article: str
    start: int
    end: int
    date: datetime.date | None
    outlet: str | None
    attributed_to: str | None = None
    flags: tuple[Flag, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The PRINTING object of the corpus JSON document."""
        return {
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "date": self.date.isoformat() if self.date else None,
            "outlet": self.outlet,
            "attributed_to": self.attributed_to,
            "flags": [f.value for f in self.flags],
        }


@attrs.frozen
class PrintedVariant:
    """One way the press printed (part of) a family's passage.

    Attributes:
        text: the quotation as first printed.
        key: what printings of this variant share: the text with typography folded.
        verdict: the verdict on the first printing.
        score: its similarity to the passage.
        kind: quotation, blockquote or reuse, as first printed.
        source: the passage this variant aligns to.
        diff: every difference from the passage, with `quote` spans into `text`.
        printings: every printing, earliest first (undated last).
    """

    text: str
    key: str
    verdict: Verdict
    score: float
    kind: QuoteKind
    source: SourceMatch
    diff: tuple[Variant, ...]
    printings: tuple[Printing, ...]

    @property
    def first(self) -> Printing:
        """The earliest printing (by date, then path)."""
        return self.printings[0]

    @property
    def count(self) -> int:
        """How many times it was printed."""
        return len(self.printings)

    @property
    def outlets(self) -> tuple[str, ...]:
        """The known outlets that printed it, in order of first printing."""
        return tuple(dict.fromkeys(p.outlet for p in self.printings if p.outlet))

    @property
    def dates(self) -> tuple[datetime.date, ...]:
        """The known dates it was printed on, earliest first, each once."""
        return tuple(sorted({p.date for p in self.printings if p.date}))

    def to_dict(self) -> dict[str, Any]:
        """The VARIANT object of the corpus JSON document."""
        return {
            "text": self.text,
            "key": self.key,
            "verdict": self.verdict.value,
            "score": round(self.score, 4),
            "kind": self.kind.value,
            "source": {
                "start": self.source.start,
                "end": self.source.end,
                "paragraph": self.source.paragraph,
                "text": self.source.text,
                "page": self.source.page,
                "time": self.source.time,
                "end_time": self.source.end_time,
                "link": self.source.link,
            },
            "diff": [v.to_dict() for v in self.diff],
            "count": self.count,
            "outlets": list(self.outlets),
            "dates": [d.isoformat() for d in self.dates],
            "first": self.first.to_dict(),
            "printings": [p.to_dict() for p in self.printings],
        }


class _Printings:
    """What a family of printed variants (`variants`) counts: its printings, the articles and the first printing."""

    __slots__ = ()
    variants: tuple[PrintedVariant, ...]

    @property
    def count(self) -> int:
        """How many quotations print (part of) it."""
        return sum(v.count for v in self.variants)

    @property
    def articles(self) -> tuple[str, ...]:
        """The articles that print it, each once, in order of first printing."""
        firsts = sorted((p for v in self.variants for p in v.printings), key=_printing_order)
        return tuple(dict.fromkeys(p.article for p in firsts))

    @property
    def first(self) -> Printing:
        """The earliest printing of any variant."""
        return min((v.first for v in self.variants), key=_printing_order)


@attrs.frozen
class Family(_Printings):
    """Every printing of one stretch of a source.

    Attributes:
        source_id: the source.
        start: offset of the family's passage in the source text.
        end: offset after it.
        text: the passage: the union of its variants' passages.
        paragraph: the 1-based source paragraph the passage starts in.
        speaker: who speaks the passage (where its first variant starts).
        url: the source's URL.
        title: the source's title, when the registry was given.
        variants: the printed variants, in source order, then by first printing.
        page: the PDF page the passage starts on, for a PDF source.
        time: for a transcript, when the cue the passage starts in begins, in seconds.
        link: an address that opens the source where the passage starts (see `Source.link`).
    """

    source_id: str
    start: int
    end: int
    text: str
    paragraph: int | None
    speaker: str | None
    url: str | None
    title: str | None
    variants: tuple[PrintedVariant, ...]
    page: int | None = None
    time: float | None = None
    link: str | None = None

    @property
    def id(self) -> str:
        """A stable name: `source:start-end`."""
        return f"{self.source_id}:{self.start}-{self.end}"

    def to_dict(self) -> dict[str, Any]:
        """The FAMILY object of the corpus JSON document."""
        return {
            "id": self.id,
            "source": {
                "id": self.source_id,
                "start": self.start,
                "end": self.end,
                "text": self.text,
                "paragraph": self.paragraph,
                "speaker": self.speaker,
                "url": self.url,
                "title": self.title,
                "page": self.page,
                "time": self.time,
                "link": self.link,
            },
            "count": self.count,
            "articles": list(self.articles),
            "first": self.first.to_dict(),
            "variants": [v.to_dict() for v in self.variants],
        }


@attrs.frozen
class UnsourcedFamily(_Printings):
    """Every printing of one quotation that no source in the registry holds.

    Attributes:
        id: a stable name: `unsourced:` and the first 12 hex digits of the
            SHA-256 of its reading's variant key.
        text: the reading the variants are compared with: the printed text
            most articles share (then the longest, then the first printed).
        variants: the printed variants, as in a `Family`, with `source`
            spans into `text`.
    """

    id: str
    text: str
    variants: tuple[PrintedVariant, ...]

    def to_dict(self) -> dict[str, Any]:
        """The UNSOURCED FAMILY object of the corpus JSON document: a FAMILY without `source`, with the reading as `text`."""
        return {
            "id": self.id,
            "text": self.text,
            "count": self.count,
            "articles": list(self.articles),
            "first": self.first.to_dict(),
            "variants": [v.to_dict() for v in self.variants],
        }


class EvidenceKind(enum.StrEnum):
    """Copy evidence that is not a change from a source."""

    SHARED_QUOTATION = "shared_quotation"
    """Articles print the same unsourced quotation, which no source in the registry explains."""


@attrs.frozen
class Evidence:
    """A rare distinctive change two articles share.

    Attributes:
        source_id: the source (for an unsourced family, the family's id).
        kind: what changed, or `EvidenceKind.SHARED_QUOTATION`.
        source: the source span changed (empty where words were put in);
            in an unsourced family, a span of its reading.
        printed: the words as printed (by the earlier article).
        original: the source's words.
        why: the change in words a reader understands.
        shared_by: how many articles print this change.
        covering: how many articles quote the source at this place.
    """

    source_id: str
    kind: VariantKind | EvidenceKind
    source: tuple[int, int]
    printed: str
    original: str
    why: str
    shared_by: int
    covering: int

    def to_dict(self) -> dict[str, Any]:
        """The EVIDENCE object of the corpus JSON document."""
        return {
            "source_id": self.source_id,
            "kind": self.kind.value,
            "source": list(self.source),
            "printed": self.printed,
            "original": self.original,
            "why": self.why,
            "shared_by": self.shared_by,
            "covering": self.covering,
        }


@attrs.frozen
class Link:
    """Likely copying: `later` prints rare changes that `earlier` printed first.

    Attributes:
        earlier: the article that printed the shared changes first.
        later: the article that printed them afterwards.
        earlier_date: its date, if known.
        later_date: its date, if known.
        ordered: both dates are known and differ; otherwise the direction
            is only the order of the paths and says nothing of who was first.
        evidence: the shared changes, in source order.
    """

    earlier: str
    later: str
    earlier_date: datetime.date | None
    later_date: datetime.date | None
    ordered: bool
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        """The LINK object of the corpus JSON document."""
        return {
            "earlier": self.earlier,
            "later": self.later,
            "earlier_date": self.earlier_date.isoformat() if self.earlier_date else None,
            "later_date": self.later_date.isoformat() if self.later_date else None,
            "ordered": self.ordered,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@attrs.frozen
class Corpus:
    """How a corpus printed its sources, and which articles likely copied which.

    Attributes:
        articles: every article's metadata, in input order (errors included).
        families: the families, by source id, then passage start.
        links: the copy links, earliest first.
        quotations: how many quotations the articles hold.
        unsourced: how many of them match no source (and are in no family).
        errors: the messages of articles that could not be checked.
        unsourced_families: unsourced quotations printed by two or more
            articles, grouped with one another, by first printing.
    """

    articles: tuple[ArticleMeta, ...]
    families: tuple[Family, ...]
    links: tuple[Link, ...]
    quotations: int
    unsourced: int
    errors: tuple[str, ...] = ()
    unsourced_families: tuple[UnsourcedFamily, ...] = ()

    def article(self, path: str) -> ArticleMeta:
        """The metadata of one article, by path.

        Raises:
            KeyError: no article has that path.
        """
        for meta in self.articles:
            if meta.path == path:
                return meta
        raise KeyError(path)

    def to_dict(self) -> dict[str, Any]:
        """The corpus JSON document (see the README)."""
        return {
            "articles": [a.to_dict() for a in self.articles],
            "families": [f.to_dict() for f in self.families],
            "unsourced_families": [f.to_dict() for f in self.unsourced_families],
            "links": [link.to_dict() for link in self.links],
            "quotations": self.quotations,
            "unsourced": self.unsourced,
            "errors": list(self.errors),
        }

    def _repr_html_(self) -> str:
        from quotecheck.rendering.corpus_report import render_corpus_html  # noqa: PLC0415 - corpus_report imports this module

        return render_corpus_html(self)


def _date_order(date: datetime.date | None) -> tuple[bool, datetime.date]:
    # Undated after dated: an undated printing cannot claim to be first.
    return (date is None, date or datetime.date.min)


def _printing_order(p: Printing) -> tuple[bool, datetime.date, str, int]:
    return (*_date_order(p.date), p.article, p.start)


def variant_key(text: str) -> str:
    """What printings of one variant share: typography folded, edge punctuation dropped.

    >>> variant_key("\u201cIBM\u2019s  policies \u2013 technology,\u201d") == variant_key("IBM's policies\u2014technology.")
    True
    >>> variant_key("Principles of Trust") == variant_key("principles of trust")
    False
    """
    return fold_typography(repair(text).text).strip(_EDGE)


def _words(text: str) -> list[str]:
    return [t.key for t in tokenize(repair(text).text)]


@attrs.frozen
class _Record:
    """A sourced quotation with where it stands in the corpus (internal)."""

    article: int
    quote: QuoteCheck
    printing: Printing


def corpus(
    articles: Report | Iterable[ArticleCheck],
    *,
    metadata: Mapping[str, ArticleMeta] | None = None,
    registry: Registry | None = None,
    config: Config = DEFAULT_CONFIG,
) -> Corpus:
    """Groups a corpus's quotations into families and variants, and finds likely copies.

    A pure function of the per-article results: it reads no file and checks
    nothing again.

    Args:
        articles: the per-article results, e.g. from `check_files`,
            `check_stream`, or JSON read back and rebuilt.
        metadata: each article's metadata, by `ArticleCheck.path`; articles
            without an entry have an unknown date and outlet.
        registry: the sources, for their titles (optional).
        config: `copy_max_share` decides what is rare.

    Returns:
        The families, their variants and the copy links.

    Raises:
        InvalidArgument: `articles` holds something other than `ArticleCheck`.
    """
    items = articles.articles if isinstance(articles, Report) else tuple(articles)
    metas: list[ArticleMeta] = []
    records: list[_Record] = []
    loose: list[_Record] = []  # unsourced quotations long enough to group
    errors: list[str] = []
    quotations = unsourced = 0
    for n, article in enumerate(items):
        if not isinstance(article, ArticleCheck):
            raise InvalidArgument(f"articles must hold ArticleCheck results, got {type(article).__name__} at index {n}")
        name = article.path if article.path is not None else f"<article {n + 1}>"
        meta = attrs.evolve((metadata or {}).get(article.path or "", ArticleMeta()), path=name)
        metas.append(meta)
        if article.error is not None:
            errors.append(article.error)
        for quote in article.quotes:
            quotations += 1
            printing = Printing(name, quote.start, quote.end, meta.date, meta.outlet, quote.attributed_to, quote.flags)
            if quote.source is None or quote.verdict is Verdict.UNSOURCED:
                unsourced += 1
                if quote.kind is not QuoteKind.REUSE and Flag.TOO_LONG not in quote.flags:
                    loose.append(_Record(n, quote, printing))
                continue
            records.append(_Record(n, quote, printing))
    order = [(*_date_order(m.date), m.path or "", n) for n, m in enumerate(metas)]
    families, family_records = _families(records, registry)
    unsourced_families, unsourced_records = _unsourced_families(loose, config)
    passages = [(f.id, f.text, group) for f, group in zip(unsourced_families, unsourced_records, strict=True)]
    links = _links([*family_records, *unsourced_records], metas, order, config, passages=passages)
    return Corpus(tuple(metas), families, links, quotations, unsourced, tuple(errors), unsourced_families)


def _families(records: Sequence[_Record], registry: Registry | None) -> tuple[tuple[Family, ...], list[list[_Record]]]:
    by_source: dict[str, list[_Record]] = defaultdict(list)
    for record in records:
        assert record.quote.source is not None
        by_source[record.quote.source.id].append(record)
    groups: list[list[_Record]] = []
    for source_id in sorted(by_source):
        end = -1
        for record in sorted(by_source[source_id], key=_span):
            start, stop = _span(record)
            if start < end:  # overlaps the family so far
                groups[-1].append(record)
                end = max(end, stop)
            else:
                groups.append([record])
                end = stop
    return tuple(_family(group, registry) for group in groups), groups


def _span(record: _Record) -> tuple[int, int]:
    assert record.quote.source is not None
    return record.quote.source.start, record.quote.source.end


def _family(group: Sequence[_Record], registry: Registry | None) -> Family:
    # `group` is sorted by passage start: stitch the union of the passages.
    first = group[0].quote.source
    assert first is not None
    pieces: list[str] = []
    pos = first.start
    for record in group:
        match = record.quote.source
        assert match is not None
        if match.end > pos:
            pieces.append(match.text[pos - match.start :])
            pos = match.end
    by_key: dict[str, list[_Record]] = defaultdict(list)
    keys: dict[str, str] = {}  # copies print the same text: fold it once
    for record in group:
        text = record.quote.text
        if text not in keys:
            keys[text] = variant_key(text)
        by_key[keys[text]].append(record)
    variants = [_printed_variant(key, members) for key, members in by_key.items()]
    # Stacked in source order; at one span, the best verdict first.
    variants.sort(key=lambda v: (v.source.start, v.source.end, _VERDICT_RANK[v.verdict], _printing_order(v.first)))
    title = registry[first.id].title if registry is not None and first.id in registry else None
    return Family(
        first.id,
        first.start,
        pos,
        "".join(pieces),
        first.paragraph,
        first.speaker,
        first.url,
        title,
        tuple(variants),
        page=first.page,
        time=first.time,
        link=first.link,
    )


def _printed_variant(key: str, members: Sequence[_Record]) -> PrintedVariant:
    members = sorted(members, key=lambda r: _printing_order(r.printing))
    quote = members[0].quote
    assert quote.source is not None
    diff = tuple(
        attrs.evolve(
            v, quote=(min(max(v.quote[0] - quote.start, 0), len(quote.text)), min(max(v.quote[1] - quote.start, 0), len(quote.text)))
        )
        for v in quote.variants
    )
    return PrintedVariant(quote.text, key, quote.verdict, quote.score, quote.kind, quote.source, diff, tuple(r.printing for r in members))


def _unsourced_families(records: Sequence[_Record], config: Config) -> tuple[tuple[UnsourcedFamily, ...], list[list[_Record]]]:
    """Unsourced quotations grouped with one another, each group checked against its reading (see the module docstring).

    Returns:
        The families, by first printing, and for each the records of its
        members with `quote` rechecked against the reading (`source` set).
    """
    by_key: dict[str, list[_Record]] = defaultdict(list)
    keyed: dict[str, str | None] = {}  # copies print the same text: read it once
    for record in records:
        text = record.quote.text
        if text not in keyed:
            keyed[text] = variant_key(text) if len(_words(text)) >= config.min_fuzzy_words else None
        key = keyed[text]
        if key is not None:
            by_key[key].append(record)
    keys = sorted(by_key)
    if len(keys) < 1:
        return (), []
    texts = [repair(by_key[key][0].quote.text).text for key in keys]
    words = [[t.key for t in tokenize(text) if t.kind is TokenKind.WORD] for text in texts]
    parent = list(range(len(keys)))

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    if len(keys) > 1:
        index = WordIndex.build(Registry.from_sources(Source(f"u{n}", text) for n, text in enumerate(texts)))
        for n, text in enumerate(texts):
            tokens = tokenize(text, marks=True)
            pieces = _pieces(tokens)  # the runs of word keys between editorial marks, as the index takes them
            windows = index.windows(
                pieces,
                ellipses=sum(1 for t in tokens if t.kind is TokenKind.ELLIPSIS),
                brackets=sum(1 for t in tokens if t.kind is TokenKind.BRACKET),
                bracket_words=config.max_bracket_words,
            )
            misses = 0
            # The windows of `WordIndex.candidates`, cut at source boundaries one at a time, so the search can stop early.
            for other in (s for lo, hi in windows for s, _first, _last in index.split(lo, hi)):
                a, b = find(n), find(other)
                if a == b:
                    continue
                if _close(words[n], words[other]):
                    parent[max(a, b)] = min(a, b)
                else:
                    misses += 1
                    if misses >= _MAX_MISSES:  # words so common that everything is a candidate: stop looking
                        break
    groups: dict[int, list[int]] = defaultdict(list)
    for n in range(len(keys)):
        groups[find(n)].append(n)
    families: list[tuple[UnsourcedFamily, list[_Record]]] = []
    for members in groups.values():
        if len({r.article for n in members for r in by_key[keys[n]]}) < 2:
            continue
        family = _unsourced_family([(keys[n], by_key[keys[n]]) for n in members], config)
        if family is not None:
            families.append(family)
    families.sort(key=lambda pair: (_printing_order(pair[0].first), pair[0].id))
    return tuple(f for f, _ in families), [group for _, group in families]


def _close(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether the shorter of two quotations keeps, in order, all but `MAX_EDIT_RATE` of its words in the longer."""
    shorter = min(len(a), len(b))
    kept = sum(block.size for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return shorter > 0 and kept >= shorter - int(MAX_EDIT_RATE * shorter)


def _unsourced_family(members: Sequence[tuple[str, Sequence[_Record]]], config: Config) -> tuple[UnsourcedFamily, list[_Record]] | None:
    """One group's family: its reading, and each member checked against it; None when fewer than two articles remain."""

    def rank(item: tuple[str, Sequence[_Record]]) -> tuple[int, int, tuple[bool, datetime.date, str, int]]:
        key, printed = item
        first = min((r.printing for r in printed), key=_printing_order)
        return (-len({r.article for r in printed}), -len(_words(key)), _printing_order(first))

    reading_key, reading_records = min(members, key=rank)
    # As first printed, less the comma or colon the article's own sentence puts at its end ("...," she said).
    reading = repair(min(reading_records, key=lambda r: _printing_order(r.printing)).quote.text).text.rstrip(",;: \t\n")
    family_id = "unsourced:" + hashlib.sha256(reading_key.encode("utf-8")).hexdigest()[:12]
    registry = Registry.from_sources([Source(family_id, reading)])
    checked: list[_Record] = []
    for _key, printed in members:
        rechecked: dict[str, QuoteCheck] = {}  # copies print the same text: check it once
        for record in printed:
            quote = record.quote
            if quote.text not in rechecked:
                rechecked[quote.text] = verify(quote.text, registry=registry, config=config)
            found = rechecked[quote.text]
            if found.source is None or found.verdict is Verdict.UNSOURCED:
                continue
            shifted = tuple(attrs.evolve(v, quote=(v.quote[0] + quote.start, v.quote[1] + quote.start)) for v in found.variants)
            moved = attrs.evolve(quote, verdict=found.verdict, score=found.score, source=found.source, variants=shifted)
            checked.append(_Record(record.article, moved, record.printing))
    if len({r.article for r in checked}) < 2:
        return None
    by_key: dict[str, list[_Record]] = defaultdict(list)
    keys = {r.quote.text: key for key, printed in members for r in printed}  # grouped by key already
    for record in checked:
        by_key[keys[record.quote.text]].append(record)
    variants = [_printed_variant(key, group) for key, group in by_key.items()]
    variants.sort(key=lambda v: (v.source.start, v.source.end, _VERDICT_RANK[v.verdict], _printing_order(v.first)))
    checked.sort(key=_span)
    return UnsourcedFamily(family_id, reading, tuple(variants)), checked


def _signature(source_id: str, v: Variant) -> tuple[str, str, int, int, str] | None:
    """What two articles must share to share a distinctive change, or None if `v` is not one."""
    if v.kind not in DISTINCTIVE_KINDS or v.category in (Category.TYPOGRAPHY, Category.COSMETIC):
        return None
    printed = _words(v.printed) if v.kind in _PRINTED_MATTERS else []
    if not any(w not in STOP_WORDS for w in (*printed, *_words(v.original))):
        return None
    return (source_id, v.kind.value, v.source[0], v.source[1], " ".join(printed))


def _links(
    groups: Sequence[Sequence[_Record]],
    metas: Sequence[ArticleMeta],
    order: Sequence[tuple[Any, ...]],
    config: Config,
    *,
    passages: Sequence[tuple[str, str, Sequence[_Record]]] = (),
) -> tuple[Link, ...]:
    """Copy links from the rare distinctive changes articles share, and from the unsourced quotations of `passages`.

    Args:
        groups: every family's records.
        metas: every article's metadata, by article number.
        order: every article's (date, path) order, by article number.
        config: `copy_max_share`.
        passages: for each unsourced family, its id, its reading and its records.
    """
    # Who prints each distinctive change, with the change as each printed it.
    printers: dict[tuple[str, str, int, int, str], dict[int, Variant]] = defaultdict(dict)
    # Where each article quotes each source: merged intervals, for "covering".
    spans: dict[str, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    signatures: dict[tuple[str, Variant], tuple[str, str, int, int, str] | None] = {}
    for group in groups:
        for record in group:
            match = record.quote.source
            assert match is not None
            spans[match.id][record.article].append((match.start, match.end))
            for v in record.quote.variants:
                if (match.id, v) not in signatures:  # copies carry equal variants: judge each once
                    signatures[match.id, v] = _signature(match.id, v)
                signature = signatures[match.id, v]
                if signature is not None:
                    printers[signature].setdefault(record.article, v)
    coverage = {source_id: _coverage(by_article) for source_id, by_article in spans.items()}
    shared: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
    for signature, by_article in printers.items():
        if len(by_article) < 2:
            continue
        source_id, _kind, start, end, _printed = signature
        starts, ends = coverage[source_id]
        # Articles quoting the source at `start`: intervals with s <= start < e
        # (s <= start <= e for a point where words were put in).
        covering = bisect.bisect_right(starts, start) - (
            bisect.bisect_right(ends, start) if end > start else bisect.bisect_left(ends, start)
        )
        covering = max(covering, len(by_article))
        if len(by_article) > max(2, int(config.copy_max_share * covering)):
            continue
        ranked = sorted(by_article, key=lambda n: order[n])
        origin = ranked[0]
        v = by_article[origin]
        evidence = Evidence(source_id, v.kind, v.source, v.printed, v.original, v.why, len(by_article), covering)
        for later in ranked[1:]:
            shared[origin, later].append(evidence)
    for family_id, reading, records in passages:
        earliest: dict[int, _Record] = {}
        for record in sorted(records, key=lambda r: _printing_order(r.printing)):
            earliest.setdefault(record.article, record)
        # Every article quoting it prints it, so it is rare only as two articles are always rare.
        if len(earliest) > max(2, int(config.copy_max_share * len(earliest))):
            continue
        ranked = sorted(earliest, key=lambda n: order[n])
        opener = earliest[ranked[0]].quote
        assert opener.source is not None
        evidence = Evidence(
            family_id,
            EvidenceKind.SHARED_QUOTATION,
            (opener.source.start, opener.source.end),
            opener.text,
            "",
            f"each prints this quotation of {len(_words(reading))} words, which no source in the registry holds",
            len(earliest),
            len(earliest),
        )
        for later in ranked[1:]:
            shared[ranked[0], later].append(evidence)
    links = []
    for (a, b), found in sorted(shared.items(), key=lambda item: (order[item[0][0]], order[item[0][1]])):
        da, db = metas[a].date, metas[b].date
        links.append(
            Link(
                metas[a].path or "",
                metas[b].path or "",
                da,
                db,
                da is not None and db is not None and da < db,
                tuple(sorted(found, key=lambda e: (e.source_id, e.source, e.kind.value, e.printed))),
            )
        )
    return tuple(links)


def _coverage(by_article: Mapping[int, list[tuple[int, int]]]) -> tuple[list[int], list[int]]:
    """Sorted starts and ends of each article's merged intervals: an article counts once at any point."""
    starts: list[int] = []
    ends: list[int] = []
    for intervals in by_article.values():
        intervals.sort()
        cur_start, cur_end = intervals[0]
        for s, e in intervals[1:]:
            if s <= cur_end:
                cur_end = max(cur_end, e)
            else:
                starts.append(cur_start)
                ends.append(cur_end)
                cur_start, cur_end = s, e
        starts.append(cur_start)
        ends.append(cur_end)
    starts.sort()
    ends.sort()
    return starts, ends


def corpus_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    manifest: str | os.PathLike[str] | None = None,
    registry: Registry | None = None,
    config: Config = DEFAULT_CONFIG,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Corpus:
    """Checks article files and groups them: `check_files`, `article_metadata`, then `corpus`.

    Args:
        paths: article files or directories (their `.txt` and `.md` files).
        manifest: a CSV or JSON Lines manifest of article metadata.
        registry: the sources; the built-in Krishna registry by default.
        config: thresholds.
        jobs: processes checking the articles (see `check_stream`).
        progress: called after each article is checked, as for `check_files`.

    Raises:
        InputError: the manifest cannot be read.
        ManifestError: the manifest is malformed.
    """
    listed = read_manifest(manifest) if manifest is not None else {}
    registry = registry if registry is not None else builtin_registry()
    results = list(check_files(paths, registry=registry, config=config, jobs=jobs, progress=progress).articles)
    metadata = article_metadata([a.path for a in results if a.path is not None], manifest=listed)
    return corpus(results, metadata=metadata, registry=registry, config=config)
