"""Checking: the verdict on each quotation, and the report on articles.

Verdicts, from best to worst (see the README for the full definitions):
`exact`, `cosmetic`, `editorial`, `altered`, `paraphrase`, `unsourced`.
"""

from __future__ import annotations

import collections
import concurrent.futures
import enum
import itertools
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from quotecheck._escape import refuse_surrogates
from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.errors import InputError, InvalidArgument, MissingExtra
from quotecheck.judging.findings import Finding, Flag, match_findings, quote_findings, unsourced_findings
from quotecheck.matching.align import Alignment, align, is_compound, moved_words, read_pieces
from quotecheck.matching.classify import Category, Variant, VariantKind, classify, classify_reading
from quotecheck.matching.reuse import find_reuse
from quotecheck.reading._io import decode, describe_directory, display_path, read_text
from quotecheck.reading.attribute import attribute
from quotecheck.reading.extract import Quote, QuoteKind, extract
from quotecheck.reading.markup import looks_like_html, read_html
from quotecheck.sources.registry import Registry, builtin_registry
from quotecheck.text.normalize import STOP_WORDS, Token, TokenKind, repair, tokenize_segments

if TYPE_CHECKING:
    from quotecheck.rendering._diff import WordDiff

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
            `(source id, start, end)`: the first 20 (`align.MAX_OTHERS`).
        others_count: how many other passages it fits equally well in all.
        page: the 1-based PDF page the passage starts on, for a PDF source.
        time: for a transcript, when the cue the passage starts in begins, in seconds.
        end_time: for a transcript, when the cue it ends in ends, in seconds.
        link: an address that opens the source at the passage (see `Source.link`), or None without a URL.
    """

    id: str
    speaker: str | None
    paragraph: int | None
    start: int
    end: int
    text: str
    url: str | None = None
    others: tuple[tuple[str, int, int], ...] = ()
    others_count: int = 0
    page: int | None = None
    time: float | None = None
    end_time: float | None = None
    link: str | None = None


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
            "source_page": src.page if src else None,
            "source_time": src.time if src else None,
            "source_link": src.link if src else None,
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
                "others_count": self.source.others_count,
                "page": self.source.page,
                "time": self.source.time,
                "end_time": self.source.end_time,
                "link": self.source.link,
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
        from quotecheck.rendering._diff import word_diff  # noqa: PLC0415 (the diff module draws on this one)

        return word_diff(self)

    def _repr_html_(self) -> str:
        from quotecheck.rendering.report import quote_html  # noqa: PLC0415 (report draws on this module)

        return quote_html(self)

    def _repr_markdown_(self) -> str:
        from quotecheck.rendering.report import quote_markdown  # noqa: PLC0415 (report draws on this module)

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
        `source_text`, `source_url`, `source_page`, `source_time`, `source_link`,
        `misattributed`, `changes` (variants other
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
        from quotecheck.rendering.report import report_html  # noqa: PLC0415 (report draws on this module)

        return report_html(self)

    def _repr_markdown_(self) -> str:
        from quotecheck.rendering.report import render_markdown  # noqa: PLC0415 (report draws on this module)

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
            pickled) and the results still come in the order of `paths`,
            equal to those of one job. Workers are started fresh
            (forkserver, else spawn) and end when this process does; an
            article whose worker dies is checked again alone, and gets an
            `error` if that worker dies too.

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
_PARENT_POLL = 0.5  # seconds between a worker's checks that the process that started it is still there


def _start_worker(registry: Registry | str | os.PathLike[str] | None, config: Config, parent: int) -> None:
    global _WORKER
    _WORKER = (_load_registry(registry, config), config)
    threading.Thread(target=_watch_parent, args=(parent, os.getppid()), name="quotecheck-parent-watch", daemon=True).start()


def _watch_parent(parent: int, ppid: int) -> None:
    """Ends this worker once the process that runs the batch is gone (killed, or ended without cleaning up).

    A worker's parent is the batch's process (spawn) or the fork server,
    which exits when the batch's process does: either way the parent process
    id changes. The batch's own id is checked too, for systems that reparent
    late.
    """
    while True:
        time.sleep(_PARENT_POLL)
        if os.getppid() != ppid or not _alive(parent):
            os._exit(_ORPHANED)


_ORPHANED = 75  # EX_TEMPFAIL: the worker's work is lost, not wrong


def _alive(pid: int) -> bool:
    if os.name != "posix":  # on Windows os.kill(pid, 0) would terminate it; getppid() is the check there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, someone else's (cannot happen for a parent, but is not death)
        return True
    return True


# A worker's task: the path; the text the batch's process read for it (standard input), or the error reading it.
_Task = tuple[str, str | None, str | None]


def _check_in_worker(batch: list[_Task]) -> list[ArticleCheck]:
    assert _WORKER is not None
    registry, config = _WORKER
    return [_check_task(task, registry, config) for task in batch]


def _check_task(task: _Task, registry: Registry, config: Config) -> ArticleCheck:
    path, text, error = task
    if error is not None:
        return ArticleCheck(path, (), error)
    if text is None:
        return check_path(path, registry=registry, config=config)
    return _guarded(path, lambda: _check_article(text, registry, config, path))


def _context() -> multiprocessing.context.BaseContext:
    """Workers are started fresh (forkserver, else spawn), never forked from a parent holding threads and pipes.

    A forked worker inherits the parent's end of every pipe, so it never sees
    the parent die; and fork is deprecated with threads (Python 3.12+).
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["quotecheck.check"])
        return context
    return multiprocessing.get_context("spawn")


