"""Classification: every difference between a quotation and its passage.

Each difference is a `Variant` with a kind and one of four categories, from
harmless to serious:

- typography: quote-mark, apostrophe and dash glyphs, whitespace, mojibake,
  compatibility forms, the punctuation mark at the very end of a quotation,
  an ellipsis at its very start or end;
- cosmetic: letter case, punctuation inside the quotation, hyphenation and
  compounding, spelling variants, a bracket that only changes case ([T]he),
  [sic];
- editorial: marked edits, an ellipsis standing for left-out words and
  [bracketed] words put in or standing for source words;
- substantive: unmarked word changes (substitution, insertion, deletion,
  reordering, splice), and marks that hide a negation, a number or a qualifier.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import regex

from quotecheck.matching._amounts import AMOUNT_WORDS, compare_amounts
from quotecheck.matching.align import Alignment, Opcode, Reading, is_join, is_splice, moved_words
from quotecheck.sources.registry import Source
from quotecheck.text.normalize import DASHES, DOUBLE_QUOTES, SINGLE_QUOTES, Token, TokenKind, fold_separator, fold_typography, repair

__all__ = ["Category", "Variant", "VariantKind", "classify", "classify_reading", "is_negation", "is_number", "is_qualifier"]


class Category(enum.StrEnum):
    """How much a difference matters, from least to most."""

    TYPOGRAPHY = "typography"
    COSMETIC = "cosmetic"
    EDITORIAL = "editorial"
    SUBSTANTIVE = "substantive"


class VariantKind(enum.StrEnum):
    """What kind of difference a variant is."""

    QUOTE_GLYPH = "quote_glyph"
    DASH_GLYPH = "dash_glyph"
    WHITESPACE = "whitespace"
    MOJIBAKE = "mojibake"
    COMPATIBILITY = "compatibility"
    FINAL_PUNCTUATION = "final_punctuation"
    CASE = "case"
    PUNCTUATION = "punctuation"
    HYPHENATION = "hyphenation"
    SPELLING = "spelling"
    NUMBER_STYLE = "number_style"  # the same amount written another way: "£4.2m" for "4.2 million pounds"
    SIC = "sic"
    BRACKET_INSERTION = "bracket_insertion"
    BRACKET_REPLACEMENT = "bracket_replacement"
    ELLIPSIS = "ellipsis"
    SUBSTITUTION = "substitution"
    INSERTION = "insertion"
    DELETION = "deletion"
    REORDERING = "reordering"
    SPLICE = "splice"  # words joined from passages that are not adjacent, with no ellipsis


@attrs.frozen
class Variant:
    """One difference between a quotation and its source passage.

    Attributes:
        kind: what differs.
        category: how much it matters.
        quote: span in the article (empty where the quotation lacks words).
        source: span in the source text (empty where the source lacks words).
        printed: the article's text of the span.
        original: the source's text of the span.
        why: the difference in words a reader understands.
        hides: for marks that hide or change meaning, which words: the
            negation, number or qualifier involved.
    """

    kind: VariantKind
    category: Category
    quote: tuple[int, int]
    source: tuple[int, int]
    printed: str
    original: str
    why: str
    hides: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The variant as the JSON schema has it."""
        return {
            "kind": self.kind.value,
            "category": self.category.value,
            "quote": list(self.quote),
            "source": list(self.source),
            "printed": self.printed,
            "original": self.original,
            "why": self.why,
        }


_NEGATIONS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "without", "cannot"})
_QUALIFIERS = frozenset(
    {
        "only",
        "unless",
        "except",
        "all",
        "some",
        "every",
        "each",
        "most",
        "few",
        "many",
        "always",
        "sometimes",
        "often",
        "rarely",
        "solely",
        "partly",
        "mainly",
        "nearly",
        "almost",
        "largely",
        "merely",
        "if",
        "may",
        "might",
        "could",
        "perhaps",
        "possibly",
        "probably",
        "any",
        "generally",
    }
)
_NUMBER_WORDS = frozenset(
    {
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "dozen",
        "half",
        "percent",
        "first",
        "second",
        "third",
        "decade",
        "decades",
    }
)
_SPELLING = (
    ("our", "or"),
    ("ise", "ize"),
    ("isation", "ization"),
    ("yse", "yze"),
    ("re", "er"),
    ("ll", "l"),
    ("ogue", "og"),
    ("ence", "ense"),
)


