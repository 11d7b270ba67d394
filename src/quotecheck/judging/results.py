"""The result values: what checking a quotation, an article or a batch gives back.

Verdicts, from best to worst (see the README for the full definitions):
`exact`, `cosmetic`, `editorial`, `altered`, `paraphrase`, `unsourced`.

The values import no renderer: their display methods (`diff()`,
`_repr_html_`, `_repr_markdown_`) reach `quotecheck.rendering` by an import
inside the method, and the renderers import these values.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

import attrs

from quotecheck.errors import MissingExtra
from quotecheck.matching.classify import Category, Variant
from quotecheck.reading.extract import QuoteKind

if TYPE_CHECKING:
    from quotecheck.rendering._diff import WordDiff

__all__ = [
    "DEFAULT_FAIL_ON",
    "FRAME_COLUMNS",
    "ArticleCheck",
    "Finding",
    "Flag",
    "QuoteCheck",
    "Report",
    "SourceMatch",
    "Verdict",
    "frame_rows",
]


class Verdict(enum.StrEnum):
    """What a fact-checker can say of a quotation, best first.

    A verdict is its string (`Verdict.ALTERED == "altered"`) and verdicts are
    ordered best to worst, as `logging` levels are, so "altered or worse" is
    `verdict >= Verdict.ALTERED`. A plain string that names a verdict compares
    as that verdict; any other string is a `ValueError`, never an
    alphabetical comparison.

    >>> Verdict.EXACT < Verdict.ALTERED <= "paraphrase"
    True
    >>> sorted([Verdict.UNSOURCED, Verdict.EXACT, Verdict.ALTERED])
    [<Verdict.EXACT: 'exact'>, <Verdict.ALTERED: 'altered'>, <Verdict.UNSOURCED: 'unsourced'>]
    """

    EXACT = "exact"
    COSMETIC = "cosmetic"
    EDITORIAL = "editorial"
    ALTERED = "altered"
    PARAPHRASE = "paraphrase"
    UNSOURCED = "unsourced"

    @property
    def rank(self) -> int:
        """0 for `exact` up to 5 for `unsourced`: the verdict's place, best first."""
        return _VERDICT_RANK[self]

    def _other_rank(self, other: object) -> int | None:
        if isinstance(other, Verdict):
            return other.rank
        if isinstance(other, str):
            return Verdict(other).rank  # a ValueError for a string that is no verdict
        return None

    def __lt__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank < rank

    def __le__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank <= rank

    def __gt__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank > rank

    def __ge__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank >= rank


_VERDICT_RANK = {verdict: rank for rank, verdict in enumerate(Verdict)}

DEFAULT_FAIL_ON = frozenset({Verdict.ALTERED, Verdict.PARAPHRASE})
"""The verdicts that fail a check unless told otherwise (`quotecheck check` exits 1 on them)."""



class Flag(enum.StrEnum):
    """Findings that qualify a verdict."""

    SHORT = "short"  # three words or fewer: a match proves little
    MISATTRIBUTED = "misattributed"  # the article names a speaker other than the passage's
    UNCONFIRMED_SPEAKER = "unconfirmed_speaker"  # the article names a person the registry does not know for these words
    SOURCE_INCOMPLETE = "source_incomplete"  # attributed to a partial source's speaker, not in the part held
    SHARED_PHRASE = "shared_phrase"  # unsourced: its one link to a passage is a phrase they share
    AMBIGUOUS = "ambiguous"  # fits several passages equally well
    NEGATION_CHANGED = "negation_changed"
    NUMBER_CHANGED = "number_changed"
    ELISION_HIDES_NEGATION = "elision_hides_negation"
    ELISION_HIDES_NUMBER = "elision_hides_number"
    ELISION_HIDES_QUALIFIER = "elision_hides_qualifier"
    ELISION_CROSSES_SPEAKER = "elision_crosses_speaker"  # an ellipsis joins words of two speakers
    BRACKET_CHANGES_REFERENT = "bracket_changes_referent"  # [Amazon] for "we"
    SPLICED = "spliced"  # joins passages that are not adjacent, with no ellipsis
    REORDERED = "reordered"
    OTHER_LANGUAGE = "other_language"  # not in the sources' language: cannot be checked word by word
    UNBALANCED = "unbalanced"  # the closing quotation mark is missing
    TOO_LONG = "too_long"  # more words than Config.max_quote_words: not aligned


