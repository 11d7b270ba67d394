"""Normalisation: repair, fold and tokenise text, keeping a map back to the original.

Everything quotecheck reports is a span into the ORIGINAL text, article or
source. Every transformation here therefore returns the new text together
with an `OffsetMap` that takes offsets in the new text back to the original.

This module is the only one that talks to ftfy.
"""

from __future__ import annotations

import bisect
import enum
import functools
import itertools
import unicodedata
from collections.abc import Callable, Sequence
from typing import overload

import attrs
import ftfy
import regex

__all__ = [
    "STOP_WORDS",
    "Mapped",
    "OffsetMap",
    "Token",
    "TokenKind",
    "TokenTable",
    "fold",
    "fold_separator",
    "fold_typography",
    "fold_word",
    "gap_spans",
    "repair",
    "source_words",
    "tokenize",
    "tokenize_segments",
]

# Quote-mark and apostrophe glyphs, folded to the ASCII mark they stand for.
DOUBLE_QUOTES = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02'
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u02bc"
# Dashes used as dashes; hyphen glyphs are folded to "-" instead.
DASHES = "\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"
HYPHENS = "\u2010\u2011\ufe63\uff0d"
_GLYPHS = str.maketrans(
    {
        **dict.fromkeys(DOUBLE_QUOTES, '"'),
        **dict.fromkeys(SINGLE_QUOTES, "'"),
        **dict.fromkeys(HYPHENS, "-"),
        "\u00ad": None,  # soft hyphen: invisible, never part of the word
    }
)

# UTF-8 read as Windows-1252 or Latin-1: a lead byte (U+00C2..U+00F4) followed
# by one to three continuation bytes shown as Latin-1 or Windows-1252 glyphs.
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_MOJIBAKE = regex.compile(f"(?:[\u00c2-\u00f4][{_CONTINUATION}]{{1,3}})+")

_ELLIPSIS_FORMS = r"\u2026|\.(?:[ \u00a0]?\.){2,}"
_FOLD_SPECIAL = regex.compile(
    rf"\s*(?:[{DASHES}]|--+|(?<=\s)-(?=\s))\s*"  # a dash, spaced or not
    rf"|{_ELLIPSIS_FORMS}"
    r"|\s+"
)


