"""Rendering: reports as text for people and JSON for programs.

Pure functions from a `Report` to a string; nothing here prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Protocol

import regex

from quotecheck.check import ArticleCheck, Flag, QuoteCheck, Report, Verdict
from quotecheck.classify import Category

__all__ = ["RENDERERS", "STREAM_WRITERS", "render_json", "render_jsonl_article", "render_quote_json", "render_text"]

_COLOURS = {
    Verdict.EXACT: "32",  # green
    Verdict.COSMETIC: "32",
    Verdict.EDITORIAL: "36",  # cyan
    Verdict.ALTERED: "31;1",  # bold red
    Verdict.PARAPHRASE: "33",  # yellow
    Verdict.UNSOURCED: "90",  # grey
}
# C0 and C1 controls other than tab and newline, and the escape character:
# article text must never move the cursor or recolour the user's terminal.
# Bidirectional embeddings, overrides and isolates are shown too, so that
# article text cannot reorder the rest of a report line.
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def render_json(report: Report, *, colour: bool = False) -> str:
    """The JSON document `{"articles": [...]}`, deterministic for the same input.

    `colour` is accepted, and ignored, so that every renderer is called alike.
    """
    del colour
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render_jsonl_article(article: ArticleCheck) -> str:
    """One line of JSON Lines: one article's entry of the JSON document."""
    return json.dumps(article.to_dict(), ensure_ascii=False) + "\n"


def render_quote_json(quote: QuoteCheck) -> str:
    """One QUOTE object as JSON (what `quotecheck verify --format json` prints)."""
    return json.dumps(quote.to_dict(), ensure_ascii=False, indent=2)


def _safe(text: str) -> str:
    """Text with control characters shown as escapes (\\x1b), never obeyed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if m.group() < "\u0100" else f"\\u{ord(m.group()):04x}", text)


def _one_line(text: str, width: int = 100) -> str:
    flat = " ".join(_safe(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def render_text(report: Report, *, colour: bool = False) -> str:
    """A report a person reads: each quotation, its verdict, its source and its differences.

    Args:
        report: the report.
        colour: mark verdicts with ANSI colours (for a terminal).
    """

    def paint(text: str, verdict: Verdict) -> str:
        return f"\x1b[{_COLOURS[verdict]}m{text}\x1b[0m" if colour else text

    lines: list[str] = []
    for article in report.articles:
        lines.append(f"== {_safe(article.path or '<text>')}")
        if article.error is not None:
            lines.append(f"   error: {_safe(article.error)}")
            lines.append("")
            continue
        if not article.quotes:
            lines.append("   no quotations found")
        for quote in article.quotes:
            lines.extend(_quote_lines(quote, paint))
        lines.append("")
    counts = report.counts()
    total = sum(counts.values())
    summary = ", ".join(f"{n} {v.value}" for v, n in counts.items() if n)
    lines.append(
        f"{total} quotation{'s' if total != 1 else ''} in {len(report.articles)} article{'s' if len(report.articles) != 1 else ''}"
        + (f": {summary}" if summary else "")
    )
    return "\n".join(lines) + "\n"


def _quote_lines(quote: QuoteCheck, paint: Callable[[str, Verdict], str]) -> list[str]:
    flags = f" [{', '.join(f.value for f in quote.flags)}]" if quote.flags else ""
    who = f" \u2014 attributed to {_safe(quote.attributed_to)}" if quote.attributed_to else ""
    lines = [f"  {paint(quote.verdict.value.upper(), quote.verdict)}{flags} {quote.start}-{quote.end} {quote.kind.value}{who}"]
    lines.append(f"    \u201c{_one_line(quote.text)}\u201d")
    if quote.source is not None:
        src = quote.source
        speaker = f", {_safe(src.speaker)}" if src.speaker else ""
        lines.append(f"    source: {_safe(src.id)} \u00b6{src.paragraph} {src.start}-{src.end}{speaker} (score {quote.score:.2f})")
        if Flag.MISATTRIBUTED in quote.flags:
            lines.append(
                f"    misattributed: these are the words of {_safe(src.speaker or src.id)}, not of {_safe(quote.attributed_to or '')}"
            )
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

# Formats written article by article as each finishes (flushed, so an
# interrupted run keeps every finished article), by their --format name.
STREAM_WRITERS: dict[str, Callable[[ArticleCheck], str]] = {"jsonl": render_jsonl_article}