@attrs.frozen
class Finding:
    """A flag, why it was raised, and the spans that prove it.

    Attributes:
        flag: the finding.
        why: one sentence for a reader.
        quote: the span of the article it concerns, if any.
        source: the span of the source text it concerns, if any.
    """

    flag: Flag
    why: str
    quote: tuple[int, int] | None = None
    source: tuple[int, int] | None = None


@attrs.frozen
class SourceMatch:
    """Where in the registry a quotation's words come from.

    Attributes:
        id: the source's id.
        speaker: who speaks these words: the source's speaker, or the speaker
            of a quotation embedded in it.
        paragraph: the 1-based number of the source paragraph the passage starts in.
        start: offset of the passage in the source text.
        end: offset after it.
        text: the passage, as the source has it.
        url: the source's URL, for citing.
        others: other passages the quotation fits equally well, as
            `(source id, start, end)`: the first 20 (`align.MAX_OTHERS`).
        others_count: how many other passages it fits equally well in all.
        page: the 1-based PDF page the passage starts on, for a PDF source.
        time: for a transcript, when the cue the passage starts in begins, in seconds.
        end_time: for a transcript, when the cue it ends in ends, in seconds.
        link: an address that opens the source at the passage (see `Source.link`), or None without a URL.
    """

    id: str
    speaker: str | None
    paragraph: int | None
    start: int
    end: int
    text: str
    url: str | None = None
    others: tuple[tuple[str, int, int], ...] = ()
    others_count: int = 0
    page: int | None = None
    time: float | None = None
    end_time: float | None = None
    link: str | None = None


