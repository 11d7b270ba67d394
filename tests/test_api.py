"""The public surface: exactly what `__all__` names, sorted."""

from __future__ import annotations

import types

import attrs

import quotecheck


def test_all_is_sorted_and_complete() -> None:
    """`__all__` is sorted (constants, classes, functions) and names every public non-module attribute."""

    def order(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert quotecheck.__all__ == sorted(quotecheck.__all__, key=order)
    public = {name for name, value in vars(quotecheck).items() if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert set(quotecheck.__all__) == public


def test_results_are_frozen() -> None:
    """Results are frozen attrs classes: changing a value means attrs.evolve."""
    quote = quotecheck.verify("a national dialogue")
    assert attrs.has(type(quote))
    try:
        quote.verdict = quotecheck.Verdict.ALTERED  # type: ignore[misc]
    except attrs.exceptions.FrozenInstanceError:
        pass
    else:
        raise AssertionError("QuoteCheck is mutable")


def test_errors_share_one_root_and_their_builtins() -> None:
    """Every quotecheck error is a QuotecheckError and the builtin it is."""
    assert issubclass(quotecheck.InvalidArgument, quotecheck.QuotecheckError)
    assert issubclass(quotecheck.InvalidArgument, ValueError)
    assert issubclass(quotecheck.SourceNotFound, LookupError)
    assert issubclass(quotecheck.InputError, OSError)
