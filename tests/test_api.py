"""The public surface: exactly what `__all__` names, sorted."""

from __future__ import annotations

import types

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def test_verdicts_are_their_strings() -> None:
    """A verdict equals, hashes and formats as its string, so JSON and dictionaries keyed by strings agree."""
    for verdict in quotecheck.Verdict:
        assert verdict == verdict.value
        assert {verdict.value: 1}[verdict] == 1
        assert f"{verdict}" == verdict.value
    assert quotecheck.Verdict.ALTERED == "altered"


def test_every_enumeration_of_the_public_surface_is_a_str_enum() -> None:
    """Flags, kinds and categories compare and serialise as their strings, like verdicts."""
    import enum

    enums = [value for value in vars(quotecheck).values() if isinstance(value, type) and issubclass(value, enum.Enum)]
    assert {e.__name__ for e in enums} >= {"Verdict", "Flag", "Category", "VariantKind", "QuoteKind"}
    assert [e.__name__ for e in enums if not issubclass(e, enum.StrEnum)] == []


@given(st.sampled_from(list(quotecheck.Verdict)), st.sampled_from(list(quotecheck.Verdict)))
def test_verdicts_are_ordered_best_to_worst(a: quotecheck.Verdict, b: quotecheck.Verdict) -> None:
    """Verdicts compare by their place in the README's best-to-worst list, with verdicts or their strings."""
    order = ["exact", "cosmetic", "editorial", "altered", "paraphrase", "unsourced"]
    ia, ib = order.index(a.value), order.index(b.value)
    assert (a < b, a <= b, a > b, a >= b) == (ia < ib, ia <= ib, ia > ib, ia >= ib)
    assert (a < b.value, a.value < b, a >= b.value, a.value >= b) == (ia < ib, ia < ib, ia >= ib, ia >= ib)
    assert (a == b) == (ia == ib)


def test_a_verdict_never_compares_alphabetically_with_another_string() -> None:
    """Comparing with a string that names no verdict is an error, not an alphabetical answer."""
    with pytest.raises(ValueError, match="zebra"):
        _ = quotecheck.Verdict.EXACT < "zebra"
    with pytest.raises(TypeError):
        _ = quotecheck.Verdict.EXACT < 3  # type: ignore[operator]