def is_negation(key: str) -> bool:
    """Whether a word key negates: not, never, no, ... and contractions in n't.

    >>> [is_negation(w) for w in ("not", "won't", "note")]
    [True, True, False]
    """
    return key in _NEGATIONS or key.endswith(("n't", "n\u2019t"))


_CONTRACTED = {"s": ("is", "has"), "re": ("are",), "ve": ("have",), "ll": ("will", "shall"), "d": ("would", "had"), "m": ("am",)}
_IRREGULAR = {"won't": ("will", "not"), "can't": ("can", "not"), "shan't": ("shall", "not"), "cannot": ("can", "not")}


def _is_contraction(short: Sequence[str], long: Sequence[str]) -> bool:
    """Whether `short` is one word contracting the two of `long`: "won't" for "will not", "now's" for "now is"."""
    if len(short) != 1 or len(long) != 2:
        return False
    word = short[0].replace("\u2019", "'")
    if word in _IRREGULAR:
        return _IRREGULAR[word] == tuple(long)
    if word.endswith("n't"):
        return (word[:-3], "not") == tuple(long)
    head, _, tail = word.rpartition("'")
    return bool(head) and head == long[0] and long[1] in _CONTRACTED.get(tail, ())


def _negations(keys: Sequence[str]) -> list[str]:
    """The negations among `keys`, a contraction counted as its "not" ("won't" and "will not" negate alike)."""
    return sorted("not" if k == "cannot" or k.endswith(("n't", "n\u2019t")) else k for k in keys if is_negation(k))


def is_number(key: str) -> bool:
    """Whether a word key is a number, in digits or in words."""
    return any(c.isdigit() for c in key) or key in _NUMBER_WORDS


def is_qualifier(key: str) -> bool:
    """Whether a word key limits a claim: only, unless, except, all, some, ..."""
    return key in _QUALIFIERS


def _spelling_variant(a: str, b: str) -> bool:
    """favor/favour, organize/organise, center/centre, traveled/travelled."""
    if a == b or not (a.isalpha() and b.isalpha()):
        return False
    for x, y in _SPELLING:
        for p, q in ((x, y), (y, x)):
            i = a.find(p)
            while i >= 0:
                if a[:i] + q + a[i + len(p) :] == b:
                    return True
                i = a.find(p, i + 1)
    return False