@attrs.frozen
class OffsetMap:
    """Maps offsets in a derived text back to the text it was derived from.

    `edits` holds `(new_start, new_end, old_start, old_end)` for every stretch
    whose length changed, sorted and disjoint. Outside them, offsets shift by
    the accumulated difference. Inside a stretch, a start rounds down to the
    stretch's original start and an end rounds up to its original end, so a
    mapped span always covers every original character behind it.

    `base`, when given, is applied afterwards: it maps the text this map leads
    to onward to an earlier original.
    """

    edits: tuple[tuple[int, int, int, int], ...] = ()
    base: OffsetMap | None = None
    _new_starts: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_new_starts", tuple(e[0] for e in self.edits))

    def start(self, pos: int) -> int:
        """Maps an offset used as a span start."""
        edit = self._edit_before(bisect.bisect_right(self._new_starts, pos))
        out = pos if edit is None else edit[2] if pos < edit[1] else edit[3] + pos - edit[1]
        return self.base.start(out) if self.base is not None else out

    def end(self, pos: int) -> int:
        """Maps an offset used as a span end."""
        edit = self._edit_before(bisect.bisect_left(self._new_starts, pos))
        out = pos if edit is None else edit[3] if pos <= edit[1] else edit[3] + pos - edit[1]
        return self.base.end(out) if self.base is not None else out

    def _edit_before(self, i: int) -> tuple[int, int, int, int] | None:
        """The last edit starting before the insertion point `i` of `_new_starts`, if any."""
        return self.edits[i - 1] if i > 0 else None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Maps a half-open span; an empty span stays empty."""
        if start >= end:
            s = self.start(start)
            return s, s
        return self.start(start), self.end(end)


IDENTITY = OffsetMap()


@attrs.frozen
class Mapped:
    """A derived text and the map from its offsets back to the original."""

    text: str
    map: OffsetMap = IDENTITY


def _rewrite(text: str, pattern: regex.Pattern[str], replace: Callable[[str], str], plain: Callable[[str], str]) -> Mapped:
    """Rewrites `pattern` matches with `replace` and the text between with `plain`."""
    out: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    new_pos = 0
    old_pos = 0

    def emit(old_start: int, old_end: int, new: str) -> None:
        nonlocal new_pos
        if len(new) != old_end - old_start:
            edits.append((new_pos, new_pos + len(new), old_start, old_end))
        out.append(new)
        new_pos += len(new)

    def emit_plain(old_start: int, old_end: int) -> None:
        chunk = text[old_start:old_end]
        new = plain(chunk)
        if len(new) == len(chunk):
            out.append(new)
            nonlocal new_pos
            new_pos += len(new)
            return
        # Lengths differ: map grapheme by grapheme so offsets stay exact.
        for cluster in regex.finditer(r"\X", chunk):
            emit(old_start + cluster.start(), old_start + cluster.end(), plain(cluster.group()))

    for m in pattern.finditer(text):
        if m.start() > old_pos:
            emit_plain(old_pos, m.start())
        emit(m.start(), m.end(), replace(m.group()))
        old_pos = m.end()
    if old_pos < len(text):
        emit_plain(old_pos, len(text))
    return Mapped("".join(out), OffsetMap(tuple(edits)))


def repair(text: str) -> Mapped:
    """Repairs mojibake (UTF-8 decoded as Windows-1252 or Latin-1).

    Only stretches that look like mojibake are handed to ftfy, one at a time,
    so that every repaired character maps back to the bytes it came from.

    >>> repair("policies \u00e2\u20ac\u201c technology").text
    'policies \u2013 technology'
    """
    if not _MOJIBAKE.search(text):
        return Mapped(text)
    return _rewrite(text, _MOJIBAKE, ftfy.fix_encoding, lambda s: s)


def _fold_special(s: str) -> str:
    if s.isspace():
        return " "
    if s.startswith(".") or s == "\u2026":
        return "..."
    return "\u2014"


def _fold_plain(s: str) -> str:
    return unicodedata.normalize("NFKC", s).translate(_GLYPHS).casefold()


def fold(text: str) -> Mapped:
    """Folds typography and case: what two texts share when only those differ.

    Quote marks and apostrophes become ASCII, dashes (spaced or not) become one
    unspaced em dash, ellipses become "...", whitespace runs (no-break spaces
    too) become one space, compatibility forms are decomposed (NFKC) and
    letters case-folded.

    >>> fold("Police reform \u2013 New\u00a0rules").text
    'police reform\u2014new rules'
    """
    return _rewrite(text, _FOLD_SPECIAL, _fold_special, _fold_plain)


def fold_typography(text: str) -> str:
    """Folds typography but keeps case: compares what a reader sees as the same.

    The same text as `fold` before case folding, built without an offset map
    (no caller needs one), so it is cheap enough to key a whole corpus by.
    """
    return unicodedata.normalize("NFKC", _FOLD_SPECIAL.sub(lambda m: _fold_special(m.group()), text)).translate(_GLYPHS)


def fold_separator(text: str) -> str:
    """Folds the text between two words: typography, then surrounding space.

    >>> fold_separator(" \u2013 ")
    '\u2014'
    >>> fold_separator("\\n\\n")
    ' '
    """
    folded = fold_typography(text)
    return folded.strip() or (" " if folded else "")


@functools.lru_cache(maxsize=1 << 17)  # a registry repeats its words: fold each once, and share the key strings
def fold_word(text: str) -> str:
    """The key a word is compared by: folded typography and case, brackets dropped.

    >>> fold_word("[T]he")
    'the'
    >>> fold_word("IBM\u2019s")
    "ibm's"
    """
    return _fold_plain(text).replace("[", "").replace("]", "")


# Function words: they carry little evidence that two texts are the same.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "into",
        "onto",
        "upon",
        "about",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "we",
        "our",
        "us",
        "you",
        "your",
        "he",
        "his",
        "him",
        "she",
        "her",
        "they",
        "their",
        "them",
        "i",
        "my",
        "me",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "so",
        "than",
        "then",
        "too",
        "very",
        "can",
        "will",
        "would",
        "shall",
        "should",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "s",
        "t",
        "just",
        "also",
    ]
)


class TokenKind(enum.StrEnum):
    """What a token of a quotation or source stands for."""

    WORD = "word"
    ELLIPSIS = "ellipsis"  # ..., …, . . . or [...]: source words left out
    BRACKET = "bracket"  # [words] put in or standing for source words
    SIC = "sic"  # [sic]: the source's own error, kept
    GAP = "gap"  # a stretch of the source that the registry does not hold


@attrs.frozen
class Token:
    """A word or an editorial mark, with its span in the text it came from.

    Attributes:
        kind: what the token is.
        start: offset of its first character.
        end: offset after its last character.
        key: the folded form words are compared by ("" for marks).
        words: for a BRACKET, the keys of the words inside it.
    """

    kind: TokenKind
    start: int
    end: int
    key: str = ""
    words: tuple[str, ...] = ()


_WORD_CORE = r"\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{N}\p{M}]+(?:['\u2019\u02bc][\p{L}\p{N}\p{M}]+)*"
_WORD = regex.compile(_WORD_CORE)
_QUOTE_TOKEN = regex.compile(
    rf"(?P<sic>\[\s*sic\s*\])"
    rf"|(?P<ellipsis>\[\s*(?:{_ELLIPSIS_FORMS})\s*\]|{_ELLIPSIS_FORMS})"
    rf"|(?P<word>(?:\[\p{{L}}{{1,3}}\])?(?:{_WORD_CORE})(?:\[\p{{L}}{{1,4}}\])?)"
    r"|(?P<bracket>\[[^\[\]\n]{1,300}\])",
    regex.IGNORECASE,
)
_GAP_LINE = regex.compile(r"^\[\[gap\]\][ \t]*$", regex.MULTILINE)


def tokenize(text: str, *, marks: bool = False) -> tuple[Token, ...]:
    """Splits text into word tokens, with spans into `text`.

    Args:
        text: the text, already repaired.
        marks: read editorial marks, as in a quotation: ellipses, [brackets]
            and [sic]. Without it (as in a source), they are punctuation,
            and a `[[gap]]` line is a GAP token.

    Returns:
        The tokens in order.

    >>> [t.key for t in tokenize("IBM\u2019s facial-recognition [tech] \u2026", marks=True)]
    ["ibm's", 'facial', 'recognition', '', '']
    """
    tokens: list[Token] = []
    if not marks:
        pos = 0
        for gap in _GAP_LINE.finditer(text):
            tokens.extend(_words(text, pos, gap.start()))
            tokens.append(Token(TokenKind.GAP, gap.start(), gap.end()))
            pos = gap.end()
        tokens.extend(_words(text, pos, len(text)))
        return tuple(tokens)
    for m in _QUOTE_TOKEN.finditer(text):
        if m.group("word") is not None:
            tokens.append(Token(TokenKind.WORD, m.start(), m.end(), fold_word(m.group())))
        elif m.group("ellipsis") is not None:
            tokens.append(Token(TokenKind.ELLIPSIS, m.start(), m.end()))
        elif m.group("sic") is not None:
            tokens.append(Token(TokenKind.SIC, m.start(), m.end()))
        else:
            inner = m.group()[1:-1]
            words = tuple(fold_word(w.group()) for w in _WORD.finditer(inner))
            tokens.append(Token(TokenKind.BRACKET, m.start(), m.end(), words=words))
    return tuple(tokens)


class TokenTable(Sequence[Token]):
    """A source's tokens (`tokenize(text)`) held as parallel lists, each `Token` made only when asked for.

    Alignment reads keys and spans by the thousand and needs a `Token` for a
    few of them; making every token of every source a frozen object was most
    of the first check against a large registry.

    Attributes:
        keys: each token's key ("" for a GAP).
        starts, ends: each token's span.
        gaps: the indices of the GAP tokens.

    >>> table = TokenTable("One two.\\n[[gap]]\\nThree")
    >>> table.keys, table.gaps, table[3]
    (['one', 'two', '', 'three'], [2], Token(kind=<TokenKind.WORD: 'word'>, start=17, end=22, key='three', words=()))
    >>> list(table) == list(tokenize("One two.\\n[[gap]]\\nThree"))
    True
    """

    __slots__ = ("_made", "ends", "gaps", "keys", "starts")

    def __init__(self, text: str) -> None:
        self.keys: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.gaps: list[int] = []
        pos = 0
        for gap in _GAP_LINE.finditer(text):
            self._read_words(text, pos, gap.start())
            self.gaps.append(len(self.keys))
            self.keys.append("")
            self.starts.append(gap.start())
            self.ends.append(gap.end())
            pos = gap.end()
        self._read_words(text, pos, len(text))
        self._made: list[Token | None] = [None] * len(self.keys)

    def _read_words(self, text: str, start: int, end: int) -> None:
        # `findall` and `str.find`, as in `_words`.
        find = text.find
        words = _WORD.findall(text, start, end)
        keys, starts, ends = self.keys, self.starts, self.ends
        for word in words:
            start = find(word, start)
            starts.append(start)
            start += len(word)
            ends.append(start)
        keys.extend(map(fold_word, words))

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Token: ...

    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...

    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        if isinstance(index, slice):
            return [self._token(i) for i in range(*index.indices(len(self.keys)))]
        if index < 0:
            index += len(self.keys)
        if not 0 <= index < len(self.keys):
            raise IndexError(index)
        return self._token(index)

    def _token(self, i: int) -> Token:
        made = self._made[i]
        if made is None:
            key = self.keys[i]
            kind = TokenKind.WORD if key else TokenKind.GAP
            made = self._made[i] = Token(kind, self.starts[i], self.ends[i], key)
        return made

    def word_before(self, offset: int) -> int | None:
        """The index of the last word token that ends at or before `offset`, if any."""
        i = bisect.bisect_right(self.ends, offset) - 1
        while i >= 0 and not self.keys[i]:
            i -= 1
        return i if i >= 0 else None

    def word_after(self, offset: int) -> int | None:
        """The index of the first word token that starts at or after `offset`, if any."""
        i = bisect.bisect_left(self.starts, offset)
        while i < len(self.keys) and not self.keys[i]:
            i += 1
        return i if i < len(self.keys) else None

    def words_between(self, start: int, end: int) -> int:
        """How many word tokens lie wholly inside the characters [start, end)."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_right(self.ends, end, lo)
        return hi - lo - sum(1 for g in self.gaps if lo <= g < hi)


