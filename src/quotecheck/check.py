"""Checking: the verdict on each quotation, and the report on articles.

Verdicts, from best to worst (see the README for the full definitions):
`exact`, `cosmetic`, `editorial`, `altered`, `paraphrase`, `unsourced`.
"""

from __future__ import annotations

import collections
import concurrent.futures
import enum
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import regex

from quotecheck._io import decode, describe_directory, read_text
from quotecheck.align import Alignment, align, is_compound, moved_words
from quotecheck.attribute import attribute
from quotecheck.classify import Category, Variant, VariantKind, classify
from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.errors import InputError, InvalidArgument, MissingExtra
from quotecheck.extract import Quote, QuoteKind, extract
from quotecheck.findings import Finding, Flag, match_findings, quote_findings, unsourced_findings
from quotecheck.markup import looks_like_html, read_html
from quotecheck.normalize import STOP_WORDS, Token, TokenKind, repair, tokenize_segments
from quotecheck.registry import Registry, builtin_registry
from quotecheck.reuse import find_reuse

if TYPE_CHECKING:
    from quotecheck._diff import WordDiff

__all__ = [
    "ARTICLE_SUFFIXES",
    "ArticleCheck",
    "Finding",
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

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")


class Verdict(enum.Enum):
    """What a fact-checker can say of a quotation, best first."""

    EXACT = "exact"
    COSMETIC = "cosmetic"
    EDITORIAL = "editorial"
    ALTERED = "altered"
    PARAPHRASE = "paraphrase"
    UNSOURCED = "unsourced"


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
        findings: each flag with its reason and the spans that prove it.
        tag: for a `<q>` or `<blockquote>` of an HTML article, the span of the
            element in the HTML (`start` and `end` index the extracted text).
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
    findings: tuple[Finding, ...] = ()
    tag: tuple[int, int] | None = None

    def _head(self) -> dict[str, Any]:
        """The fields a record and the JSON object share, in their order."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind.value,
            "attributed_to": self.attributed_to,
            "speaker": self.speaker,
            "verdict": self.verdict.value,
        }

    def to_record(self) -> dict[str, Any]:
        """The quotation as one flat dict (every value a str, int, float, bool or None), for tables."""
        src = self.source
        changes = [v for v in self.variants if v.category is not Category.TYPOGRAPHY]
        return {
            **self._head(),
            "flags": ",".join(f.value for f in self.flags),
            "score": round(self.score, 4),
            "source_id": src.id if src else None,
            "source_speaker": src.speaker if src else None,
            "source_paragraph": src.paragraph if src else None,
            "source_start": src.start if src else None,
            "source_end": src.end if src else None,
            "source_text": src.text if src else None,
            "source_url": src.url if src else None,
            "misattributed": Flag.MISATTRIBUTED in self.flags,
            "changes": len(changes),
            "why": "; ".join(v.why for v in changes),
        }

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
            **self._head(),
            "flags": [f.value for f in self.flags],
            "score": round(self.score, 4),
            "source": source,
            "variants": [v.to_dict() for v in self.variants],
            "findings": [
                {
                    "flag": f.flag.value,
                    "why": f.why,
                    "quote": list(f.quote) if f.quote else None,
                    "source": list(f.source) if f.source else None,
                }
                for f in self.findings
            ],
            "tag": list(self.tag) if self.tag is not None else None,
        }

    def diff(self) -> WordDiff:
        """The quotation as printed, cut into unchanged stretches and changes from its source.

        Notebooks show it with `<del>` and `<ins>`; `str()` gives a wdiff-style line.
        """
        from quotecheck._diff import word_diff  # noqa: PLC0415 (the diff module draws on this one)

        return word_diff(self)

    def _repr_html_(self) -> str:
        from quotecheck.report import quote_html  # noqa: PLC0415 (report draws on this module)

        return quote_html(self)

    def _repr_markdown_(self) -> str:
        from quotecheck.report import quote_markdown  # noqa: PLC0415 (report draws on this module)

        return quote_markdown(self)


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

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per quotation (every value a str, int, float, bool or None), for tables.

        Keys: `article`, `start`, `end`, `text`, `kind`, `attributed_to`,
        `speaker`, `verdict`, `flags` (comma-separated), `score`, `source_id`,
        `source_speaker`, `source_paragraph`, `source_start`, `source_end`,
        `source_text`, `source_url`, `misattributed`, `changes` (variants other
        than typography) and `why` (their explanations, joined by "; ").
        """
        return [{"article": article.path, **quote.to_record()} for article in self.articles for quote in article.quotes]

    def to_pandas(self) -> Any:
        """The records of `to_records()` as a pandas DataFrame, one row per quotation.

        Raises:
            MissingExtra: pandas is not installed (`pip install 'quotecheck[pandas]'`).
        """
        try:
            import pandas as pd  # noqa: PLC0415 (an optional extra)
        except ImportError:
            raise MissingExtra("Report.to_pandas() needs pandas: pip install 'quotecheck[pandas]'") from None
        columns = list(_RECORD_COLUMNS)
        return pd.DataFrame.from_records(self.to_records(), columns=columns)

    def _repr_html_(self) -> str:
        from quotecheck.report import report_html  # noqa: PLC0415 (report draws on this module)

        return report_html(self)

    def _repr_markdown_(self) -> str:
        from quotecheck.report import render_markdown  # noqa: PLC0415 (report draws on this module)

        return render_markdown(self)


_RECORD_COLUMNS = (
    "article",
    "start",
    "end",
    "text",
    "kind",
    "attributed_to",
    "speaker",
    "verdict",
    "flags",
    "score",
    "source_id",
    "source_speaker",
    "source_paragraph",
    "source_start",
    "source_end",
    "source_text",
    "source_url",
    "misattributed",
    "changes",
    "why",
)


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
    if (path is not None and Path(path).suffix.lower() in _HTML_SUFFIXES) or looks_like_html(text):
        return _check_html_article(text, registry, config, path)
    quotes = extract(text)
    reused = find_reuse(text, quotes, registry, config=config)
    quotes = attribute(text, tuple(sorted((*quotes, *reused), key=lambda q: (q.start, q.end))))
    return ArticleCheck(path, tuple(_as_term(_check_quote(text, quote, registry, config)) for quote in quotes))


def _as_term(result: QuoteCheck) -> QuoteCheck:
    """A term (scare quotes, a title) names words rather than quoting them: it is never a misquote.

    Found as printed, it keeps its verdict; otherwise it is `unsourced`, with only its own flags (short, unbalanced).
    """
    if result.kind is not QuoteKind.TERM or result.verdict not in (Verdict.ALTERED, Verdict.PARAPHRASE):
        return result
    own = tuple(f for f in result.findings if f.flag in (Flag.SHORT, Flag.UNBALANCED, Flag.TOO_LONG))
    flags = tuple(f for f in result.flags if f in {f.flag for f in own})
    return attrs.evolve(result, verdict=Verdict.UNSOURCED, flags=flags, score=0.0, source=None, variants=(), findings=own)


_HTML_SUFFIXES = (".html", ".htm")


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
        result = _as_term(_check_quote(article.text, quote, registry, config))
        checks.append(attrs.evolve(result, tag=tagged.get(original)))
    return ArticleCheck(path, tuple(checks))


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
    """Checks every article file; a directory stands for its `.txt`, `.md` and `.html` files.

    A file that cannot be read gets its message in `error`; the others are
    still checked.
    """
    return Report(tuple(check_stream(iter_article_paths(paths), registry=registry, config=config)))


def check_stream(
    paths: Iterable[str],
    *,
    registry: Registry | str | os.PathLike[str] | None = None,
    config: Config = DEFAULT_CONFIG,
    jobs: int = 1,
) -> Iterator[ArticleCheck]:
    """Checks article files one by one, yielding each result as soon as it is ready.

    Results come in the order of `paths`. A file that cannot be read yields
    an `ArticleCheck` with its message in `error`, and the others go on.
    The path `-` reads standard input.

    Args:
        paths: article files, or `-`.
        registry: the sources, or the path of a registry directory; the
            built-in Krishna registry by default.
        config: thresholds.
        jobs: worker processes. With more than one, each worker loads the
            registry once (from its path; a `Registry` object is sent to it
            pickled) and the results still come in the order of `paths`.

    Raises:
        InvalidArgument: `jobs` is less than 1.
    """
    if jobs < 1:
        raise InvalidArgument(f"jobs={jobs!r} must be at least 1")
    if jobs > 1:
        yield from _check_parallel(paths, registry, config, jobs)
        return
    loaded = _load_registry(registry, config)
    for path in paths:
        yield check_path(path, registry=loaded, config=config)


def _load_registry(registry: Registry | str | os.PathLike[str] | None, config: Config) -> Registry:
    if registry is None:
        return builtin_registry()
    if isinstance(registry, Registry):
        return registry
    return Registry.from_path(os.fspath(registry), config=config)


_WORKER: tuple[Registry, Config] | None = None
_BATCH = 4  # articles per task: fewer round trips between processes, and results still stream


def _start_worker(registry: Registry | str | os.PathLike[str] | None, config: Config) -> None:
    global _WORKER
    _WORKER = (_load_registry(registry, config), config)


def _check_in_worker(batch: list[tuple[str, str | None]]) -> list[ArticleCheck]:
    assert _WORKER is not None
    registry, config = _WORKER
    return [
        check_path(path, registry=registry, config=config) if text is None else _check_article(text, registry, config, path)
        for path, text in batch
    ]


def _check_parallel(
    paths: Iterable[str], registry: Registry | str | os.PathLike[str] | None, config: Config, jobs: int
) -> Iterator[ArticleCheck]:
    """`check_stream` over `jobs` processes: a bounded queue of futures, yielded in submission order."""
    if isinstance(registry, Registry) and registry is builtin_registry():
        registry = None
    elif registry is not None and not isinstance(registry, Registry):
        registry = os.fspath(registry)
    pending: collections.deque[concurrent.futures.Future[list[ArticleCheck]]] = collections.deque()
    batch: list[tuple[str, str | None]] = []
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(registry, config)) as pool:
        for path in itertools.chain(paths, [None]):
            if path is not None:
                # Standard input belongs to this process, not to a worker.
                batch.append((str(path), sys.stdin.read() if path == "-" else None))
            if batch and (path is None or len(batch) >= _BATCH):
                pending.append(pool.submit(_check_in_worker, batch))
                batch = []
            while pending and (path is None or len(pending) >= 2 * jobs):
                yield from pending.popleft().result()


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
        spliced = _splice(text, quote, tokens, alignment, variants, registry, config)
        if spliced is not None:
            variants, score, pieces = spliced
            alignment = attrs.evolve(pieces[0][0], score=score)
        verdict = _verdict(pieces, score, variants, config)
    if verdict is Verdict.UNSOURCED:
        alignment, variants, score = None, (), 0.0
        if not any(f.flag is Flag.TOO_LONG for f in findings):  # not looked up, so nothing is known of its source
            findings += unsourced_findings(quote, tokens, speaker, registry)
    else:
        assert alignment is not None
        found = match_findings(quote, alignment, variants, speaker, registry)
        # A bracket that names someone else, or an ellipsis joining two speakers, changes meaning.
        changed = {f.quote for f in found if f.flag in _MEANING_FLAGS}
        if changed:
            variants = tuple(attrs.evolve(v, category=Category.SUBSTANTIVE) if v.quote in changed else v for v in variants)
            if verdict in (Verdict.EXACT, Verdict.COSMETIC, Verdict.EDITORIAL):
                verdict = Verdict.ALTERED
        if verdict is Verdict.PARAPHRASE:  # word-level findings say little of a reworded quotation
            found = [f for f in found if f.flag not in _WORD_LEVEL_FLAGS]
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


