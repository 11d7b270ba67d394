"""Extraction finds every quotation, with spans into the original article."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotecheck.extract import QuoteKind, extract


def quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in extract(text)]


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ('He said "we will" today.', ["we will"]),
        ("He said \u201cwe will\u201d today.", ["we will"]),
        ('He said \u201cwe will," she wrote.', ["we will,"]),  # mixed pair
        ("Sie sagte \u201eWir schaffen das\u201c gestern.", ["Wir schaffen das"]),
        ("Il a dit \u00ab nous voulons \u00bb hier.", ["nous voulons"]),
        ("Er sagte \u00bbWir wollen\u00ab gestern.", ["Wir wollen"]),
        ("She said: \u201cHe told me \u2018no\u2019 twice.\u201d", ["He told me \u2018no\u2019 twice."]),
        ("He said \u2018we will\u2019 today.", ["we will"]),  # British single marks at the top level
    ],
)
def test_quotation_mark_styles(article: str, expected: list[str]) -> None:
    """Straight, curly, mixed, German, French and single marks all delimit quotations."""
    assert quoted(article) == expected


@pytest.mark.parametrize(
    "article",
    [
        "IBM\u2019s stance and IBM's letter.",
        "Rock 'n' roll was born in the '90s, didn't you know?",
        "The students' books and the '60s generation's 'tude.",
        "It's 5'10\" tall and 12\" wide.",
        "Die Preise fallen \u201e bald, sagt er.",  # a stray low-9 mark before a space opens nothing
    ],
)
def test_apostrophes_and_primes_open_no_quotation(article: str) -> None:
    """Apostrophes, elisions, inch marks and stray marks before a space are not quotation marks."""
    assert quoted(article) == []


def test_multi_paragraph_quotation_is_one_quotation_in_segments() -> None:
    """An opening mark on each paragraph and a closing mark only on the last make one quotation."""
    article = "He said: \u201cFirst paragraph here.\n\n\u201cSecond paragraph here.\u201d Then he left."
    (quote,) = extract(article)
    assert article[quote.start : quote.end] == "First paragraph here.\n\n\u201cSecond paragraph here."
    assert [article[s:e] for s, e in quote.segments] == ["First paragraph here.", "Second paragraph here."]


def test_unclosed_quotation_ends_with_its_paragraph() -> None:
    """A missing closing mark ends the quotation at the end of its paragraph, marked unbalanced."""
    article = "He said \u201cwe will go on.\n\nNext paragraph."
    (quote,) = extract(article)
    assert article[quote.start : quote.end] == "we will go on."
    assert quote.unbalanced


def test_block_quote_lines_are_one_quotation_without_marks() -> None:
    """Consecutive `>` lines form one block quote; its `>` markers are not part of it."""
    article = "Intro.\n\n>First line\n> second line.\n\nAfter."
    (quote,) = extract(article)
    assert quote.kind is QuoteKind.BLOCKQUOTE
    assert [article[s:e] for s, e in quote.segments] == ["First line", "second line."]


def test_front_matter_is_skipped() -> None:
    """Quotation marks in YAML or TOML front matter are metadata, not quotations."""
    assert quoted('---\ntitle: "A title"\n---\nBody "quoted words" here.') == ["quoted words"]
    assert quoted('+++\ntitle = "A title"\n+++\nBody "quoted words" here.') == ["quoted words"]


def test_mojibake_dash_opens_no_quotation_and_spans_index_the_original() -> None:
    """`â€“` (an en dash as mojibake) holds a “ that must not open a quotation."""
    article = "Policies \u00e2\u20ac\u201c technology can help. He said \u00e2\u20ac\u0153we will\u00e2\u20ac\u009d today."
    (quote,) = extract(article)
    assert article[quote.start : quote.end] == "we will"


_WORDS = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "IBM’s", "don't", "the", "90s", "rock"]), min_size=1, max_size=12
).map(" ".join)


@given(before=_WORDS, inside=_WORDS, after=_WORDS, marks=st.sampled_from(['""', "\u201c\u201d", '\u201c"', "\u201e\u201c", "\u00ab\u00bb"]))
def test_a_quotation_in_prose_is_found_at_its_exact_span(before: str, inside: str, after: str, marks: str) -> None:
    """Whatever the marks and the apostrophes around it, a quotation's span is exactly its words."""
    article = f"{before} {marks[0]}{inside}{marks[1]} {after}."
    start = len(before) + 2
    assert [(q.start, q.end) for q in extract(article)] == [(start, start + len(inside))]


@given(_WORDS)
def test_prose_with_apostrophes_has_no_quotation(text: str) -> None:
    """Text with apostrophes but no quotation marks yields nothing."""
    assert extract(text + ".") == ()
