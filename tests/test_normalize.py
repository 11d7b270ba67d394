"""Normalisation keeps a map back to the original characters."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from quotecheck.text import normalize
from quotecheck.text.normalize import TokenKind, fold, fold_separator, fold_typography, fold_word, repair, source_words, tokenize

# Text rich in what normalisation changes: glyphs, spaces, case, compatibility forms, mojibake.
_TRICKY = st.text(
    alphabet=st.sampled_from(
        list("abcXYZ 0123.,-'\"\n\t")
        + list("\u00a0\u2009\u201c\u201d\u2018\u2019\u2013\u2014\u2026\ufb01\u00df\u0130\u00e2\u20ac\u0153\u00e9")
    ),
    max_size=80,
)


@given(_TRICKY)
def test_fold_maps_every_word_back_to_its_original(text: str) -> None:
    """Each word of the folded text maps to original characters that fold to the same word."""
    folded = fold(text)
    for token in tokenize(folded.text):
        start, end = folded.map.span(token.start, token.end)
        assert 0 <= start <= end <= len(text)
        assert fold(text[start:end]).text == folded.text[token.start : token.end]


@given(_TRICKY)
def test_repair_maps_spans_inside_the_original(text: str) -> None:
    """Every repaired character comes from a span of the original, in order."""
    repaired = repair(text)
    previous_end = 0
    for i in range(len(repaired.text)):
        start, end = repaired.map.span(i, i + 1)
        assert previous_end <= start < end <= len(text)
        previous_end = start


def test_repair_turns_mojibake_into_its_characters_and_maps_back() -> None:
    """A mojibake en dash is one repaired character standing for three original ones."""
    text = "policies \u00e2\u20ac\u201c technology"
    repaired = repair(text)
    assert repaired.text == "policies \u2013 technology"
    assert repaired.map.span(9, 10) == (9, 12)
    assert repaired.map.span(11, 21) == (13, 23)


@given(st.text(max_size=40))
def test_text_without_mojibake_is_left_alone(text: str) -> None:
    """Repair changes nothing in text that has no mojibake pattern."""
    clean = "".join(c for c in text if not "\u00c2" <= c <= "\u00f4")
    assert repair(clean).text == clean


def test_fold_unifies_typography() -> None:
    """Quote glyphs, dashes (spaced or not), no-break spaces and case fold alike."""
    assert fold("Police reform \u2013 New\u00a0\u201crules\u201d").text == fold('police reform\u2014new "rules"').text


def test_separator_folding_ignores_dash_spacing_and_line_breaks() -> None:
    """A spaced en dash equals an unspaced em dash; a paragraph break equals a space."""
    assert fold_separator(" \u2013 ") == fold_separator("\u2014")
    assert fold_separator("\n\n") == fold_separator(" ")


def test_word_keys_fold_apostrophes_brackets_and_case() -> None:
    """IBM’s and ibm's share a key; [T]he and the share a key."""
    assert fold_word("IBM\u2019s") == fold_word("ibm's")
    assert fold_word("[T]he") == "the"


def test_quotation_marks_become_tokens() -> None:
    """Ellipses in three spellings, brackets and [sic] are tokens of their own in a quotation."""
    kinds = [t.kind for t in tokenize("a ... b \u2026 c . . . d [e f] [sic] [T]he", marks=True)]
    assert kinds == [
        TokenKind.WORD, TokenKind.ELLIPSIS, TokenKind.WORD, TokenKind.ELLIPSIS, TokenKind.WORD,
        TokenKind.ELLIPSIS, TokenKind.WORD, TokenKind.BRACKET, TokenKind.SIC, TokenKind.WORD,
    ]  # fmt: skip


def test_a_gap_line_is_a_gap_token_in_a_source() -> None:
    """`[[gap]]` on its own line marks missing text; in a quotation it is not special."""
    assert [t.kind for t in tokenize("a\n\n[[gap]]\n\nb")] == [TokenKind.WORD, TokenKind.GAP, TokenKind.WORD]


# Typography the folds must agree on, mixed with letters, marks and compatibility forms.
_TYPOGRAPHY = "ab .-,'\"\u2019\u201c\u2013\u2014\u2026\u00a0\u3000\uff0d\u2010\u00ad\u0301\ufe58\u2025\uff0e\t\n\ufb01\u00bdA\u00df"


@given(st.one_of(st.text(alphabet=_TYPOGRAPHY, max_size=30), st.text(max_size=20)))
def test_fold_typography_is_fold_before_case_folding(text: str) -> None:
    """`fold_typography` (built without an offset map) gives the text of `fold` once case is folded too."""
    assert fold_typography(text).casefold() == fold(text).text


@given(st.lists(st.one_of(_TRICKY, st.sampled_from(["[[gap]]", "\n[[gap]]\n", "[[gap]] \n", "\n"])), max_size=6).map("".join))
def test_source_words_are_the_word_tokens(text: str) -> None:
    """`source_words` (the index's cheap reading of a source) gives the words `tokenize` gives, split at its gaps."""
    runs: list[list[str]] = [[]]
    for token in tokenize(text):
        if token.kind is TokenKind.GAP:
            runs.append([])
        else:
            runs[-1].append(text[token.start : token.end])
    assert source_words(text) == runs
    assert [fold_word(word) for run in runs for word in run] == [t.key for t in tokenize(text) if t.kind is TokenKind.WORD]


@given(st.one_of(_TRICKY, st.text(max_size=40)))
def test_source_tokens_have_the_spans_the_word_pattern_matches(text: str) -> None:
    """Source words (read with `findall` and `str.find`, not match objects) sit where the word pattern matches."""
    assume("[[gap]]" not in text)
    assert [(t.start, t.end) for t in tokenize(text)] == [(m.start(), m.end()) for m in normalize._WORD.finditer(text)]