def source_words(text: str) -> list[list[str]]:
    """The words of a source text as printed, in runs between `[[gap]]` lines: the WORD tokens `tokenize` gives, unfolded.

    Cheaper than `tokenize` where only the words are wanted (building an index):
    no token objects, no spans, and each distinct word can be folded once.

    >>> source_words("One two.\\n[[gap]]\\nThree")
    [['One', 'two'], ['Three']]
    """
    runs = []
    pos = 0
    for gap in _GAP_LINE.finditer(text):
        runs.append(_WORD.findall(text, pos, gap.start()))
        pos = gap.end()
    runs.append(_WORD.findall(text, pos, len(text)))
    return runs


def gap_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the `[[gap]]` lines of a source text: the GAP tokens `tokenize` would give.

    >>> gap_spans("a [[gap]] b"), gap_spans("[[gap]]")
    ((), ((0, 7),))
    """
    return tuple((m.start(), m.end()) for m in _GAP_LINE.finditer(text))


def _words(text: str, start: int, end: int) -> list[Token]:
    # `findall` and `str.find` instead of match objects, for speed: between two words no letter, digit or
    # mark is left, and a word starts with one, so the first occurrence of a word after the last is where it matched.
    tokens = []
    find = text.find
    for word in _WORD.findall(text, start, end):
        start = find(word, start)
        tokens.append(Token(TokenKind.WORD, start, start + len(word), fold_word(word)))
        start += len(word)
    return tokens


def tokenize_segments(text: str, segments: Sequence[tuple[int, int]]) -> tuple[list[Token], list[int]]:
    """Tokenises the quoted segments of an article, with spans into the article.

    Each segment is repaired (mojibake) before it is read, and every token's
    span is mapped back to the original article.

    Returns:
        The tokens, with editorial marks, and for each token the index of its segment.
    """
    tokens: list[Token] = []
    segment_of: list[int] = []
    for n, (start, end) in enumerate(segments):
        repaired = repair(text[start:end])
        span = repaired.map.span if repaired.map is not IDENTITY else None
        for token in tokenize(repaired.text, marks=True):
            s, e = span(token.start, token.end) if span is not None else (token.start, token.end)
            tokens.append(Token(token.kind, start + s, start + e, token.key, token.words))
        segment_of.extend(itertools.repeat(n, len(tokens) - len(segment_of)))
    return tokens, segment_of
