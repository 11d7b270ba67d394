"""Reviewed findings: a file of quotations a person has accepted, so a re-run does not fail on them again.

The linters' baseline (`# noqa`, `--add-noqa`, a baseline file) for
quotations: `quotecheck check --accept` writes each failing quotation to
`quotecheck-reviewed.toml`, keyed by the SHA-256 of the article's text, the
quotation's span in it, the SHA-256 of its source's text (of the whole
registry for an unsourced quotation) and its verdict. While all four hold, the
finding is accepted: reported as such and not failing. Once the article, the
source or the verdict changes, the key no longer matches and the finding fails
again, as a fresh one should.

    [[accepted]]
    article = "articles/a.txt"           # where it was accepted (shown, not matched)
    article_sha256 = "9c1f..."
    start = 420
    end = 765
    verdict = "altered"
    source = "krishna-2020-06-08"        # absent when unsourced
    source_sha256 = "1f2e..."
    note = "the outlet ran a correction" # optional, for people
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import attrs

from quotecheck._escape import dumps
from quotecheck.errors import ConfigFileError
from quotecheck.judging.results import QuoteCheck, Report, Verdict
from quotecheck.sources.registry import Registry

__all__ = ["REVIEW_FILE", "Accepted", "accepted_keys", "findings_to_accept", "read_reviewed", "write_reviewed"]

REVIEW_FILE = "quotecheck-reviewed.toml"
"""The review file's name, looked for in the working directory."""

_KEYS = {"article", "article_sha256", "start", "end", "verdict", "source", "source_sha256", "note"}


@attrs.frozen
class Accepted:
    """One accepted finding of the review file.

    Attributes:
        article: the article's path when it was accepted (shown, not matched).
        article_sha256: the SHA-256 of the article's text, as read.
        start: the quotation's start in the article's text.
        end: its end.
        verdict: the verdict accepted.
        source: the passage's source id, or None when unsourced.
        source_sha256: the SHA-256 of that source's text, or the registry's hash when unsourced.
        note: why it was accepted, for people.
    """

    article: str
    article_sha256: str
    start: int
    end: int
    verdict: Verdict
    source: str | None
    source_sha256: str
    note: str = ""

    @property
    def key(self) -> tuple[str, int, int, str, str | None, str]:
        """What must still hold for the finding to stay accepted."""
        return (self.article_sha256, self.start, self.end, self.verdict.value, self.source, self.source_sha256)


def text_sha256(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes (surrogates from undecodable file names kept), as hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _entry(quote: QuoteCheck, *, article: str, text: str, registry: Registry) -> Accepted:
    src = quote.source
    source_hash = registry[src.id].hash if src is not None and src.id in registry else registry.hash
    return Accepted(article, text_sha256(text), quote.start, quote.end, quote.verdict, src.id if src else None, source_hash)


def findings_to_accept(
    report: Report, *, texts: Mapping[str, str], registry: Registry, fail_on: Collection[Verdict]
) -> list[Accepted]:
    """An entry for each quotation whose verdict is in `fail_on`, in articles whose text is in `texts` (by path)."""
    return [
        _entry(quote, article=article.path, text=texts[article.path], registry=registry)
        for article in report.articles
        if article.path is not None and article.path in texts
        for quote in article.quotes
        if quote.verdict in fail_on
    ]


def accepted_keys(
    report: Report, *, texts: Mapping[str, str], registry: Registry, reviewed: Iterable[Accepted]
) -> set[tuple[str | None, int, int]]:
    """The quotations of `report` that `reviewed` accepts, as `(article path, start, end)`."""
    keys = {entry.key for entry in reviewed}
    found: set[tuple[str | None, int, int]] = set()
    for article in report.articles:
        if article.path is None or article.path not in texts:
            continue
        for quote in article.quotes:
            if _entry(quote, article=article.path, text=texts[article.path], registry=registry).key in keys:
                found.add((article.path, quote.start, quote.end))
    return found


def read_reviewed(path: str | os.PathLike[str]) -> list[Accepted]:
    """The accepted findings of a review file; none when it does not exist.

    Raises:
        ConfigFileError: the file is not TOML, or an entry has an unknown key or a missing or wrong value.
    """
    where = str(path)
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigFileError(where, f"cannot be read as TOML: {exc}") from None
    entries = document.get("accepted", [])
    if set(document) - {"accepted"} or not isinstance(entries, list):
        raise ConfigFileError(where, "holds only [[accepted]] tables, one per accepted finding")
    out = []
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or set(entry) - _KEYS:
            extra = sorted(set(entry) - _KEYS) if isinstance(entry, dict) else entry
            raise ConfigFileError(where, f"[[accepted]] number {n} has unknown keys {extra}; the keys are {', '.join(sorted(_KEYS))}")
        try:
            out.append(
                Accepted(
                    article=_typed(entry, "article", str),
                    article_sha256=_typed(entry, "article_sha256", str),
                    start=_typed(entry, "start", int),
                    end=_typed(entry, "end", int),
                    verdict=Verdict(_typed(entry, "verdict", str)),
                    source=_typed(entry, "source", str) if "source" in entry else None,
                    source_sha256=_typed(entry, "source_sha256", str),
                    note=_typed(entry, "note", str) if "note" in entry else "",
                )
            )
        except ValueError as exc:
            raise ConfigFileError(where, f"[[accepted]] number {n}: {exc}") from None
    return out


_T = TypeVar("_T")


def _typed(entry: Mapping[str, object], key: str, kind: type[_T]) -> _T:
    value = entry.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ValueError(f"{key} = {value!r} must be {'an integer' if kind is int else 'a string'}")
    return value


def write_reviewed(path: str | os.PathLike[str], entries: Iterable[Accepted]) -> int:
    """Writes the entries (those already in the file kept, none twice) and returns how many are new.

    Raises:
        ConfigFileError: the existing file is malformed (it is left as it is).
    """
    existing = read_reviewed(path)
    seen = {entry.key for entry in existing}
    added = []
    for entry in entries:
        if entry.key not in seen:
            seen.add(entry.key)
            added.append(entry)
    lines = [
        "# Findings a person reviewed and accepted (quotecheck check --accept). Each stays accepted while the article's",
        "# text, the quotation's span, its source's text and its verdict are unchanged. Add a `note` to say why.",
    ]
    for entry in (*existing, *added):
        lines.append("")
        lines.append("[[accepted]]")
        for key in ("article", "article_sha256", "start", "end", "verdict", "source", "source_sha256", "note"):
            value = getattr(entry, key)
            if value is None or (key == "note" and not value):
                continue
            # JSON strings and integers are TOML basic strings and integers; `dumps` escapes DEL, which TOML refuses
            # raw, and writes a lone surrogate (a file name that is not UTF-8) as the text `\udcff`.
            lines.append(f"{key} = {dumps(value.value if isinstance(value, Verdict) else value)}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(added)
