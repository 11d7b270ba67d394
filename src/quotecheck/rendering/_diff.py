"""Word diffs: a checked quotation cut into unchanged stretches and changes from its source.

Computed from the quotation's variants alone, for the renderers in `report`
and `_html` and for notebooks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs
import regex

from quotecheck.judging.results import QuoteCheck, SourceMatch
from quotecheck.matching.classify import Category, VariantKind

__all__ = ["DiffPiece", "WordDiff", "clock", "place", "word_diff"]

# Control characters other than tab and newline: never obeyed in a terminal.
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@attrs.frozen
class DiffPiece:
    """One stretch of a word diff: unchanged text, or one change from the source.

    Attributes:
        tag: `equal`, `replace`, `insert` (words the source lacks) or `delete`
            (source words the quotation lacks), as in difflib.
        printed: the quotation's text of the stretch.
        original: the source's text of the stretch ("" for `equal`).
        category: how much the change matters (None for `equal`).
        kind: what kind of change it is (None for `equal`).
        why: the change in words ("" for `equal`).
    """

    tag: str
    printed: str
    original: str = ""
    category: Category | None = None
    kind: VariantKind | None = None
    why: str = ""

    @property
    def shows_original(self) -> bool:
        """Whether a display shows the source's text: not for a word that only moved, nor for bare whitespace
        (a hyphen printed for a space shows as the hyphen put in)."""
        return bool(self.original.strip()) and self.kind is not VariantKind.REORDERING


@attrs.frozen(repr=False)
class WordDiff:
    """A quotation as printed, cut into unchanged stretches and changes from its source.

    Typographic differences (quote glyphs, dashes, whitespace, closing
    punctuation) are left in the unchanged stretches: they are not changes a
    reader would call changes. `str()` gives a wdiff-style line, and notebooks
    show it with `<del>` and `<ins>`.
    """

    quote: QuoteCheck
    pieces: tuple[DiffPiece, ...]

    def __repr__(self) -> str:
        return f"WordDiff({str(self)!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The short repr for IPython's and Hypothesis's pretty printers."""
        printer.text(repr(self))

    def __str__(self) -> str:
        out = []
        for piece, space in self.spaced():
            if piece.tag == "equal":
                out.append(piece.printed)
                continue
            out.append((f"[-{piece.original}-]" if piece.shows_original else "") + (f"{{+{piece.printed}+}}" if piece.printed else ""))
            out.append(" " if space else "")
        return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", "".join(out))

    def spaced(self) -> Iterator[tuple[DiffPiece, bool]]:
        """Each piece, and whether a space must follow it when shown.

        A deletion between two words ("will [not] condone") has no printed
        text of its own, so the words around it need a space to stay apart.
        """
        for n, piece in enumerate(self.pieces):
            before = self.pieces[n - 1].printed if n else ""
            after = self.pieces[n + 1].printed if n + 1 < len(self.pieces) else ""
            space = piece.tag == "delete" and (not before or before[-1].isspace()) and bool(after) and not after[0].isspace()
            yield piece, space

    def _repr_html_(self) -> str:
        from quotecheck.rendering._html import diff_fragment  # noqa: PLC0415 (_html draws on this module)

        return diff_fragment(self)

    def _repr_markdown_(self) -> str:
        from quotecheck.rendering.report import markdown_diff  # noqa: PLC0415 (report draws on this module)

        return markdown_diff(self)


def word_diff(quote: QuoteCheck) -> WordDiff:
    """Cuts a checked quotation into unchanged stretches and its non-typographic changes.

    Joining the pieces' `printed` gives back `quote.text`.

    >>> from quotecheck import verify
    >>> diff = word_diff(verify("IBM firmly opposes and will condone uses of any technology"))
    >>> str(diff)
    'IBM firmly opposes and will [-not-] condone uses of any technology'
    """
    pieces: list[DiffPiece] = []
    pos = 0
    changes = sorted((v for v in quote.variants if v.category is not Category.TYPOGRAPHY), key=lambda v: (v.quote, v.source))
    for variant in changes:
        start = min(max(variant.quote[0] - quote.start, 0), len(quote.text))
        end = min(max(variant.quote[1] - quote.start, start), len(quote.text))
        if start < pos:  # overlaps a change already shown; its why is still listed with the quotation
            continue
        if start > pos:
            pieces.append(DiffPiece("equal", quote.text[pos:start]))
        printed = quote.text[start:end]
        tag = "replace" if printed and variant.original else "insert" if printed else "delete"
        pieces.append(DiffPiece(tag, printed, variant.original, variant.category, variant.kind, variant.why))
        pos = end
    if pos < len(quote.text):
        pieces.append(DiffPiece("equal", quote.text[pos:]))
    return WordDiff(quote, tuple(pieces))


def clock(seconds: float) -> str:
    """A time in a recording as people write it: `m:ss`, or `h:mm:ss` past an hour.

    >>> clock(75.4), clock(3723.0)
    ('1:15', '1:02:03')
    """
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def marked(
    diff: WordDiff, *, equal: Callable[[str], str], deleted: Callable[[DiffPiece], str], inserted: Callable[[DiffPiece], str]
) -> str:
    """A word diff marked up by a renderer: its unchanged words through `equal`, each change through `deleted` and `inserted`.

    `deleted` gets the pieces whose source words are shown struck, `inserted`
    those with printed words; a space follows a change where `WordDiff.spaced`
    says the words around it need one.
    """
    parts = []
    for piece, space in diff.spaced():
        if piece.tag == "equal":
            parts.append(equal(piece.printed))
            continue
        if piece.shows_original:
            parts.append(deleted(piece))
        if piece.printed:
            parts.append(inserted(piece))
        parts.append(" " if space else "")
    return "".join(parts)


def paragraph_sign(source: SourceMatch) -> str:
    """The passage's paragraph as ` ¶3`, or "" where the source has no paragraph numbers."""
    return f" \u00b6{source.paragraph}" if source.paragraph is not None else ""


def place(source: SourceMatch) -> str:
    """Where in its file a passage is, beyond the paragraph: `page 3`, `at 1:15-1:22`, or "" for plain text."""
    if source.page is not None:
        return f"page {source.page}"
    if source.time is not None:
        end = f"\u2013{clock(source.end_time)}" if source.end_time is not None and clock(source.end_time) != clock(source.time) else ""
        return f"at {clock(source.time)}{end}"
    return ""