@attrs.frozen
class _Side:
    """Tokens of one side with the text their spans index (and the source, on the source side)."""

    text: str
    tokens: Sequence[Token]
    source: Source | None = None

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Character span of tokens [a, b); empty at the start of token a when a == b."""
        if a < b:
            return self.tokens[a].start, self.tokens[b - 1].end
        if a < len(self.tokens):
            return self.tokens[a].start, self.tokens[a].start
        end = self.tokens[-1].end if self.tokens else 0
        return end, end

    def slice(self, span: tuple[int, int]) -> str:
        return self.text[span[0] : span[1]]


def classify(
    alignment: Alignment,
    tokens: Sequence[Token],
    article: str,
    *,
    quote_span: tuple[int, int],
    separator: Callable[[int], str | None],
) -> tuple[Variant, ...]:
    """Lists every difference between a quotation and its passage.

    Args:
        alignment: the quotation's alignment.
        tokens: the quotation's tokens, with spans into `article`.
        article: the article text (or the bare quotation).
        quote_span: the quotation's span in `article`, marks excluded.
        separator: the printed text between quotation tokens k and k+1, or
            None where a paragraph break of the quotation falls between them.

    Returns:
        The variants in quotation order.
    """
    source = alignment.source
    q = _Side(article, tokens)
    s = _Side(source.text, source.tokens, source)
    out: list[Variant] = []
    moved = moved_words(alignment.opcodes, tokens, source.tokens)
    moved_source = {i for i, _ in moved}
    moved_quote = {j for _, j in moved}
    ops = alignment.opcodes
    for n, op in enumerate(ops):
        if op.tag == "equal":
            _equal(op, q, s, separator, out)
        elif op.j2 == op.j1 + 1 and tokens[op.j1].kind is not TokenKind.WORD:
            _mark(op, q, s, out, edge=n == 0 or n == len(ops) - 1)
        else:
            _words(op, q, s, out, moved_source, moved_quote)
        if n + 1 < len(ops):
            _junction(op, ops[n + 1], q, s, separator, out)
    for i, j in moved:
        quote = q.span(j, j + 1)
        original = s.span(i, i + 1)
        key = tokens[j].key
        why = f"\u201c{q.slice(quote)}\u201d is in the source, but in another place: the words are reordered"
        # A moved negation or number changes what is negated or counted.
        hides = (key,) if is_negation(key) or is_number(key) else ()
        out.append(Variant(VariantKind.REORDERING, Category.SUBSTANTIVE, quote, original, q.slice(quote), s.slice(original), why, hides))
    _edges(alignment, q, s, quote_span, out)
    out.sort(key=lambda v: (v.quote, v.source))
    return tuple(_merge_runs(out, q, s))


def classify_reading(reading: Reading, tokens: Sequence[Token], article: str, *, quote_end: int) -> tuple[Variant, ...]:
    """Lists every difference between a quotation read in pieces and its passages.

    Each piece is classified against its own passage; each join of two
    passages that are not the source's next words is a `splice` (pieces printed
    the other way round than the source has them say so), and punctuation at
    a join is the sentences' own, not a final mark.

    Args:
        reading: the pieces (`align.read_pieces`).
        tokens: the quotation's tokens, with spans into `article`.
        article: the article text (or the bare quotation).
        quote_end: where the quotation ends in `article`, marks excluded.

    Returns:
        The variants in quotation order.
    """
    out: list[Variant] = []
    pieces = reading.pieces
    for n, piece in enumerate(pieces):
        run = tokens[piece.lo : piece.hi]
        span = (run[0].start, run[-1].end)
        end = tokens[piece.hi].start if piece.hi < len(tokens) else quote_end
        out.extend(classify(piece.alignment, run, article, quote_span=(span[0], end), separator=_between(article, run)))
        if n and is_join(pieces[n - 1].alignment, piece.alignment):
            passage = piece.alignment
            where = _distance(pieces[n - 1].alignment, passage)
            why = f"\u201c{_shorten(article[span[0] : span[1]])}\u201d comes from another passage ({where}), joined with no ellipsis"
            original = passage.source.text[passage.start : passage.end]
            out.append(
                Variant(
                    VariantKind.SPLICE, Category.SUBSTANTIVE, span, (passage.start, passage.end), article[span[0] : span[1]], original, why
                )
            )
    out = [v for v in out if not (v.kind is VariantKind.FINAL_PUNCTUATION and v.quote[1] < quote_end)]
    return tuple(sorted(out, key=lambda v: (v.quote, v.source)))


def _between(article: str, tokens: Sequence[Token]) -> Callable[[int], str | None]:
    """The printed text between tokens k and k+1 of one run of a quotation."""

    def separator(k: int) -> str | None:
        return repair(article[tokens[k].end : tokens[k + 1].start]).text

    return separator


def _distance(main: Alignment, piece: Alignment) -> str:
    """How far apart two passages are, in words and paragraphs."""
    if piece.source is not main.source:
        return f"{piece.source.id}, another source"
    source = main.source
    lo, hi = sorted(((main.start, main.end), (piece.start, piece.end)))
    between = source.tokens.words_between(lo[1], hi[0])
    first, second = source.paragraph_at(lo[0]), source.paragraph_at(hi[0])
    paragraphs = f", \u00b6{first.number} and \u00b6{second.number}" if first and second and first != second else ""
    order = "" if piece.start > main.start else ", placed before it"
    return f"{between} words away in {source.id}{paragraphs}{order}"


def _shorten(text: str, most: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[: most - 1] + "\u2026"


def _equal(op: Opcode, q: _Side, s: _Side, separator: Callable[[int], str | None], out: list[Variant]) -> None:
    for k in range(op.i2 - op.i1):
        i, j = op.i1 + k, op.j1 + k
        _word_pair(i, j, q, s, out)
        if k + 1 < op.i2 - op.i1:
            _separator_pair(i, j, q, s, separator, out)


def _junction(op: Opcode, following: Opcode, q: _Side, s: _Side, separator: Callable[[int], str | None], out: list[Variant]) -> None:
    """Compares the punctuation where two opcodes meet, when both sides continue word to word."""
    if op.tag == "equal" and following.tag == "equal" and op.i2 == following.i1 and op.j2 == following.j1:
        _separator_pair(op.i2 - 1, op.j2 - 1, q, s, separator, out)


def _word_pair(i: int, j: int, q: _Side, s: _Side, out: list[Variant]) -> None:
    quote = q.span(j, j + 1)
    original = s.span(i, i + 1)
    printed, source_word = q.slice(quote), s.slice(original)
    if printed == source_word:
        return
    repaired = repair(printed).text
    if repaired == source_word:
        kind, category, why = VariantKind.MOJIBAKE, Category.TYPOGRAPHY, f"\u201c{printed}\u201d is mojibake for \u201c{source_word}\u201d"
    elif fold_typography(repaired) == fold_typography(source_word):
        glyphs = set(DOUBLE_QUOTES + SINGLE_QUOTES)
        kind = VariantKind.QUOTE_GLYPH if glyphs & (set(repaired) | set(source_word)) else VariantKind.COMPATIBILITY
        category, why = Category.TYPOGRAPHY, f"the same word in another glyph: \u201c{printed}\u201d for \u201c{source_word}\u201d"
    elif "[" in printed:
        kind, category = VariantKind.BRACKET_REPLACEMENT, Category.COSMETIC
        why = f"\u201c{printed}\u201d marks a change of case in brackets (the source has \u201c{source_word}\u201d)"
    elif fold_typography(repaired).casefold() == fold_typography(source_word).casefold():
        kind, category, why = VariantKind.CASE, Category.COSMETIC, f"case differs: \u201c{printed}\u201d for \u201c{source_word}\u201d"
    else:
        kind, category, why = (
            VariantKind.COMPATIBILITY,
            Category.TYPOGRAPHY,
            f"the same word in another form: \u201c{printed}\u201d for \u201c{source_word}\u201d",
        )
    out.append(Variant(kind, category, quote, original, printed, source_word, why))


def _separator_pair(i: int, j: int, q: _Side, s: _Side, separator: Callable[[int], str | None], out: list[Variant]) -> None:
    """Compares what stands between quotation words j, j+1 and source words i, i+1."""
    printed_sep = separator(j)
    quote = (q.tokens[j].end, q.tokens[j + 1].start)
    original = (s.tokens[i].end, s.tokens[i + 1].start)
    source_sep = s.slice(original)
    if printed_sep is None:  # a paragraph break of the quotation
        printed_sep = "\n\n"
    if printed_sep == source_sep:
        return
    shown = q.slice(quote)
    folded_q, folded_s = fold_separator(printed_sep), fold_separator(source_sep)
    if folded_q == folded_s:
        both = printed_sep + source_sep
        if any(c in DASHES or c == "-" for c in both):
            kind, why = VariantKind.DASH_GLYPH, "another dash glyph or dash spacing"
        elif any(c in DOUBLE_QUOTES + SINGLE_QUOTES for c in both):
            kind, why = VariantKind.QUOTE_GLYPH, "another quotation-mark glyph"
        elif shown != printed_sep and printed_sep.strip() and repair(shown).text == printed_sep:
            kind, why = VariantKind.MOJIBAKE, "mojibake of the same punctuation"
        else:
            kind, why = VariantKind.WHITESPACE, "other whitespace (a no-break space, a line break or a double space)"
        out.append(Variant(kind, Category.TYPOGRAPHY, quote, original, shown, source_sep, why))
        return
    words = f"{q.slice((q.tokens[j].start, q.tokens[j + 1].end))}"
    source_words = f"{s.slice((s.tokens[i].start, s.tokens[i + 1].end))}"
    if {folded_q, folded_s} <= {" ", "-", ""}:
        how = "hyphenated" if folded_q == "-" else "not hyphenated" if folded_s == "-" else "spaced differently"
        why = f"\u201c{words}\u201d is {how} where the source has \u201c{source_words}\u201d"
        out.append(Variant(VariantKind.HYPHENATION, Category.COSMETIC, quote, original, shown, source_sep, why))
        return
    why = f"punctuation differs: \u201c{words}\u201d where the source has \u201c{source_words}\u201d"
    out.append(Variant(VariantKind.PUNCTUATION, Category.COSMETIC, quote, original, shown, source_sep, why))


def _clip(text: str, most: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[: most // 2] + " \u2026 " + flat[-most // 2 :]


def _hidden(keys: Sequence[str]) -> tuple[str, ...]:
    return tuple(k for k in keys if is_negation(k) or is_number(k) or is_qualifier(k))


def _describe(words: Sequence[str]) -> str:
    kinds = []
    if any(is_negation(w) for w in words):
        kinds.append("a negation")
    if any(is_number(w) for w in words):
        kinds.append("a number")
    if any(is_qualifier(w) for w in words):
        kinds.append("a qualifier")
    return " and ".join(kinds)


def _mark(op: Opcode, q: _Side, s: _Side, out: list[Variant], *, edge: bool) -> None:
    token = q.tokens[op.j1]
    quote = (token.start, token.end)
    original = s.span(op.i1, op.i2)
    printed, source_text = q.slice(quote), s.slice(original)
    left_out = [t.key for t in s.tokens[op.i1 : op.i2] if t.kind is TokenKind.WORD]
    if token.kind is TokenKind.SIC:
        out.append(
            Variant(VariantKind.SIC, Category.COSMETIC, quote, original, printed, "", "[sic] marks the source's own wording, kept as it is")
        )
        return
    if token.kind is TokenKind.ELLIPSIS:
        if not left_out:
            if edge:
                why = "an ellipsis at the edge of the quotation: nothing inside it is left out"
                out.append(Variant(VariantKind.ELLIPSIS, Category.TYPOGRAPHY, quote, original, printed, "", why))
            elif "..." not in fold_typography(
                s.slice((s.tokens[op.i1 - 1].end, s.tokens[op.i1].start)) if 0 < op.i1 < len(s.tokens) else ""
            ):
                why = "an ellipsis where the source leaves nothing out"
                out.append(Variant(VariantKind.ELLIPSIS, Category.COSMETIC, quote, original, printed, "", why))
            return
        hidden = _hidden(left_out)
        if hidden:
            why = f"the ellipsis hides {_describe(hidden)}: it leaves out \u201c{source_text}\u201d"
            out.append(Variant(VariantKind.ELLIPSIS, Category.SUBSTANTIVE, quote, original, printed, source_text, why, hidden))
        else:
            why = f"the ellipsis leaves out {len(left_out)} word{'s' if len(left_out) != 1 else ''}: \u201c{source_text}\u201d"
            out.append(Variant(VariantKind.ELLIPSIS, Category.EDITORIAL, quote, original, printed, source_text, why))
        return
    inside = token.words
    if not left_out:
        added = _hidden(inside)
        category = Category.SUBSTANTIVE if any(is_negation(w) or is_number(w) for w in inside) else Category.EDITORIAL
        why = f"{printed} is added by the article; the source has no words here"
        if category is Category.SUBSTANTIVE:
            why += f", and it adds {_describe(added)}"
        out.append(
            Variant(
                VariantKind.BRACKET_INSERTION,
                category,
                quote,
                original,
                printed,
                "",
                why,
                added if category is Category.SUBSTANTIVE else (),
            )
        )
        return
    if list(inside) == left_out:
        why = f"{printed} stands for the source's same words \u201c{source_text}\u201d"
        out.append(Variant(VariantKind.BRACKET_REPLACEMENT, Category.COSMETIC, quote, original, printed, source_text, why))
        return
    lost = tuple(w for w in _hidden(left_out) if (is_negation(w) or is_number(w)) and w not in inside)
    gained = tuple(w for w in inside if (is_negation(w) or is_number(w)) and w not in left_out)
    if lost or gained:
        why = f"{printed} replaces \u201c{source_text}\u201d and changes {_describe(lost + gained)}"
        out.append(
            Variant(VariantKind.BRACKET_REPLACEMENT, Category.SUBSTANTIVE, quote, original, printed, source_text, why, lost + gained)
        )
        return
    why = f"{printed} stands for the source's \u201c{source_text}\u201d"
    out.append(Variant(VariantKind.BRACKET_REPLACEMENT, Category.EDITORIAL, quote, original, printed, source_text, why))


def _words(op: Opcode, q: _Side, s: _Side, out: list[Variant], moved_source: set[int], moved_quote: set[int]) -> None:
    """Unmarked word changes, less the words that only moved."""
    src = [i for i in range(op.i1, op.i2) if i not in moved_source]
    qt = [j for j in range(op.j1, op.j2) if j not in moved_quote]
    if not src and not qt:
        return
    quote = q.span(qt[0], qt[-1] + 1) if qt else q.span(op.j1, op.j1)
    original = s.span(src[0], src[-1] + 1) if src else s.span(op.i1, op.i1)
    printed, source_text = q.slice(quote), s.slice(original)
    qkeys = [q.tokens[j].key for j in qt]
    skeys = [s.tokens[i].key for i in src]
    if qt and src:
        if "".join(qkeys) == "".join(skeys):
            why = f"compounded differently: \u201c{printed}\u201d for \u201c{source_text}\u201d"
            out.append(Variant(VariantKind.HYPHENATION, Category.COSMETIC, quote, original, printed, source_text, why))
            return
        if len(qkeys) == len(skeys) == 1 and _spelling_variant(qkeys[0], skeys[0]):
            why = f"a spelling variant: \u201c{printed}\u201d for \u201c{source_text}\u201d"
            out.append(Variant(VariantKind.SPELLING, Category.COSMETIC, quote, original, printed, source_text, why))
            return
        why = f"\u201c{printed}\u201d is printed where the source says \u201c{source_text}\u201d"
        kind = VariantKind.SUBSTITUTION
    elif qt:
        why = f"\u201c{printed}\u201d is not in the source"
        kind = VariantKind.INSERTION
    elif s.source is not None and is_splice(Opcode("delete", src[0], src[-1] + 1, op.j1, op.j1), s.source):
        words = len(src)
        why = f"joins passages {words} word{'s' if words != 1 else ''} apart with no ellipsis, leaving out \u201c{_clip(source_text)}\u201d"
        kind = VariantKind.SPLICE
    else:
        if len(src) == op.i2 - op.i1 and op.i1 > 0 and op.i2 < len(s.tokens) and 0 < op.j1 < len(q.tokens):
            # An aside left out with the marks that set it off, when the quotation keeps neither of them:
            # "-- and only one --", not "and only one".
            before, after = _between_words(s, op.i1 - 1, op.i1), _between_words(s, op.i2 - 1, op.i2)
            kept = _between_words(q, op.j1 - 1, op.j1)
            if before[0] < before[1] and after[0] < after[1] and kept[0] == kept[1]:
                original = (before[0], after[1])
                source_text = s.slice(original)
        why = f"the source's \u201c{source_text}\u201d is left out, with no ellipsis"
        kind = VariantKind.DELETION
    amounts = None
    # A number left out or put in is never the same amount restyled, whatever repeats around it ("one -- and only
    # one --" printed "one"); a unit word may be ("1 per cent" for "1%").
    restyles = bool(qkeys and skeys) or not any(is_number(k) and k not in AMOUNT_WORDS for k in (*skeys, *qkeys))
    if restyles and any(is_number(k) or k in AMOUNT_WORDS for k in (*skeys, *qkeys)):
        amounts = compare_amounts(q.text, _region(q, qt, op.j1), s.text, _region(s, src, op.i1))
        if amounts is not None and amounts[0]:
            why = f"the same amount written another way: \u201c{amounts[1]}\u201d for \u201c{amounts[2]}\u201d"
            out.append(Variant(VariantKind.NUMBER_STYLE, Category.COSMETIC, quote, original, printed, source_text, why))
            return
    changed = tuple(k for k in (*skeys, *qkeys) if is_negation(k) or is_number(k) or k in AMOUNT_WORDS)
    if _is_contraction(qkeys, skeys) or _is_contraction(skeys, qkeys):
        why += " (a contraction: the meaning is kept, the words are not)"
        changed = ()
    elif any(is_negation(k) for k in changed) and _negations(skeys) != _negations(qkeys):
        why += " (a negation changes)"
    elif amounts is not None and (amounts[1], amounts[2]) != (printed, source_text):
        why += f" (an amount changes: \u201c{amounts[1]}\u201d for \u201c{amounts[2]}\u201d)"
    elif amounts is not None or (
        any(is_number(k) for k in changed) and sorted(filter(is_number, skeys)) != sorted(filter(is_number, qkeys))
    ):
        why += " (a number changes)"
    else:
        changed = ()
    out.append(Variant(kind, Category.SUBSTANTIVE, quote, original, printed, source_text, why, changed))


def _between_words(side: _Side, before: int, after: int) -> tuple[int, int]:
    """The characters between tokens `before` and `after`, less the whitespace at either end."""
    start, end = side.tokens[before].end, side.tokens[after].start
    stretch = side.text[start:end]
    if not stretch.strip():
        return start, start
    return start + len(stretch) - len(stretch.lstrip()), end - len(stretch) + len(stretch.rstrip())


def _region(side: _Side, indices: list[int], at: int) -> tuple[int, int]:
    """The characters of the tokens at `indices`; when there are none, the gap between token `at - 1` and token `at`."""
    if indices:
        return side.span(indices[0], indices[-1] + 1)
    end = side.span(at, at)[0]
    return (side.tokens[at - 1].end if at > 0 else end), end


_TRAILING_PUNCT = regex.compile(r"[^\s\p{L}\p{N}]*")


def _edges(alignment: Alignment, q: _Side, s: _Side, quote_span: tuple[int, int], out: list[Variant]) -> None:
    """The punctuation after the last word: a full stop printed as a comma before "he said"."""
    words = [t for t in q.tokens if t.kind is TokenKind.WORD]
    if not words or q.tokens[-1].kind is not TokenKind.WORD:
        return
    printed = q.text[words[-1].end : quote_span[1]]
    following = _TRAILING_PUNCT.match(s.text, alignment.end)
    original = following.group() if following else ""
    if printed == original:
        return
    quote = (words[-1].end, quote_span[1])
    source = (alignment.end, alignment.end + len(original))
    why = f"the closing punctuation differs: \u201c{printed or ' '}\u201d for \u201c{original or ' '}\u201d, as quotations allow"
    out.append(Variant(VariantKind.FINAL_PUNCTUATION, Category.TYPOGRAPHY, quote, source, printed, original, why))


_MERGEABLE = {
    VariantKind.CASE: "case differs",
    VariantKind.QUOTE_GLYPH: "other quotation-mark or apostrophe glyphs",
    VariantKind.WHITESPACE: "other whitespace",
    VariantKind.DASH_GLYPH: "other dash glyphs",
}


def _merge_runs(variants: list[Variant], q: _Side, s: _Side) -> list[Variant]:
    """Joins neighbouring variants of one kind ("Principles of Trust and Transparency" lower-cased) into one."""
    out: list[Variant] = []
    for v in variants:
        last = out[-1] if out else None
        if (
            last is not None
            and v.kind is last.kind
            and v.kind in _MERGEABLE
            and 0 <= v.quote[0] - last.quote[1] <= 12
            and 0 <= v.source[0] - last.source[1] <= 12
        ):
            quote = (last.quote[0], v.quote[1])
            source = (last.source[0], v.source[1])
            printed, original = q.slice(quote), s.slice(source)
            why = f"{_MERGEABLE[v.kind]}: \u201c{printed}\u201d for \u201c{original}\u201d"
            out[-1] = attrs.evolve(last, quote=quote, source=source, printed=printed, original=original, why=why)
            continue
        out.append(v)
    return out