def _check_parallel(
    paths: Iterable[str],
    registry: Registry | str | os.PathLike[str] | None,
    config: Config,
    jobs: int,
    worker: Callable[[list[_Task]], list[ArticleCheck]] = _check_in_worker,
) -> Iterator[ArticleCheck]:
    """`check_stream` over `jobs` processes: a bounded queue of futures, yielded in submission order.

    When a worker dies (killed, out of memory) the pool breaks and every
    task in flight is lost; each of their articles is then checked again,
    alone, in a fresh worker, and an article that kills that one too gets an
    `error` of its own. The batch goes on with a fresh pool.
    """
    if isinstance(registry, Registry) and registry is builtin_registry():
        registry = None
    elif registry is not None and not isinstance(registry, Registry):
        registry = os.fspath(registry)
    context = _context()

    def pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(registry, config, os.getpid())
        )

    tasks = _tasks(paths, config)
    executor = pool(jobs)
    pending: collections.deque[tuple[list[_Task], concurrent.futures.Future[list[ArticleCheck]]]] = collections.deque()
    try:
        while True:
            for batch in itertools.islice(tasks, 2 * jobs - len(pending)):
                pending.append((batch, executor.submit(worker, batch)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                results = future.result()
            except (concurrent.futures.process.BrokenProcessPool, MemoryError):
                lost = [*batch, *(task for b, _f in pending for task in b)]
                pending.clear()
                executor.shutdown(wait=True, cancel_futures=True)
                yield from _retry_alone(lost, pool, worker)
                executor = pool(jobs)
                continue
            yield from results
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _retry_alone(
    tasks: list[_Task],
    pool: Callable[[int], concurrent.futures.ProcessPoolExecutor],
    worker: Callable[[list[_Task]], list[ArticleCheck]],
) -> Iterator[ArticleCheck]:
    """Each task again, alone in a one-worker pool; a task that breaks it too gets an `error` naming its article."""
    executor = pool(1)
    try:
        for task in tasks:
            try:
                yield from executor.submit(worker, [task]).result()
            except MemoryError:  # as with one job
                executor.shutdown(wait=True, cancel_futures=True)
                yield _out_of_memory(task[0])
                executor = pool(1)
            except concurrent.futures.process.BrokenProcessPool:
                executor.shutdown(wait=True, cancel_futures=True)
                message = f"{display_path(task[0])}: the worker process checking it died (killed, or out of memory), twice; not checked"
                yield ArticleCheck(task[0], (), message)
                executor = pool(1)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _tasks(paths: Iterable[str], config: Config) -> Iterator[list[_Task]]:
    """Paths in batches of `_BATCH`; standard input is read here, by the batch's process, exactly as `check_path` reads it."""
    batch: list[_Task] = []
    for path in paths:
        if str(path) == "-":
            try:
                batch.append(("-", _read_stdin(config.max_article_chars), None))
            except InputError as exc:
                batch.append(("-", None, str(exc)))
        else:
            batch.append((str(path), None, None))
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def check_path(path: str, *, registry: Registry, config: Config = DEFAULT_CONFIG) -> ArticleCheck:
    """Reads and checks one article file (`-` for standard input); read errors go in `error`.

    Running out of memory on one article is that article's `error` too.
    """
    try:
        if path == "-":
            text = _read_stdin(config.max_article_chars)
        elif os.path.isdir(path):  # only when it holds no article, or cannot be listed
            raise InputError(describe_directory(path))
        else:
            text = read_text(path, max_chars=config.max_article_chars)
    except InputError as exc:
        return ArticleCheck(str(path), (), str(exc))
    return _guarded(str(path), lambda: _check_article(text, registry, config, str(path)))


def _guarded(path: str, run: Callable[[], ArticleCheck]) -> ArticleCheck:
    """The check of one article, with running out of memory on it as its `error` (the batch goes on).

    In a worker the MemoryError goes to the batch's process instead, which
    checks the article again in a fresh worker (`_retry_alone`) and gives the
    same `error` if that runs out of memory too.
    """
    try:
        return run()
    except MemoryError:
        if _WORKER is not None:
            raise
        return _out_of_memory(path)


def _out_of_memory(path: str) -> ArticleCheck:
    return ArticleCheck(path, (), f"{display_path(path)}: ran out of memory while checking it; not checked")


def _read_stdin(max_chars: int = DEFAULT_CONFIG.max_article_chars) -> str:
    """Standard input, decoded as a file is (`decode`), and refused past the bytes `max_chars` characters can take."""
    limit = 4 * max_chars + 4
    buffer = getattr(sys.stdin, "buffer", None)
    # A text stream without a buffer replaces stdin in tests.
    data = sys.stdin.read(limit + 1).encode("utf-8", "surrogateescape") if buffer is None else buffer.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"<stdin>: more than {limit:,} bytes, more than max_article_chars={max_chars:,} characters can take")
    return decode(data, name="<stdin>")


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
        reading = read_pieces(tokens, alignment, registry, config=config) if _substantive(variants) else None
        if reading is not None:
            variants = classify_reading(reading, tokens, text, quote_end=quote.end)
            score = reading.score
            pieces = tuple((p.alignment, tokens[p.lo : p.hi]) for p in reading.pieces)
            alignment = attrs.evolve(pieces[0][0], score=score)
        verdict, phrase = _verdict(pieces, score, variants, config)
        if phrase is not None:
            findings.append(_shared_phrase(text, phrase))
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


def _shared_phrase(text: str, phrase: _Phrase) -> Finding:
    source = phrase.alignment.source
    paragraph = source.paragraph_at(phrase.source[0])
    where = f"{source.id} \u00b6{paragraph.number}" if paragraph else source.id
    printed = text[phrase.quote[0] : phrase.quote[1]]
    why = (
        f"shares only the phrase \u201c{printed}\u201d with {where} "
        f"(\u201c{source.text[phrase.source[0] : phrase.source[1]]}\u201d); its other words are not in the source"
    )
    return Finding(Flag.SHARED_PHRASE, why, phrase.quote, phrase.source)


def _substantive(variants: Sequence[Variant]) -> bool:
    return any(v.category is Category.SUBSTANTIVE for v in variants)


@attrs.frozen
class _Phrase:
    """The longest run of a quotation's words that its passage keeps, in article and source offsets."""

    alignment: Alignment
    quote: tuple[int, int]
    source: tuple[int, int]


def _verdict(
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
    """A paraphrase, unless the content words it keeps lie mostly in one shared phrase (see `_verdict`)."""
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
    kept = {
        j for op in alignment.opcodes if op.tag == "equal" or is_compound(op, tokens, alignment.source.tokens) for j in range(op.j1, op.j2)
    }
    kept |= {j for j, t in enumerate(tokens) if any(a <= t.start and t.end <= b for a, b in styled)}
    kept |= {j for _, j in moved_words(alignment.opcodes, tokens, alignment.source.tokens)}
    return content, kept


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