_MEANING_FLAGS = frozenset({Flag.BRACKET_CHANGES_REFERENT, Flag.ELISION_CROSSES_SPEAKER})
_WORD_LEVEL_FLAGS = frozenset({Flag.REORDERED, Flag.SPLICED})


def _splice(
    text: str,
    quote: Quote,
    tokens: Sequence[Token],
    alignment: Alignment,
    variants: tuple[Variant, ...],
    registry: Registry,
    config: Config,
) -> tuple[tuple[Variant, ...], float, tuple[tuple[Alignment, Sequence[Token]], ...]] | None:
    """Reads a quotation as pieces joined from separate passages, when that reads better.

    When the quotation as a whole matches its best passage only with
    substantive changes, it is cut into pieces (at its sentence ends, and
    also at the edge of each run of changed words) and each piece of at
    least `Config.min_splice_words` words is aligned on its own. If every
    piece is then a quotation of some passage, and together they match
    better than the whole did, the best such reading stands: each join of
    two passages that are not adjacent in the source is a `splice` variant,
    and two adjacent passages printed the other way round a `reordering`.

    Returns:
        The variants, the score over the pieces, and the pieces' alignments; or None.
    """
    if not any(v.category is Category.SUBSTANTIVE for v in variants):
        return None
    best: tuple[float, list[tuple[int, int, Alignment]]] | None = None
    for cuts in _cut_candidates(text, alignment, tokens, config):
        aligned = _align_pieces(tokens, _sentence_pieces(text, tokens, cuts), registry, config)
        if aligned is None or any(_not_a_join(a, b) for (_, _, a), (_, _, b) in itertools.pairwise(aligned)):
            continue
        matched = sum(p.matched + p.moved for _, _, p in aligned)
        if matched <= alignment.matched + alignment.moved:
            continue  # the pieces must place more of the quotation's words, not just drop source words
        total = sum(p.quote_words + p.source_words for _, _, p in aligned)
        score = min(1.0, 2 * matched / total) if total else 0.0
        if score > alignment.score and (best is None or score > best[0]):
            best = (score, aligned)
    if best is None:
        return None
    score, aligned = best
    out: list[Variant] = []
    joins = 0
    for n, (lo, hi, piece) in enumerate(aligned):
        run = tokens[lo:hi]
        span = (run[0].start, run[-1].end)
        end = tokens[hi].start if hi < len(tokens) else quote.end
        out.extend(classify(piece, run, text, quote_span=(span[0], end), separator=_separators(text, run)))
        if n:
            before = aligned[n - 1][2]
            if before.source is piece.source and before.end <= piece.start and not _words_between(before, piece):
                continue  # the next sentence of the source: no splice
            joins += 1
            where = _distance(before, piece)
            why = f"\u201c{_clip(text[span[0] : span[1]])}\u201d comes from another passage ({where}), joined with no ellipsis"
            original = piece.source.text[piece.start : piece.end]
            out.append(
                Variant(VariantKind.SPLICE, Category.SUBSTANTIVE, span, (piece.start, piece.end), text[span[0] : span[1]], original, why)
            )
    if not joins:
        return None  # sentences that follow each other in the source: the whole reading stands
    # Edge punctuation between sentences is the sentences' own, not a final mark.
    out = [v for v in out if not (v.kind is VariantKind.FINAL_PUNCTUATION and v.quote[1] < quote.end)]
    return tuple(sorted(out, key=lambda v: (v.quote, v.source))), score, tuple((p, tokens[lo:hi]) for lo, hi, p in aligned)


