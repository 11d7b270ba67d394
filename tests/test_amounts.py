"""Amounts in other styles: "£4.2m" for "4.2 million pounds" is cosmetic; another amount or unit is a changed number."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from quotecheck import Flag, Registry, Source, Verdict, verify
from quotecheck.matching._amounts import compare_amounts
from quotecheck.matching.classify import Category, VariantKind

_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_SYMBOL = {"GBP": "£", "USD": "$", "EUR": "€"}
_WORD = {"GBP": "pounds", "USD": "dollars", "EUR": "euros"}
_SCALE_WORD = {1: "", 10**3: "thousand", 10**6: "million", 10**9: "billion"}
_SCALE_SHORT = {1: "", 10**3: "k", 10**6: "m", 10**9: "bn"}


@st.composite
def amounts(draw: st.DrawFn) -> tuple[Decimal, str, int]:
    """A value (whole or with one decimal), a unit ('' for none) and a scale."""
    whole = draw(st.integers(1, 999))
    tenth = draw(st.integers(0, 9))
    unit = draw(st.sampled_from(["", "%", "GBP", "USD", "EUR"]))
    scale = 1 if unit == "%" else draw(st.sampled_from(list(_SCALE_WORD)))
    return Decimal(f"{whole}.{tenth}") if tenth else Decimal(whole), unit, scale


def _number(value: Decimal, *, words: bool) -> str:
    if words and value == value.to_integral() and int(value) < len(_WORDS):
        return _WORDS[int(value)]
    return f"{value:,}" if value == value.to_integral() else str(value)


def written(amount: tuple[Decimal, str, int], style: int) -> str:
    """One amount in one of several news styles."""
    value, unit, scale = amount
    if unit == "%":
        return [f"{_number(value, words=False)}%", f"{_number(value, words=True)} percent", f"{_number(value, words=False)} per cent"][
            style % 3
        ]
    if style % 3 == 0:  # 4.2 million pounds
        text = " ".join(p for p in (_number(value, words=True), _SCALE_WORD[scale], _WORD.get(unit, "")) if p)
    elif style % 3 == 1 and (unit or scale >= 10**9):  # £4.2m, 3bn ("5m" alone could be five metres)
        text = f"{_SYMBOL.get(unit, '')}{_number(value, words=False)}{_SCALE_SHORT[scale]}"
    else:  # £4,200,000 (all digits, no scale word), and "5m" without a currency
        full = value * scale
        text = f"{_SYMBOL.get(unit, '')}{_number(full.normalize() if full != full.to_integral() else full.to_integral(), words=False)}"
    return text


@given(amounts(), st.integers(0, 2), st.integers(0, 2))
def test_one_amount_in_any_two_styles_is_the_same(amount: tuple[Decimal, str, int], a: int, b: int) -> None:
    """Whatever the style, an amount reads as itself."""
    first, second = written(amount, a), written(amount, b)
    found = compare_amounts(f"it is {first} now", (6, 6 + len(first)), f"it is {second} now", (6, 6 + len(second)))
    assert found is not None
    assert found[0], (first, second)


@given(amounts(), amounts(), st.integers(0, 2), st.integers(0, 2))
def test_another_amount_or_unit_is_not_the_same(x: tuple[Decimal, str, int], y: tuple[Decimal, str, int], a: int, b: int) -> None:
    """A different value or unit never reads as the same amount."""
    assume(x[0] * x[2] != y[0] * y[2] or x[1] != y[1])
    first, second = written(x, a), written(y, b)
    found = compare_amounts(f"it is {first} now", (6, 6 + len(first)), f"it is {second} now", (6, 6 + len(second)))
    assert found is None or not found[0], (first, second)


_SENTENCE = "The council said that savings of {amount} were found without closing a single library this year."


@given(amounts(), st.integers(0, 2), st.integers(0, 2))
def test_a_restyled_amount_in_a_quotation_is_cosmetic(amount: tuple[Decimal, str, int], a: int, b: int) -> None:
    """A quotation that writes the source's amount in another style is at worst cosmetic, never number_changed."""
    source = Source(id="s", text=_SENTENCE.format(amount=written(amount, a)) + "\n", speaker="A Speaker")
    quote = _SENTENCE.format(amount=written(amount, b))
    result = verify(quote, registry=Registry.from_sources([source]))
    assert result.verdict in (Verdict.EXACT, Verdict.COSMETIC), [v.why for v in result.variants]
    assert Flag.NUMBER_CHANGED not in result.flags


@given(amounts(), st.integers(1, 9), st.integers(0, 2))
def test_a_changed_amount_in_a_quotation_flags_a_changed_number(amount: tuple[Decimal, str, int], bump: int, style: int) -> None:
    """Printing another value, in the same style, flags number_changed."""
    value, unit, scale = amount
    other = (value + bump, unit, scale)
    source = Source(id="s", text=_SENTENCE.format(amount=written(amount, style)) + "\n", speaker="A Speaker")
    quote = _SENTENCE.format(amount=written(other, style))
    result = verify(quote, registry=Registry.from_sources([source]))
    assert result.verdict is Verdict.ALTERED, [v.why for v in result.variants]
    assert Flag.NUMBER_CHANGED in result.flags


def test_a_changed_currency_is_a_changed_number() -> None:
    """ "£3bn" for "$3 billion" keeps the number but changes the amount."""
    source = Source(id="s", text=_SENTENCE.format(amount="$3 billion") + "\n", speaker="A Speaker")
    result = verify(_SENTENCE.format(amount="3 billion pounds"), registry=Registry.from_sources([source]))
    assert Flag.NUMBER_CHANGED in result.flags
    assert any("\u201c3 billion pounds\u201d for \u201c$3 billion\u201d" in v.why for v in result.variants)


def test_number_style_is_a_cosmetic_variant_naming_both_amounts() -> None:
    source = Source(id="s", text=_SENTENCE.format(amount="4.2 million pounds") + "\n", speaker="A Speaker")
    result = verify(_SENTENCE.format(amount="£4.2m"), registry=Registry.from_sources([source]))
    [style] = [v for v in result.variants if v.kind is VariantKind.NUMBER_STYLE]
    assert style.category is Category.COSMETIC
    assert "\u201c£4.2m\u201d for \u201c4.2 million pounds\u201d" in style.why


def test_a_quotation_dense_with_restyled_amounts_is_not_a_paraphrase() -> None:
    """Restyled amounts count as the source's words when the verdict weighs how much was reworded."""
    source = Source(id="s", text="It cost about 1,500,000 euros, or $3 billion in all, over ten years.\n", speaker="A Speaker")
    result = verify("about 1.5 million euros, or $3bn in all", registry=Registry.from_sources([source]))
    assert result.verdict is Verdict.COSMETIC, [v.why for v in result.variants]
    assert sum(v.kind is VariantKind.NUMBER_STYLE for v in result.variants) == 2


def test_a_unit_of_measure_is_not_read_as_millions() -> None:
    """ "5m" for "5 metres" is a changed word, but no amount changes: "m" means million only beside a currency sign."""
    source = Source(id="s", text="The council will build a flood wall 5 metres high along the whole river front.\n", speaker="A Speaker")
    result = verify("The council will build a flood wall 5m high along the whole river front.", registry=Registry.from_sources([source]))
    assert Flag.NUMBER_CHANGED not in result.flags, [v.why for v in result.variants]
    assert result.verdict is Verdict.ALTERED
