"""Rendering: reports as text for people and JSON for programs.

Pure functions from a `Report` to a string; nothing here prints.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Mapping
from typing import Protocol

import regex

from quotecheck._escape import dumps, visible
from quotecheck.judging.results import DEFAULT_FAIL_ON, ArticleCheck, Flag, QuoteCheck, Report, Verdict
from quotecheck.matching.classify import Category
from quotecheck.rendering import _html
from quotecheck.rendering._diff import DiffPiece, WordDiff, marked, paragraph_sign, place, word_diff
from quotecheck.sources.registry import Registry, Source
from quotecheck.text.normalize import TokenKind

__all__ = [
    "CSV_COLUMNS",
    "RENDERERS",
    "STREAM_WRITERS",
    "DiffPiece",
    "WordDiff",
    "markdown_diff",
    "quote_html",
    "quote_markdown",
    "render_csv",
    "render_github",
    "render_html",
    "render_json",
    "render_jsonl_article",
    "render_markdown",
    "render_quote_json",
    "render_sources_json",
    "render_sources_text",
    "render_text",
    "report_html",
    "text_diff",
    "word_diff",
]

_COLOURS = {
    Verdict.EXACT: "32",  # green
    Verdict.COSMETIC: "32",
    Verdict.EDITORIAL: "36",  # cyan
    Verdict.ALTERED: "31;1",  # bold red
    Verdict.PARAPHRASE: "33",  # yellow
    Verdict.UNSOURCED: "90",  # grey
}


def render_json(report: Report, *, colour: bool = False) -> str:
    """The JSON document `{"articles": [...]}`, deterministic for the same input.

    `colour` is accepted, and ignored, so that every renderer is called alike.
    """
    del colour
    return dumps(report.to_dict(), indent=2) + "\n"


def render_jsonl_article(article: ArticleCheck) -> str:
    """One line of JSON Lines: one article's entry of the JSON document."""
    return dumps(article.to_dict()) + "\n"


def render_quote_json(quote: QuoteCheck) -> str:
    """One QUOTE object as JSON (what `quotecheck verify --format json` prints)."""
    return dumps(quote.to_dict(), indent=2)


_SPACES = regex.compile(r"\s+")


def text_diff(diff: WordDiff, *, colour: bool = False) -> str:
    """A word diff on one line, wdiff style: source words struck as `[-not-]`, words put in as `{+made+}`.

    Control characters are shown as escapes and runs of whitespace as one
    space; with `colour`, struck words are red and words put in green, as in
    `git diff --color-words`, the markers kept for readers without colour.

    >>> from quotecheck import verify
    >>> text_diff(verify("IBM firmly opposes and will condone uses of any technology").diff())
    'IBM firmly opposes and will [-not-] condone uses of any technology'
    """
    red, green, off = ("\x1b[31m", "\x1b[32m", "\x1b[0m") if colour else ("", "", "")
    line = marked(
        diff,
        equal=lambda text: _SPACES.sub(" ", visible(text)),
        deleted=lambda piece: f"{red}[-{_SPACES.sub(' ', visible(piece.original))}-]{off}",
        inserted=lambda piece: f"{green}{{+{_SPACES.sub(' ', visible(piece.printed))}+}}{off}",
    )
    return line.strip()