_QUOTE_SENTENCE_END = regex.compile(r"[.!?]")


def _cut_candidates(text: str, alignment: Alignment, tokens: Sequence[Token], config: Config) -> list[set[int]]:
    """Ways to cut a quotation into pieces: at its sentence ends, or at one edge of a changed run.

    A cut at the edge of a run of changed words tries the reading in which
    the words before and after it come from two places (swapped clauses).
    """
    options: list[set[int]] = [set()]
    edges = {j for op in alignment.opcodes if op.tag != "equal" for j in (op.j1, op.j2)}
    for cut in sorted(edges):
        before = sum(1 for t in tokens[:cut] if t.kind is TokenKind.WORD)
        after = sum(1 for t in tokens[cut:] if t.kind is TokenKind.WORD)
        if before >= config.min_splice_words and after >= config.min_splice_words:
            options.append({cut})
    return options


def _align_pieces(
    tokens: Sequence[Token], pieces: list[tuple[int, int]], registry: Registry, config: Config
) -> list[tuple[int, int, Alignment]] | None:
    """Each piece aligned on its own, or None unless there are several and each is a quotation of some passage."""
    if len(pieces) < 2:
        return None
    aligned = []
    for lo, hi in pieces:
        run = tokens[lo:hi]
        words = sum(1 for t in run if t.kind is TokenKind.WORD)
        piece = align(run, registry, config=config) if words >= config.min_splice_words else None
        if piece is None or piece.score < config.altered_min_score:
            return None
        aligned.append((lo, hi, piece))
    return aligned


