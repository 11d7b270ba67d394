"""Thresholds and switches, in one frozen place."""

from __future__ import annotations

from typing import Any

import attrs

from quotecheck.errors import InvalidArgument

__all__ = ["DEFAULT_CONFIG", "INPUT_FORMATS", "Config"]


def _unit_interval(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise InvalidArgument(f"{attribute.name}={value!r} must be between 0.0 and 1.0")


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise InvalidArgument(f"{attribute.name}={value!r} must be at least 1")


INPUT_FORMATS = ("auto", "text", "html")
"""How an article is read: `Config.input_format`."""


def _input_format(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in INPUT_FORMATS:
        raise InvalidArgument(f"{attribute.name}={value!r} must be one of {', '.join(INPUT_FORMATS)}")


@attrs.frozen(repr=False)
class Config:
    """Every threshold quotecheck uses, with the reason for its default.

    Scores are Dice coefficients over words: twice the number of words the
    quotation and its passage share, in order, over the sum of their word
    counts (words inside [brackets] and source words behind an ellipsis do
    not count). 1.0 means the same words.

    Attributes:
        altered_min_score: a quotation whose best passage scores at least this
            is a quotation of that passage (`altered` if words changed); the
            default 0.6 keeps "six words, two changed" a misquote.
        paraphrase_min_score: between this and `altered_min_score` a quotation
            is a `paraphrase` if it also shares `paraphrase_min_content_words`
            content words with the passage; below it, `unsourced`.
        paraphrase_min_reworded: a quotation whose content words (not stop words)
            are reworded in at least this share is a `paraphrase`, even above
            `altered_min_score`: "mostly reworded" rather than "a few words changed".
        paraphrase_min_reworded_words: ... and in at least this many words, so
            that one changed word in a short quotation stays `altered`.
        paraphrase_min_content_words: content words (not stop words) that a
            paraphrase must share with its passage, so that a sentence sharing
            only "the", "of" and "and" with a source is not a paraphrase of it.
        min_fuzzy_words: a quotation with fewer words must match a passage
            word for word (case, punctuation and hyphens aside) to be sourced;
            short strings match somewhere by chance far too easily.
        short_words: a quotation of at most this many words gets flag `short`.
        max_bracket_words: the most source words one [bracketed] replacement
            may stand for.
        min_reuse_words: prose (outside quotation marks) is reported as reuse of a
            source when it shares this many consecutive words with it; shorter
            runs are the common phrases any two texts on a subject share.
        min_reuse_content_words: of those, how many must be content words.
        min_splice_words: words at either end of a quotation that its passage
            lacks are read as a second passage joined with no ellipsis (flag
            `spliced`) when there are at least this many and they match one.
        max_quote_words: a quotation with more words is not aligned (reported
            with flag `too_long`), so one huge quotation cannot stall a batch.
        max_article_chars: an article longer than this is rejected with an
            error rather than checked.
        copy_max_share: in a corpus, a changed reading shared by several
            articles is evidence that they copied one another only while it
            is rare: printed by at most this share of the articles that quote
            the source at that place (two articles always qualify). A reading
            most of the press prints more likely comes from the words as
            delivered, or a version of the source the registry lacks, than
            from one outlet copying another.
        max_source_chars: a registry source longer than this is rejected
            with an error naming the file: indexing a source takes about
            40 bytes of memory per character, so the default (20 million
            characters, a few thousand pages) keeps a registry under 1 GB.
        input_format: how an article is read: `auto` (HTML for an `.html`
            or `.htm` file, or text that looks like an HTML document or
            fragment; otherwise plain text), `html` or `text`, whatever its
            name and look (for standard input, and pages saved without a suffix).
    """

    altered_min_score: float = attrs.field(default=0.6, validator=_unit_interval)
    paraphrase_min_score: float = attrs.field(default=0.3, validator=_unit_interval)
    paraphrase_min_reworded: float = attrs.field(default=0.34, validator=_unit_interval)
    paraphrase_min_reworded_words: int = attrs.field(default=3, validator=_positive)
    paraphrase_min_content_words: int = attrs.field(default=4, validator=_positive)
    min_fuzzy_words: int = attrs.field(default=5, validator=_positive)
    short_words: int = attrs.field(default=3, validator=_positive)
    max_bracket_words: int = attrs.field(default=6, validator=_positive)
    min_reuse_words: int = attrs.field(default=8, validator=_positive)
    min_reuse_content_words: int = attrs.field(default=4, validator=_positive)
    min_splice_words: int = attrs.field(default=4, validator=_positive)
    max_quote_words: int = attrs.field(default=3000, validator=_positive)
    max_article_chars: int = attrs.field(default=50_000_000, validator=_positive)
    copy_max_share: float = attrs.field(default=0.5, validator=_unit_interval)
    max_source_chars: int = attrs.field(default=20_000_000, validator=_positive)
    input_format: str = attrs.field(default="auto", validator=_input_format)

    def __repr__(self) -> str:
        """Only the thresholds that differ from the defaults, so `help()` and a notebook show one short line.

        >>> Config(), Config(max_quote_words=50)
        (Config(), Config(max_quote_words=50))
        """
        changed = [f"{a.name}={getattr(self, a.name)!r}" for a in attrs.fields(Config) if getattr(self, a.name) != a.default]
        return f"Config({', '.join(changed)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The short repr for IPython's and Hypothesis's pretty printers, which would otherwise list every field."""
        printer.text(repr(self))


DEFAULT_CONFIG = Config()