def _one_line(text: str, width: int = 100) -> str:
    flat = " ".join(visible(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def render_text(report: Report, *, colour: bool = False, accepted: Collection[tuple[str | None, int, int]] = frozenset()) -> str:
    """A report a person reads: each quotation, its verdict, its source and its differences.

    Args:
        report: the report.
        colour: mark verdicts with ANSI colours (for a terminal).
        accepted: quotations a person reviewed and accepted, as `(article path, start, end)`
            (`quotecheck.review`): marked `(accepted)` and counted in the summary line.
    """

    def paint(text: str, verdict: Verdict) -> str:
        return f"\x1b[{_COLOURS[verdict]}m{text}\x1b[0m" if colour else text

    lines: list[str] = []
    for article in report.articles:
        lines.append(f"== {visible(article.path or '<text>')}")
        if article.error is not None:
            lines.append(f"   error: {visible(article.error)}")
            lines.append("")
            continue
        if not article.quotes:
            lines.append("   no quotations found")
        for quote in article.quotes:
            lines.extend(_quote_lines(quote, paint, colour=colour, accepted=(article.path, quote.start, quote.end) in accepted))
        lines.append("")
    counts = report.counts()
    total = sum(counts.values())
    summary = ", ".join(f"{n} {v.value}" for v, n in counts.items() if n)
    serious = _serious_findings(report)
    lines.append(
        f"{total} quotation{'s' if total != 1 else ''} in {len(report.articles)} article{'s' if len(report.articles) != 1 else ''}"
        + (f": {summary}" if summary else "")
        + (f"; {serious}" if serious else "")
        + (f"; {len(accepted)} accepted on review" if accepted else "")
    )
    return "\n".join(lines) + "\n"


# Findings a correction must mention, named in the summary line of every report.
SERIOUS_FLAGS = (
    Flag.NEGATION_CHANGED,
    Flag.NUMBER_CHANGED,
    Flag.ELISION_HIDES_NEGATION,
    Flag.ELISION_HIDES_NUMBER,
    Flag.MISATTRIBUTED,
    Flag.BRACKET_CHANGES_REFERENT,
    Flag.ELISION_CROSSES_SPEAKER,
    Flag.SPLICED,
)


def _serious_findings(report: Report) -> str:
    """ "1 negation changed, 2 misattributed": the serious findings of a report, counted."""
    counts = dict.fromkeys(SERIOUS_FLAGS, 0)
    for quote in report.quotes:
        for flag in quote.flags:
            if flag in counts:
                counts[flag] += 1
    return ", ".join(f"{n} {flag.value.replace('_', ' ')}" for flag, n in counts.items() if n)


def _quote_lines(quote: QuoteCheck, paint: Callable[[str, Verdict], str], *, colour: bool, accepted: bool = False) -> list[str]:
    flags = f" [{', '.join(f.value for f in quote.flags)}]" if quote.flags else ""
    who = f" \u2014 attributed to {visible(quote.attributed_to)}" if quote.attributed_to else ""
    mark = " (accepted)" if accepted else ""
    lines = [f"  {paint(quote.verdict.value.upper(), quote.verdict)}{mark}{flags} {quote.start}-{quote.end} {quote.kind.value}{who}"]
    lines.append(f"    \u201c{_one_line(quote.text)}\u201d")
    if quote.tag is not None:
        lines.append(f"    element: characters {quote.tag[0]}-{quote.tag[1]} of the HTML")
    if quote.source is not None:
        src = quote.source
        speaker = f", {visible(src.speaker)}" if src.speaker else ""
        where = f", {place(src)}" if place(src) else ""
        lines.append(f"    source: {visible(src.id)} \u00b6{src.paragraph}{where} {src.start}-{src.end}{speaker} (score {quote.score:.2f})")
        if src.link:
            lines.append(f"    link: {visible(src.link)}")
        if Flag.MISATTRIBUTED in quote.flags:
            lines.append(
                f"    misattributed: these are the words of {visible(src.speaker or src.id)}, not of {visible(quote.attributed_to or '')}"
            )
        diff = word_diff(quote)
        if any(piece.tag != "equal" for piece in diff.pieces):
            lines.append(f"    diff: {text_diff(diff, colour=colour)}")
    for variant in quote.variants:
        if variant.category is Category.TYPOGRAPHY:
            continue
        lines.append(f"    - {variant.category.value}/{variant.kind.value}: {_one_line(variant.why, 140)}")
    typography = sum(1 for v in quote.variants if v.category is Category.TYPOGRAPHY)
    if typography:
        lines.append(f"    ({typography} typographic difference{'s' if typography != 1 else ''} not shown)")
    return lines


class Renderer(Protocol):
    """A pure function from a report to the text of one output format."""

    def __call__(self, report: Report, *, colour: bool = False) -> str: ...


# Every output format the CLI offers, by its --format name.
RENDERERS: dict[str, Renderer] = {"text": render_text, "json": render_json}


def render_html(report: Report, *, colour: bool = False) -> str:
    """One self-contained HTML page: a summary table, filters by verdict, and every quotation's word diff.

    The page loads nothing from anywhere (no external stylesheet, script,
    font or image) and escapes all article and source text. Its one inline
    script (the filters) is pinned by a Content-Security-Policy hash.

    `colour` is accepted, and ignored: the page is always in colour.
    """
    del colour
    return _html.page(report)


def quote_html(quote: QuoteCheck) -> str:
    """One quotation as an HTML fragment with inline styles (what notebooks show)."""
    return _html.quote_fragment(quote)


def report_html(report: Report) -> str:
    """A report as an HTML fragment with inline styles (what notebooks show)."""
    return _html.report_fragment(report)


# Characters that Markdown would read as markup inside a line: emphasis, code,
# links, tables, strikethrough, headings' closing marks and GitHub's $math$.
# Markup that only counts at the start of a line (-, +, 1.) needs no escape:
# article text never starts a line of the report.
_MARKDOWN_SPECIAL = regex.compile(r"([\\`*_\[\]|~#$])")


def _md(text: str) -> str:
    """Text as Markdown that shows exactly the text: HTML and Markdown markup escaped, on one line.

    >>> print(_md("<b>*not*</b> [1]"))
    &lt;b&gt;\\*not\\*&lt;/b&gt; \\[1\\]
    """
    flat = regex.sub(r"\s+", " ", visible(text))
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def _md_marked(text: str, mark: str) -> str:
    """`text` inside emphasis marks, with its outer spaces moved outside (where Markdown needs them)."""
    core = text.strip()
    if not core:
        return ""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}{mark}{_md(core)}{mark}{trail}"


def markdown_diff(diff: WordDiff) -> str:
    """A word diff in Markdown: the source's words ~~struck~~, the article's in **bold**."""
    out = marked(diff, equal=_md, deleted=lambda p: _md_marked(p.original, "~~"), inserted=lambda p: _md_marked(p.printed, "**"))
    return regex.sub(" {2,}", " ", out).strip()


def _markdown_quote(quote: QuoteCheck, number: int | None = None) -> list[str]:
    flags = f" ({', '.join(f.value for f in quote.flags)})" if quote.flags else ""
    head = f"{number}. " if number is not None else ""
    lines = [f"{head}**{quote.verdict.value.upper()}**{_md(flags)}: \u201c{markdown_diff(word_diff(quote))}\u201d", ""]
    where = f"characters {quote.start}\u2013{quote.end}"
    if quote.attributed_to:
        where += f", attributed to {_md(quote.attributed_to)}"
    lines.append(f"   - where: {where}")
    src = quote.source
    if src is None:
        lines.append("   - source: no passage of the registry matches")
    else:
        paragraph = paragraph_sign(src)
        paragraph += f", {place(src)}" if place(src) else ""
        url = src.link or src.url or ""
        # A link only when the URL has nothing to escape (no control or bidi character, no space or angle bracket).
        linkable = url.lower().startswith(("https://", "http://")) and not regex.search(r"[\s<>]", url) and visible(url) == url
        name = f"[{_md(src.id)}](<{url}>)" if linkable else _md(src.id)
        speaker = f", {_md(src.speaker)}" if src.speaker else ""
        lines.append(f"   - source: {name}{paragraph}, characters {src.start}\u2013{src.end}{speaker} (score {quote.score:.2f})")
        lines.append(f"   - the source has: \u201c{_md(src.text)}\u201d")
    for variant in quote.variants:
        if variant.category is not Category.TYPOGRAPHY:
            lines.append(f"   - {variant.category.value}/{variant.kind.value}: {_md(variant.why)}")  # noqa: PERF401 (reads as the list it builds)
    typography = sum(1 for v in quote.variants if v.category is Category.TYPOGRAPHY)
    if typography:
        lines.append(f"   - and {typography} typographic difference{'s' if typography != 1 else ''} (quote glyphs, dashes, spacing)")
    lines.append("")
    return lines


def render_markdown(report: Report, *, colour: bool = False) -> str:
    """A report in Markdown, to paste into a correction note or an issue.

    Changed words are ~~struck~~ (the source's) and **bold** (the article's).
    All article and source text is escaped, so it shows as printed and never
    becomes markup or HTML.

    `colour` is accepted, and ignored, so that every renderer is called alike.
    """
    del colour
    counts = report.counts()
    total = sum(counts.values())
    lines = ["# quotecheck report", ""]
    lines.append(
        f"{total} quotation{'s' if total != 1 else ''} in {len(report.articles)} article{'s' if len(report.articles) != 1 else ''}"
        + (": " + ", ".join(f"{n} {v.value}" for v, n in counts.items() if n) if total else "")
    )
    lines.append("")
    for article in report.articles:
        lines.extend([f"## {_md(article.path or '<text>')}", ""])
        if article.error is not None:
            lines.extend([f"**error**: {_md(article.error)}", ""])
            continue
        if not article.quotes:
            lines.extend(["no quotations found", ""])
        for number, quote in enumerate(article.quotes, 1):
            lines.extend(_markdown_quote(quote, number))
    return "\n".join(lines).rstrip("\n") + "\n"


def quote_markdown(quote: QuoteCheck) -> str:
    """One quotation in Markdown (what notebooks show as Markdown)."""
    return "\n".join(_markdown_quote(quote)).rstrip("\n") + "\n"


def _source_record(source: Source) -> dict[str, object]:
    return {
        "id": source.id,
        "speaker": source.speaker,
        "title": source.title,
        "date": source.date,
        "url": source.url,
        "complete": source.complete,
        "paragraphs": len(source.paragraphs),
        "words": sum(1 for t in source.tokens if t.kind is TokenKind.WORD),
        "hash": source.hash,
        "path": source.path,
    }


def render_sources_json(registry: Registry) -> str:
    """A registry's sources as JSON: `{"hash": str, "sources": [{"id", "speaker", "title", "date", "url",
    "complete", "paragraphs", "words", "hash", "path"}]}`."""
    document = {"hash": registry.hash, "sources": [_source_record(s) for s in registry]}
    return dumps(document, indent=2) + "\n"


def render_sources_text(registry: Registry) -> str:
    """A registry's sources as a table: id, speaker, date, completeness, and the first 12 hex digits of the hash."""
    rows = [("ID", "SPEAKER", "DATE", "COMPLETE", "WORDS", "HASH")]
    for source in registry:
        record = _source_record(source)
        rows.append(
            (
                visible(source.id),
                visible(source.speaker or "-"),
                visible(source.date or "-"),
                "complete" if source.complete else "partial",
                str(record["words"]),
                source.hash[:12],
            )
        )
    widths = [max(len(row[n]) for row in rows) for n in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append(f"{len(registry)} source{'s' if len(registry) != 1 else ''}; registry hash {registry.hash[:12]}")
    return "\n".join(lines) + "\n"


# The columns of `--format csv`: the article, the fields of `QuoteCheck.to_record()`, the word diff, the error.
CSV_COLUMNS = (
    "article", "start", "end", "text", "kind", "attributed_to", "speaker", "verdict", "flags", "score",
    "source_id", "source_speaker", "source_paragraph", "source_start", "source_end", "source_text", "source_url",
    "source_page", "source_time", "source_link", "misattributed", "changes", "why", "diff", "error",
)  # fmt: skip

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> object:
    if not isinstance(value, str):
        return "" if value is None else value
    shown = visible(value)
    return "'" + shown if shown.startswith(_FORMULA_START) else shown


def render_csv(report: Report, *, colour: bool = False) -> str:
    """One row per quotation, and one per article that could not be checked, for a spreadsheet.

    The columns are `CSV_COLUMNS`: the article's path, the fields of
    `QuoteCheck.to_record()`, the word diff as `text_diff` writes it (empty
    when nothing changed) and `error` (only on an article's error row, whose
    other cells are empty). Control characters are shown as escapes, and a
    text cell that starts with `=`, `+`, `-` or `@` gets a leading `'`, so that
    a spreadsheet shows it and never runs it as a formula. `colour` is ignored.
    """
    del colour
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180's line ending, which every spreadsheet reads
    writer.writerow(CSV_COLUMNS)
    for article in report.articles:
        if article.error is not None:
            row: dict[str, object] = {"article": article.path, "error": article.error}
            writer.writerow([_csv_cell(row.get(name)) for name in CSV_COLUMNS])
        for quote in article.quotes:
            diff = word_diff(quote)
            changed = any(piece.tag != "equal" for piece in diff.pieces)
            row = {"article": article.path, **quote.to_record(), "diff": text_diff(diff) if changed else None}
            writer.writerow([_csv_cell(row.get(name)) for name in CSV_COLUMNS])
    return out.getvalue()


def _github_escape(text: str, *, property_value: bool = False) -> str:
    """Text for a GitHub Actions workflow command: `%`, CR and LF escaped, and `:` and `,` in a property."""
    text = visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def render_github(
    report: Report,
    *,
    colour: bool = False,
    fail_on: Collection[Verdict] = DEFAULT_FAIL_ON,
    texts: Mapping[str, str] | None = None,
    accepted: Collection[tuple[str | None, int, int]] = frozenset(),
) -> str:
    """GitHub Actions annotations, one workflow command a line, as `ruff --output-format github` writes them.

    A quotation whose verdict is in `fail_on` is an `::error`; any other with
    a serious finding (`SERIOUS_FLAGS`) a `::warning`; an article that could
    not be read an `::error` on its file. The others make no line.

    Args:
        report: the report.
        colour: ignored.
        fail_on: the verdicts that fail the check (the CLI passes `--fail-on`).
        accepted: quotations accepted on review (`quotecheck.review`), as
            `(article path, start, end)`: a `::notice` instead of an `::error`.
        texts: each article's text as read, by path, to place an annotation
            on its line and column; without it (standard input, or an HTML
            quotation that is not a `<q>` or `<blockquote>` element, whose
            offsets index the page's text, not its markup) the annotation is
            on the file.
    """
    del colour
    texts = texts or {}
    lines = []
    for article in report.articles:
        path = article.path or ""
        where = f"file={_github_escape(path, property_value=True)}" if path else ""
        if article.error is not None:
            lines.append(f"::error title=quotecheck (error),{where}::{_github_escape(article.error)}")
        for quote in article.quotes:
            serious = [f for f in quote.flags if f in SERIOUS_FLAGS]
            if (article.path, quote.start, quote.end) in accepted:
                level = "notice"
            elif quote.verdict in fail_on:
                level = "error"
            elif serious:
                level = "warning"
            else:
                continue
            position, prefix = "", f"{path}: " if path else ""
            text = texts.get(path)
            span = quote.tag if quote.tag is not None else None if path.lower().endswith((".html", ".htm")) else (quote.start, quote.end)
            if text is not None and span is not None and span[1] <= len(text):
                (line, col), (end_line, end_col) = _line_col(text, span[0]), _line_col(text, span[1])
                position = f",line={line},col={col},endLine={end_line},endColumn={end_col}"
                prefix = f"{path}:{line}:{col}: "
            diff = word_diff(quote)
            shown = text_diff(diff) if any(piece.tag != "equal" for piece in diff.pieces) else _one_line(quote.text)
            flags = f" [{', '.join(quote.flags)}]" if quote.flags else ""
            why = "; ".join(f.why for f in quote.findings if f.flag in serious) or "; ".join(
                v.why for v in quote.variants if v.category is not Category.TYPOGRAPHY
            )
            message = f"{prefix}{quote.verdict}{flags}: \u201c{shown}\u201d" + (f" ({why})" if why else "")
            title = _github_escape(f"quotecheck ({quote.verdict}{', accepted' if level == 'notice' else ''})", property_value=True)
            lines.append(f"::{level} title={title}{',' + where if where else ''}{position}::{_github_escape(message)}")
    return "".join(line + "\n" for line in lines)


RENDERERS["html"] = render_html
RENDERERS["markdown"] = render_markdown
RENDERERS["csv"] = render_csv
RENDERERS["github"] = render_github

# Formats written article by article as each finishes (flushed, so an
# interrupted run keeps every finished article), by their --format name.
STREAM_WRITERS: dict[str, Callable[[ArticleCheck], str]] = {"jsonl": render_jsonl_article}