def _sentence_pieces(text: str, tokens: Sequence[Token], cuts: set[int]) -> list[tuple[int, int]]:
    """Token ranges of the quotation's sentences (a sentence ends where [.!?] stands between two words),
    also cut before each token index in `cuts`."""
    pieces = []
    lo = 0
    for k in range(len(tokens) - 1):
        if k + 1 in cuts or _QUOTE_SENTENCE_END.search(text, tokens[k].end, tokens[k + 1].start):
            pieces.append((lo, k + 1))
            lo = k + 1
    pieces.append((lo, len(tokens)))
    return pieces


def _not_a_join(first: Alignment, second: Alignment) -> bool:
    """Whether two consecutive pieces are better read as one passage than as two joined.

    They are when they overlap in the source (a word printed twice), or
    follow each other within one sentence with words silently left out
    between them (a deletion, not a splice).
    """
    if first.source is not second.source:
        return False
    if first.start < second.end and second.start < first.end:
        return True
    if first.end > second.start or not _words_between(first, second):
        return False
    return not _SOURCE_SENTENCE_BREAK.search(first.source.text, first.end, second.start)


_SOURCE_SENTENCE_BREAK = regex.compile(r"[.!?](?=\s)|\n\s*\n")


def _words_between(first: Alignment, second: Alignment) -> int:
    return sum(1 for t in first.source.tokens if t.kind is TokenKind.WORD and first.end <= t.start and t.end <= second.start)


