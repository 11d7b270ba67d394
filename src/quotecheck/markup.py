"""Markup: HTML articles read as text, with their `<q>` and `<blockquote>` elements as quotations.

The text is what a reader sees: block elements (paragraphs, headings, list
items, table rows, block quotes) are separated by blank lines, `<br>` is a
line break, runs of whitespace are one space, and character references are
decoded. Scripts, styles, templates, the head, navigation, asides, footers
and forms are left out; when the page has `<article>` or `<main>` elements,
only their text is read.

Each outermost `<q>` or `<blockquote>` is a quotation, with its span in the
extracted text and the span of the element in the HTML. Only the standard
library's `html.parser` is used: it never fails on malformed markup.
"""

from __future__ import annotations

import bisect
from html.parser import HTMLParser

import attrs
import regex

from quotecheck.extract import Quote, QuoteKind

__all__ = ["HtmlArticle", "looks_like_html", "position", "read_html"]

_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIPPED = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "nav",
        "aside",
        "footer",
        "form",
        "button",
        "select",
        "textarea",
        "svg",
        "iframe",
        "object",
    ]
)
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])
_CONTENT = frozenset({"article", "main"})
_QUOTES = {"q": QuoteKind.QUOTATION, "blockquote": QuoteKind.BLOCKQUOTE}
_SPACE = regex.compile(r"[ \t\n\r\f]+")
_HTML_START = regex.compile(
    r"\A\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", regex.IGNORECASE | regex.DOTALL
)


@attrs.frozen
class HtmlArticle:
    """An HTML article as text, with the quotations its markup marks.

    Attributes:
        text: the text a reader sees (offsets of quotations index it).
        quotes: one `Quote` per outermost `<q>` or `<blockquote>`, in order.
        tags: for each quotation, the span of its element in the HTML,
            from `<q` to the end of `</q>` (or of the document when unclosed).
    """

    text: str
    quotes: tuple[Quote, ...] = ()
    tags: tuple[tuple[int, int], ...] = ()


def looks_like_html(text: str) -> bool:
    """Whether a text is clearly an HTML document: it opens with a doctype or an `<html>`, `<head>` or `<body>` tag.

    >>> looks_like_html("<!DOCTYPE html><p>Hi</p>"), looks_like_html("He said <q>hi</q>.")
    (True, False)
    """
    return _HTML_START.match(text) is not None


class _Reader(HTMLParser):
    def __init__(self, html: str, *, restrict: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0] + [m.end() for m in regex.finditer(r"\n", html)]
        self.out: list[str] = []
        self.length = 0
        self.skip = 0  # depth inside skipped elements
        self.content = 0 if restrict else 1  # depth inside <article>/<main> (always "inside" when unrestricted)
        self.pre = 0
        self.open: list[tuple[str, int, int]] = []  # (tag, text offset, html offset) of open quotation elements
        self.quotes: list[tuple[Quote, tuple[int, int]]] = []

    @property
    def reading(self) -> bool:
        return self.skip == 0 and self.content > 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _tail(self) -> str:
        return "".join(self.out[-2:])[-2:] if self.out else ""

    def _emit(self, text: str) -> None:
        if not text:
            return
        self.out.append(text)
        self.length += len(text)

    def _trim(self) -> None:
        while self.out and self.out[-1].endswith(" "):
            last = self.out.pop()
            self.length -= len(last)
            self._emit(last.rstrip(" "))
            if last.rstrip(" "):
                break

    def _break(self, newline: str = "\n\n") -> None:
        if not self.length:
            return
        self._trim()
        tail = self._tail()
        if newline == "\n":
            if not tail.endswith("\n"):
                self._emit("\n")
        elif tail != "\n\n":
            self._emit("\n" if tail.endswith("\n") else "\n\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            if tag not in _VOID:
                self.skip += 1
            return
        if tag in _CONTENT:
            self.content += 1
        if not self.reading:
            return
        if tag == "br":
            self._break("\n")
        elif tag in _BLOCKS:
            self._break()
        if tag == "pre":
            self.pre += 1
        if tag in _QUOTES:
            self.open.append((tag, self.length, self._offset()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and self.reading:
            self._break("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if self.reading and tag in _QUOTES and self.open and self.open[-1][0] == tag:
            name, start, html_start = self.open.pop()
            end_tag = self.html.find(">", self._offset())
            html_end = end_tag + 1 if end_tag >= 0 else len(self.html)
            if not self.open:  # only outermost quotation elements are quotations
                self._record(name, start, self.length, (html_start, html_end))
        if self.reading:
            if tag in _BLOCKS:
                self._break()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
        if tag in _CONTENT:
            self.content = max(0, self.content - 1)

    def handle_data(self, data: str) -> None:
        if not self.reading:
            return
        if self.pre:
            self._emit(data)
            return
        text = _SPACE.sub(" ", data)
        if not self.length or self._tail().endswith(("\n", " ")):
            text = text.lstrip(" ")
        self._emit(text)

    def _record(self, tag: str, start: int, end: int, html_span: tuple[int, int]) -> None:
        text = "".join(self.out)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            self.quotes.append((Quote(start, end, _QUOTES[tag]), html_span))

    def finish(self) -> HtmlArticle:
        self.close()
        while self.open:  # unclosed quotation elements run to the end
            name, start, html_start = self.open.pop()
            if not self.open:
                self._record(name, start, self.length, (html_start, len(self.html)))
        self._trim()
        text = "".join(self.out).rstrip("\n")
        quotes = sorted(
            ((attrs.evolve(q, end=min(q.end, len(text)), segments=()), span) for q, span in self.quotes), key=lambda p: p[0].start
        )
        quotes = [(q, span) for q, span in quotes if q.end > q.start]
        return HtmlArticle(text + "\n" if text else "", tuple(q for q, _ in quotes), tuple(span for _, span in quotes))


def read_html(html: str) -> HtmlArticle:
    """Reads an HTML article: its text, and its `<q>` and `<blockquote>` elements as quotations.

    Args:
        html: the HTML, as decoded text.

    Returns:
        The text, the quotations with spans into it, and the elements' spans in `html`.

    >>> article = read_html('<p>Krishna wrote <q>we &amp; they</q>.</p><script>x()</script>')
    >>> article.text, [article.text[q.start:q.end] for q in article.quotes], article.tags
    ('Krishna wrote we & they.\\n', ['we & they'], ((17, 37),))
    """
    restrict = regex.search(r"<(?:article|main)[\s>]", html, regex.IGNORECASE) is not None
    reader = _Reader(html, restrict=restrict)
    reader.feed(html)
    return reader.finish()


def position(html: str, offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of an offset in the HTML, for messages."""
    starts = [0] + [m.end() for m in regex.finditer(r"\n", html)]
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1