@attrs.frozen
class QuoteCheck:
    """A quotation, where it comes from, what changed and the verdict.

    Attributes:
        start: offset of the quotation in the article, marks excluded.
        end: offset after it.
        text: the quotation as printed (`article[start:end]`).
        kind: quotation, blockquote or reuse.
        attributed_to: the speaker the article names, as printed.
        speaker: the registry speaker that name resolves to, if any.
        verdict: see `Verdict`.
        flags: see `Flag`.
        score: similarity to the passage, in [0.0, 1.0]; 0.0 when unsourced.
        source: the passage, or None when unsourced.
        variants: every difference from the passage, in article order.
        findings: each flag with its reason and the spans that prove it.
        tag: for a `<q>` or `<blockquote>` of an HTML article, the span of the
            element in the HTML (`start` and `end` index the extracted text).
    """

    start: int
    end: int
    text: str
    kind: QuoteKind
    attributed_to: str | None
    speaker: str | None
    verdict: Verdict
    flags: tuple[Flag, ...]
    score: float
    source: SourceMatch | None
    variants: tuple[Variant, ...] = ()
    findings: tuple[Finding, ...] = ()
    tag: tuple[int, int] | None = None

    def _head(self) -> dict[str, Any]:
        """The fields a record and the JSON object share, in their order."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind.value,
            "attributed_to": self.attributed_to,
            "speaker": self.speaker,
            "verdict": self.verdict.value,
        }

    def to_record(self) -> dict[str, Any]:
        """The quotation as one flat dict (every value a str, int, float, bool or None), for tables."""
        src = self.source
        changes = [v for v in self.variants if v.category is not Category.TYPOGRAPHY]
        return {
            **self._head(),
            "flags": ",".join(f.value for f in self.flags),
            "score": round(self.score, 4),
            "source_id": src.id if src else None,
            "source_speaker": src.speaker if src else None,
            "source_paragraph": src.paragraph if src else None,
            "source_start": src.start if src else None,
            "source_end": src.end if src else None,
            "source_text": src.text if src else None,
            "source_url": src.url if src else None,
            "source_page": src.page if src else None,
            "source_time": src.time if src else None,
            "source_link": src.link if src else None,
            "misattributed": Flag.MISATTRIBUTED in self.flags,
            "changes": len(changes),
            "why": "; ".join(v.why for v in changes),
        }

    def to_dict(self) -> dict[str, Any]:
        """The QUOTE object of the JSON schema."""
        source = None
        if self.source is not None:
            source = {
                "id": self.source.id,
                "speaker": self.source.speaker,
                "paragraph": self.source.paragraph,
                "start": self.source.start,
                "end": self.source.end,
                "text": self.source.text,
                "url": self.source.url,
                "others": [{"id": i, "start": s, "end": e} for i, s, e in self.source.others],
                "others_count": self.source.others_count,
                "page": self.source.page,
                "time": self.source.time,
                "end_time": self.source.end_time,
                "link": self.source.link,
            }
        return {
            **self._head(),
            "flags": [f.value for f in self.flags],
            "score": round(self.score, 4),
            "source": source,
            "variants": [v.to_dict() for v in self.variants],
            "findings": [
                {
                    "flag": f.flag.value,
                    "why": f.why,
                    "quote": list(f.quote) if f.quote else None,
                    "source": list(f.source) if f.source else None,
                }
                for f in self.findings
            ],
            "tag": list(self.tag) if self.tag is not None else None,
        }

    def diff(self) -> WordDiff:
        """The quotation as printed, cut into unchanged stretches and changes from its source.

        Notebooks show it with `<del>` and `<ins>`; `str()` gives a wdiff-style line.
        """
        from quotecheck.rendering._diff import word_diff  # noqa: PLC0415 (the diff module draws on this one)

        return word_diff(self)

    def _repr_html_(self) -> str:
        from quotecheck.rendering.report import quote_html  # noqa: PLC0415 (report draws on this module)

        return quote_html(self)

    def _repr_markdown_(self) -> str:
        from quotecheck.rendering.report import quote_markdown  # noqa: PLC0415 (report draws on this module)

        return quote_markdown(self)


@attrs.frozen(repr=False)
class ArticleCheck:
    """The quotations of one article, or the error that kept it from being checked.

    Its repr counts the quotations: `ArticleCheck('a.txt', 5 quotations)`.
    """

    path: str | None
    quotes: tuple[QuoteCheck, ...] = ()
    error: str | None = None

    def __repr__(self) -> str:
        if self.error is not None:
            return f"ArticleCheck({self.path!r}, error={self.error!r})"
        return f"ArticleCheck({self.path!r}, {len(self.quotes)} quotation{'s' if len(self.quotes) != 1 else ''})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The short repr for IPython's and Hypothesis's pretty printers, which would otherwise list every field."""
        printer.text(repr(self))

    def to_dict(self) -> dict[str, Any]:
        """One entry of the JSON document's `articles`."""
        return {"path": self.path, "error": self.error, "quotes": [q.to_dict() for q in self.quotes]}