def _clip(text: str, most: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[: most - 1] + "\u2026"


def _separators(text: str, tokens: Sequence[Token]) -> Callable[[int], str | None]:
    """The printed text between tokens k and k+1 of one stretch of an article."""

    def separator(k: int) -> str | None:
        return repair(text[tokens[k].end : tokens[k + 1].start]).text

    return separator


def _distance(main: Alignment, piece: Alignment) -> str:
    """How far apart two passages are, in words and paragraphs."""
    if piece.source is not main.source:
        return f"{piece.source.id}, another source"
    source = main.source
    lo, hi = sorted(((main.start, main.end), (piece.start, piece.end)))
    between = sum(1 for t in source.tokens if t.kind is TokenKind.WORD and lo[1] <= t.start and t.end <= hi[0])
    first, second = source.paragraph_at(lo[0]), source.paragraph_at(hi[0])
    paragraphs = f", \u00b6{first.number} and \u00b6{second.number}" if first and second and first != second else ""
    order = "" if piece.start > main.start else ", placed before it"
    return f"{between} words away in {source.id}{paragraphs}{order}"


def _verdict(pieces: Sequence[tuple[Alignment, Sequence[Token]]], score: float, variants: Sequence[Variant], config: Config) -> Verdict:
    """The verdict on a quotation aligned as one passage, or as spliced pieces.

    Args:
        pieces: each passage with the quotation tokens aligned to it.
        score: the score over all pieces.
        variants: every difference.
        config: thresholds.
    """
    categories = {v.category for v in variants}
    words = sum(a.quote_words for a, _ in pieces)
    # A short quotation is sourced only when every one of its words is found, in order.
    if words < config.min_fuzzy_words and sum(a.matched for a, _ in pieces) != words:
        return Verdict.UNSOURCED
    # Words of an amount written in another style ("£4.2m" for "4.2 million pounds") are the source's words.
    styled = [v.quote for v in variants if v.kind is VariantKind.NUMBER_STYLE]
    counts = [_content_words(a, t, styled) for a, t in pieces]
    content, kept = sum(c for c, _ in counts), sum(k for _, k in counts)
    reworded = content - kept
    if reworded >= config.paraphrase_min_reworded_words and reworded >= config.paraphrase_min_reworded * content:
        return Verdict.PARAPHRASE if kept >= config.paraphrase_min_content_words else Verdict.UNSOURCED
    if score >= config.altered_min_score:
        for category, verdict in (
            (Category.SUBSTANTIVE, Verdict.ALTERED),
            (Category.EDITORIAL, Verdict.EDITORIAL),
            (Category.COSMETIC, Verdict.COSMETIC),
        ):
            if category in categories:
                return verdict
        return Verdict.EXACT
    if score >= config.paraphrase_min_score and kept >= config.paraphrase_min_content_words:
        return Verdict.PARAPHRASE
    return Verdict.UNSOURCED


def _content_words(alignment: Alignment, tokens: Sequence[Token], styled: Sequence[tuple[int, int]] = ()) -> tuple[int, int]:
    """The quotation's content words (not stop words), and how many of them the passage has (`styled`: spans that count as kept)."""
    content = {j for j, t in enumerate(tokens) if t.kind is TokenKind.WORD and t.key not in STOP_WORDS}
    kept = {
        j for op in alignment.opcodes if op.tag == "equal" or is_compound(op, tokens, alignment.source.tokens) for j in range(op.j1, op.j2)
    }
    kept |= {j for j, t in enumerate(tokens) if any(a <= t.start and t.end <= b for a, b in styled)}
    kept |= {j for _, j in moved_words(alignment.opcodes, tokens, alignment.source.tokens)}
    return len(content), len(content & kept)


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
