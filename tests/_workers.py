"""Worker functions for the fault tests: importable by a fresh worker process, each failing as a real worker can."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from quotecheck.checking import batch as qcheck  # the batch module: the pool, its workers and the article check they call
from quotecheck.judging.results import ArticleCheck


def killed_once(batch: list[Any]) -> list[ArticleCheck]:
    """Killed with SIGKILL (as by the OOM killer) the first time it meets an article named `*kill*`; then it works."""
    for path, _text, _error in batch:
        marker = Path(path).with_suffix(".killed")
        if "kill" in Path(path).name and not marker.exists():
            marker.write_text("")
            os.kill(os.getpid(), signal.SIGKILL)
    return qcheck._check_in_worker(batch)


def killed_always(batch: list[Any]) -> list[ArticleCheck]:
    """Killed with SIGKILL whenever it meets an article named `*kill*`."""
    if any("kill" in Path(path).name for path, _text, _error in batch):
        os.kill(os.getpid(), signal.SIGKILL)
    return qcheck._check_in_worker(batch)


def out_of_memory(batch: list[Any]) -> list[ArticleCheck]:
    """Raises MemoryError outside any one article's check (as when a result is too big to send back)."""
    if any("memory" in Path(path).name for path, _text, _error in batch):
        raise MemoryError
    return qcheck._check_in_worker(batch)


def exhausted_on_b(batch: list[Any]) -> list[ArticleCheck]:
    """Runs out of memory checking any article named `b*.txt`, as a real article can (MemoryError inside the check)."""
    real = qcheck._check_article

    def exhausted(text: str, registry: Any, config: Any, path: str | None) -> ArticleCheck:
        if path is not None and Path(path).name.startswith("b"):
            raise MemoryError
        return real(text, registry, config, path)  # type: ignore[no-any-return]

    qcheck._check_article = exhausted
    try:
        return qcheck._check_in_worker(batch)  # type: ignore[no-any-return]
    finally:
        qcheck._check_article = real