@attrs.frozen(repr=False)
class Report:
    """The result of checking one or more articles.

    Its repr counts articles and verdicts: `Report(5 articles, 29 quotations: 16 exact, 2 altered)`.
    """

    articles: tuple[ArticleCheck, ...]

    def __repr__(self) -> str:
        total, articles = len(self.quotes), len(self.articles)
        counts = ", ".join(f"{n} {verdict}" for verdict, n in self.counts().items() if n)
        errors = sum(1 for a in self.articles if a.error is not None)
        failed = f", {errors} unreadable" if errors else ""
        return (
            f"Report({articles} article{'s' if articles != 1 else ''}{failed}, "
            f"{total} quotation{'s' if total != 1 else ''}{': ' + counts if counts else ''})"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The short repr for IPython's and Hypothesis's pretty printers, which would otherwise list every field."""
        printer.text(repr(self))

    @property
    def quotes(self) -> tuple[QuoteCheck, ...]:
        """Every quotation of every article, in order."""
        return tuple(q for a in self.articles for q in a.quotes)

    def counts(self) -> dict[Verdict, int]:
        """How many quotations got each verdict (every verdict present, best first)."""
        counts = dict.fromkeys(Verdict, 0)
        for quote in self.quotes:
            counts[quote.verdict] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The JSON document: `{"articles": [...]}`."""
        return {"articles": [a.to_dict() for a in self.articles]}

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per quotation (every value a str, int, float, bool or None), for tables.

        Keys: `article`, `start`, `end`, `text`, `kind`, `attributed_to`,
        `speaker`, `verdict`, `flags` (comma-separated), `score`, `source_id`,
        `source_speaker`, `source_paragraph`, `source_start`, `source_end`,
        `source_text`, `source_url`, `source_page`, `source_time`, `source_link`,
        `misattributed`, `changes` (variants other
        than typography) and `why` (their explanations, joined by "; ").
        """
        return [{"article": article.path, **quote.to_record()} for article in self.articles for quote in article.quotes]

    def to_pandas(self) -> Any:
        """The report as a pandas DataFrame: one row per quotation, and one per article that could not be checked.

        The columns and dtypes are `FRAME_COLUMNS`, the same as
        `quotecheck.frame.check_frame`'s, so the two concatenate: `article_id`
        is the article's path, `date` and `outlet` are null, offsets are
        nullable integers (`Int64`, never `15.0`), and an unreadable article
        is a row with `error` set and null quotation columns.

        Raises:
            MissingExtra: pandas is not installed (`pip install 'quotecheck[pandas]'`).
        """
        try:
            import pandas as pd  # noqa: PLC0415 (an optional extra)
        except ImportError:
            raise MissingExtra("Report.to_pandas() needs pandas: pip install 'quotecheck[pandas]'") from None
        rows = [row for article in self.articles for row in frame_rows(article, article_id=article.path)]
        if not rows:
            return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in FRAME_COLUMNS.items()})
        return pd.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS)).astype(FRAME_COLUMNS)

    def _repr_html_(self) -> str:
        from quotecheck.rendering.report import report_html  # noqa: PLC0415 (report draws on this module)

        return report_html(self)

    def _repr_markdown_(self) -> str:
        from quotecheck.rendering.report import render_markdown  # noqa: PLC0415 (report draws on this module)

        return render_markdown(self)


FRAME_COLUMNS: dict[str, str] = {
    "article_id": "string",  # the article's id (`quotecheck.frame`) or path (`Report.to_pandas`), as text
    "date": "string",  # the article's date, if given
    "outlet": "string",  # the article's outlet, if given
    "start": "Int64",  # offsets of the quotation in the article's text, marks excluded
    "end": "Int64",
    "text": "string",  # the quotation as printed
    "kind": "string",  # quotation, blockquote, reuse or term
    "attributed_to": "string",  # the speaker the article names, as printed
    "speaker": "string",  # the registry speaker that name resolves to
    "verdict": "string",  # exact, cosmetic, editorial, altered, paraphrase, unsourced
    "flags": "string",  # the flags, comma-separated, in the order of `quotecheck.Flag`
    "score": "Float64",  # 0.0 to 1.0
    "source_id": "string",  # the passage's source, null when unsourced
    "source_speaker": "string",  # who speaks the passage
    "source_paragraph": "Int64",
    "source_start": "Int64",  # offsets of the passage in the source's text
    "source_end": "Int64",
    "source_text": "string",  # the passage
    "source_url": "string",
    "misattributed": "boolean",
    "variants": "Int64",  # how many differences from the passage, typography included
    "changes": "Int64",  # ... and how many of them are not typography
    "why": "string",  # the changes in words, joined by "; "
    "error": "string",  # why the article could not be checked (its other quotation columns are then null)
}
"""The columns of every DataFrame quotecheck makes (`Report.to_pandas`, `quotecheck.frame.check_frame`), with
their pandas dtypes, in order: nullable ones, so offsets stay integers and an error row holds nulls."""


def frame_rows(
    article: ArticleCheck, *, article_id: str | None, date: str | None = None, outlet: str | None = None
) -> list[dict[str, Any]]:
    """An article's rows of `FRAME_COLUMNS`: one per quotation, or one holding its error.

    Args:
        article: the checked article.
        article_id: what names it in the `article_id` column.
        date: its date, if known.
        outlet: its outlet, if known.
    """
    base = {"article_id": article_id, "date": date, "outlet": outlet}
    rows: list[dict[str, Any]] = []
    if article.error is not None:
        rows.append({**base, "error": article.error})
    for quote in article.quotes:
        record = quote.to_record()
        rows.append({**base, **{name: record[name] for name in FRAME_COLUMNS if name in record}, "variants": len(quote.variants)})
    return rows
