"""Amounts written in different styles: "£4.2m" and "4.2 million pounds", "10%" and "ten per cent".

News style rewrites numbers inside quotations (numerals for words, symbols for
units, "m" for million); the amount stays the same. `compare_amounts` tells such
a rewrite from a changed number or a changed unit ("£3bn" for "$3 billion").
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import regex

__all__ = ["AMOUNT_WORDS", "amount_near", "compare_amounts"]

_UNITS = {
    "£": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "$": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "¥": "JPY",
    "yen": "JPY",
    "%": "%",
    "percent": "%",
    "per cent": "%",
    "pence": "p",
    "p": "p",
    "cents": "c",
    "cent": "c",
}
_SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
# Word keys that can be part of an amount besides numbers: a change to one of them may be a change of style.
AMOUNT_WORDS = frozenset({*_SCALES, *(u for u in _UNITS if u.isalpha())})
_SMALL_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_SMALL = {w: n for n, w in enumerate(_SMALL_WORDS.split())}
_TENS = {w: 10 * n for n, w in enumerate(_TENS_WORDS.split(), start=2)}
_WORD_NUMBER = "|".join(sorted([*_SMALL, *_TENS, "hundred"], key=len, reverse=True))
_NUMBER_WORDS = rf"(?:{_WORD_NUMBER})(?:[\s-]+(?:and[\s-]+)?(?:{_WORD_NUMBER}))*"
_SCALE_WORDS = ("thousand", "million", "billion", "trillion")
# "4.2m", "3bn", "$5k": written against the number. "m", "b" and "k" count only beside a currency sign, since
# "a 5m wall" is five metres.
_SCALE_SHORT = "|".join(sorted((k for k in _SCALES if k not in _SCALE_WORDS), key=len, reverse=True))
_AMBIGUOUS_SCALES = frozenset({"m", "b", "k"})
# The units written after the number (the signs £ $ € ¥ come before it), longest first: "pounds" before "p".
_UNIT = "|".join(regex.escape(u).replace(r"\ ", r"\s+") for u in sorted(_UNITS, key=len, reverse=True) if u not in "£$€¥")
_AMOUNT = regex.compile(
    rf"(?P<symbol>[£$€¥])?\s?"
    rf"(?P<number>\d+(?:[.,]\d+)*|(?<![\p{{L}}-])(?:{_NUMBER_WORDS})(?![\p{{L}}-]))"
    rf"(?:(?P<short>{_SCALE_SHORT})(?!\p{{L}})|[\s-]?(?P<scale>{'|'.join(_SCALE_WORDS)})(?!\p{{L}}))?"
    rf"(?:\s?(?P<unit>(?:{_UNIT})(?!\p{{L}})))?",
    regex.IGNORECASE,
)


def amount_near(text: str, start: int, end: int) -> tuple[tuple[Decimal, str], tuple[int, int]] | None:
    """The amount written in `text` over or touching `[start, end)`, and its span; None if there is none.

    >>> amount_near("savings of £4.2m without", 15, 16)
    ((Decimal('4.2E+6'), 'GBP'), (11, 16))
    """
    lo, hi = max(0, start - 40), min(len(text), end + 40)
    best: tuple[int, regex.Match[str]] | None = None
    for match in _AMOUNT.finditer(text, lo, hi, overlapped=False):
        if match.start() <= end and match.end() >= start:
            reach = min(match.end(), end) - max(match.start(), start)
            if best is None or reach > best[0]:
                best = (reach, match)
    if best is None:
        return None
    value = _value(best[1])
    if value is None:
        return None
    return value, best[1].span()


def compare_amounts(printed: str, quote_span: tuple[int, int], source: str, source_span: tuple[int, int]) -> tuple[bool, str, str] | None:
    """Whether the amounts over two spans are the same, with the amounts as written; None unless both sides hold one.

    >>> compare_amounts("costs of 10% a year", (11, 12), "costs of 10 percent a year", (12, 19))
    (True, '10%', '10 percent')
    >>> compare_amounts("£3bn", (0, 4), "$3 billion", (0, 10))
    (False, '£3bn', '$3 billion')
    """
    a = amount_near(printed, *quote_span)
    b = amount_near(source, *source_span)
    if a is None or b is None:
        return None
    (a_value, (a0, a1)), (b_value, (b0, b1)) = a, b
    return a_value == b_value, printed[a0:a1].strip(), source[b0:b1].strip()


def _value(match: regex.Match[str]) -> tuple[Decimal, str] | None:
    number = _number(match["number"])
    if number is None:
        return None
    scale = (match["scale"] or match["short"] or "").casefold()
    if scale in _AMBIGUOUS_SCALES and not match["symbol"]:
        return None
    if scale:
        number *= _SCALES[scale]
    unit = match["unit"] or ""
    units = {_UNITS[regex.sub(r"\s+", " ", u.casefold())] for u in (match["symbol"], unit) if u}
    if len(units) > 1:
        return None
    return number.normalize(), units.pop() if units else ""


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        # "2,000" and "1,500,000" group thousands; "4,2" (a decimal comma) is read as such.
        groups = text.split(",")
        if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and "." not in groups[0]:
            text = "".join(groups)
        else:
            text = text.replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return _words_value(text)


def _words_value(text: str) -> Decimal | None:
    """A number in words: "twenty-five", "one hundred and five" ("thousand" and above are scales)."""
    total = 0
    for word in regex.split(r"[\s-]+", text.casefold()):
        if word == "and":
            continue
        if word in _SMALL:
            total += _SMALL[word]
        elif word in _TENS:
            total += _TENS[word]
        elif word == "hundred":
            total = max(total, 1) * 100
        else:
            return None
    return Decimal(total)
