"""The pytest plugin: a `quote_registry` fixture and `assert_faithful`.

Installed with the `testing` extra and registered through the `pytest11`
entry point, so it is active in any test run where quotecheck is installed.

- `quote_registry`: the registry to check quotations against. The built-in
  registry by default; a directory of source files when the ini option
  `quotecheck_registry` names one (relative to the rootdir), or when the test
  is marked `@pytest.mark.quote_registry("path/to/sources")` (the marker wins).
- `assert_faithful(quote, registry=None, *, allow=("exact", "cosmetic", "editorial"))`:
  fails with the word diff and every difference's reason unless the
  quotation's verdict is one of `allow`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import pytest

from quotecheck.checking.article import verify
from quotecheck.errors import InvalidArgument
from quotecheck.judging.results import QuoteCheck, Verdict
from quotecheck.matching.classify import Category
from quotecheck.rendering._diff import paragraph_sign, word_diff
from quotecheck.sources.registry import Registry, builtin_registry

__all__ = ["assert_faithful", "quote_registry"]

FAITHFUL = ("exact", "cosmetic", "editorial")
_INI = "quotecheck_registry"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Adds the `quotecheck_registry` ini option."""
    parser.addini(_INI, "directory of source files for the quote_registry fixture (default: quotecheck's built-in registry)", default="")


def pytest_configure(config: pytest.Config) -> None:
    """Declares the `quote_registry` marker (so --strict-markers accepts it)."""
    config.addinivalue_line("markers", "quote_registry(path): the directory of source files the quote_registry fixture loads")


@functools.lru_cache(maxsize=16)
def _load(path: Path) -> Registry:
    return Registry.from_path(path)


@pytest.fixture
def quote_registry(request: pytest.FixtureRequest) -> Registry:
    """The registry to check quotations against: the marker's, the ini option's, or the built-in one."""
    marker = request.node.get_closest_marker("quote_registry")
    configured = str(request.config.getini(_INI) or "")
    if marker is not None:
        if len(marker.args) != 1 or not isinstance(marker.args[0], str | Path):
            raise InvalidArgument(f"@pytest.mark.quote_registry takes one path, got args={marker.args!r}")
        configured = str(marker.args[0])
    if not configured:
        return builtin_registry()
    path = Path(configured)
    if not path.is_absolute():
        path = request.config.rootpath / path
    return _load(path.resolve())


def _explain(result: QuoteCheck, allowed: Iterable[str]) -> str:
    lines = [f"quotation is {result.verdict.value}; allowed: {', '.join(allowed)}"]
    lines.append(f"  printed: {result.text}")
    src = result.source
    if src is None:
        lines.append("  source:  no passage of the registry matches")
    else:
        lines.append(f"  source:  {src.id}{paragraph_sign(src)} {src.start}-{src.end} (score {result.score:.2f}): {src.text}")
        lines.append(f"  diff:    {word_diff(result)}")
    if result.flags:
        lines.append(f"  flags:   {', '.join(f.value for f in result.flags)}")
    lines.extend(f"  - {v.category.value}/{v.kind.value}: {v.why}" for v in result.variants if v.category is not Category.TYPOGRAPHY)
    return "\n".join(lines)


def assert_faithful(
    quote: str,
    registry: Registry | None = None,
    *,
    allow: Iterable[str | Verdict] = FAITHFUL,
    speaker: str | None = None,
) -> QuoteCheck:
    """Asserts that a quotation is faithful to its source, and returns the check.

    Args:
        quote: the quotation, without quotation marks.
        registry: the sources (the built-in registry by default; pass the
            `quote_registry` fixture to use the configured one).
        allow: the verdicts that pass.
        speaker: who the quotation is attributed to, if anyone.

    Raises:
        AssertionError: the verdict is not in `allow`; the message shows the
            word diff ([-source-]{+printed+}) and every difference's reason.
        InvalidArgument: `allow` names something that is not a verdict.
    """
    __tracebackhide__ = True
    names = []
    for verdict in allow:
        value = verdict.value if isinstance(verdict, Verdict) else verdict
        if value not in {v.value for v in Verdict}:
            raise InvalidArgument(
                f"allow={tuple(allow)!r} holds {value!r}, which is not a verdict; expected some of {[v.value for v in Verdict]}"
            )
        names.append(value)
    result = verify(quote, registry=registry, speaker=speaker)
    if result.verdict.value not in names:
        raise AssertionError(_explain(result, names))
    return result
