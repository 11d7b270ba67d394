"""Extraction finds every quotation, with spans into the original article."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotecheck.reading.extract import QuoteKind, extract


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


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        (
            "\u201cHe asked me \u201chow are you doing?\u201d and left,\u201d Pim said.",
            ["He asked me \u201chow are you doing?\u201d and left,"],
        ),
        ("\u00abIl a dit \u00abnon\u00bb deux fois\u00bb, dit-elle.", ["Il a dit \u00abnon\u00bb deux fois"]),
        ("Teodora said ``the index is stale'' and left.", ["the index is stale"]),
        ("Teodora said `the index is stale' and left.", ["the index is stale"]),
        ("Teodora's ``index'' and ``cache'' were stale.", ["index", "cache"]),
    ],
)
def test_marks_pair_by_direction_and_nesting(article: str, expected: list[str]) -> None:
    """A directional opener inside a quotation of the same glyph nests; LaTeX ``...'' and `...' are quotations."""
    assert quoted(article) == expected


def test_an_unclosed_curly_quotation_is_still_cut_at_the_next_opener() -> None:
    """Without closers enough for a nested reading, a second opener ends the first quotation as unbalanced."""
    quotes = extract("\u201cWe will act, Krishna said. \u201cWe must.\u201d")
    assert [(q.unbalanced, q.kind) for q in quotes] == [(True, QuoteKind.QUOTATION), (False, QuoteKind.QUOTATION)]


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        (
            '"We will not sell it for mass surveillance. " he added. The first CEO letter was sent.',
            ["We will not sell it for mass surveillance."],
        ),
        ('The firm said its tools "should not be used for surveillance. " That was new.', ["should not be used for surveillance."]),
        ('"We will not act " said Krishna.', ["We will not act"]),
    ],
)
def test_a_straight_mark_between_spaces_closes_before_prose(article: str, expected: list[str]) -> None:
    """A straight mark with space on both sides closes after the quotation's punctuation or before a lower-case word."""
    assert quoted(article) == expected


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ("'We waited all night,' Ilse said. 'Nobody came.\n\n'Not one car.'", ["We waited all night,", "Nobody came.", "Not one car."]),
        ('Krishna wrote: "We will act.\n\n    And we will not stop."', ["We will act.", "And we will not stop."]),
        ('Krishna wrote: "We will act.\n\n"And we will not stop."', ["We will act.", "And we will not stop."]),
    ],
)
def test_multi_paragraph_quotations_with_single_marks_and_indented_continuations(article: str, expected: list[str]) -> None:
    """A quotation left open continues into a paragraph that opens with the same mark, or that is indented and closes it."""
    quotes = extract(article)
    assert [article[s:e] for q in quotes for s, e in q.segments] == expected
    assert len(quotes) == len(expected) - 1


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ("The so-called \u201ccuties\u201d were sold out.", [QuoteKind.TERM]),
        ("She reread \u201cOne Hundred Years of Solitude\u201d on the train.", [QuoteKind.TERM]),
        ("The film \u201cHarbour Lights\u201d opens Friday.", [QuoteKind.TERM]),
        ("The plan, dubbed \u201cProject Lantern,\u201d failed.", [QuoteKind.TERM]),
        ("IBM speaks of \u201cgeneral purpose\u201d technology.", [QuoteKind.QUOTATION]),
        ("I worry about the term \u201cgeneral purpose facial recognition\u201d here.", [QuoteKind.QUOTATION]),
        ("He said \u201cWe Will Act Now\u201d twice.", [QuoteKind.QUOTATION]),
        ("It was on the company\u2019s \u201cTHINKPolicy Blog\u201d.", [QuoteKind.QUOTATION]),
        ("Critics called it \u201ca giveaway to the rich.\u201d", [QuoteKind.QUOTATION]),
    ],
)
def test_scare_quotes_and_titles_are_terms(article: str, expected: list[QuoteKind]) -> None:
    """Scare quotes and titles of works are of kind `term`; quoted words of a speaker stay quotations."""
    assert [q.kind for q in extract(article)] == expected


@given(st.text(alphabet="ab `'\"\u201c\u201d\n.,", max_size=60))
def test_spans_of_any_marks_stay_inside_the_text_and_in_order(text: str) -> None:
    """Whatever the marks, quotations are non-empty spans inside the text, in order, with their segments inside them."""
    quotes = extract(text)
    for q in quotes:
        assert 0 <= q.outer_start <= q.start < q.end <= q.outer_end <= len(text)
        assert all(q.start <= s < e <= q.end for s, e in q.segments)
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
