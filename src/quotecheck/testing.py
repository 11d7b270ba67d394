"""Test helpers for projects that quote: `assert_faithful`, usable under any test runner.

`from quotecheck.testing import assert_faithful` needs neither pytest nor
Hypothesis; the pytest plugin (`quotecheck.pytest_plugin`) re-exports it
beside its `quote_registry` fixture.
"""

from __future__ import annotations

from collections.abc import Iterable

from quotecheck.checking.article import verify
from quotecheck.errors import InvalidArgument
from quotecheck.judging.results import QuoteCheck, Verdict
from quotecheck.matching.classify import Category
from quotecheck.rendering._diff import paragraph_sign, word_diff
from quotecheck.sources.registry import Registry

__all__ = ["FAITHFUL", "assert_faithful"]

FAITHFUL = ("exact", "cosmetic", "editorial")
"""The verdicts `assert_faithful` passes by default."""


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
