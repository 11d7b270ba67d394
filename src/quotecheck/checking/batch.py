"""Checking many articles: files, directories, standard input, and worker processes.

Each article is checked as `check` checks one (`checking.article`); here are
the reading of files and standard input, the expansion of directories, and
the pool of worker processes that `--jobs` runs, with what happens when a
worker runs out of memory or dies.
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from quotecheck.checking.article import _check_article
from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.errors import InputError, InvalidArgument
from quotecheck.judging.results import ArticleCheck, Report
from quotecheck.reading._io import decode, describe_directory, display_path, read_text
from quotecheck.sources.registry import Registry, builtin_registry

__all__ = ["ARTICLE_SUFFIXES", "Progress", "check_files", "check_path", "check_stream", "iter_article_paths"]


ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")


Progress = Callable[[int, int, ArticleCheck], object]
"""A progress callback: called as `progress(done, total, article)` after each article, in order."""


def check_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    registry: Registry | str | os.PathLike[str] | None = None,
    config: Config = DEFAULT_CONFIG,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Report:
    """Checks every article file; a directory stands for its `.txt`, `.md` and `.html` files.

    A file that cannot be read gets its message in `error`; the others are
    still checked.

    Args:
        paths: article files and directories.
        registry: the sources, or the path of a registry directory; the
            built-in Krishna registry by default.
        config: thresholds.
        jobs: worker processes, as for `check_stream`; the report is the same
            for any number.
        progress: called after each article as `progress(done, total,
            article)`, `done` counting from 1 to `total` (for a notebook bar:
            `progress=lambda done, total, article: bar.update()`).

    Raises:
        InvalidArgument: `jobs` is less than 1, or `progress` is not callable.
    """
    if progress is not None and not callable(progress):
        raise InvalidArgument(f"progress={progress!r} must be a callable taking (done, total, article), or None")
    expanded = list(iter_article_paths(paths))
    results = []
    for done, article in enumerate(check_stream(expanded, registry=registry, config=config, jobs=jobs), 1):
        results.append(article)
        if progress is not None:
            progress(done, len(expanded), article)
    return Report(tuple(results))


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
        context.set_forkserver_preload(["quotecheck.checking.batch"])
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
