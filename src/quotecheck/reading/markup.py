"""Markup: HTML articles read as text, with their `<q>` and `<blockquote>` elements as quotations.

The text is what a reader sees: block elements (paragraphs, headings, list
items, table rows, block quotes) are separated by blank lines, `<br>` is a
line break, runs of whitespace are one space, and character references are
decoded. Scripts, styles, templates, the head, navigation, asides, footers
and forms are left out; when the page has `<article>` or `<main>` elements,
only their text is read.

On a page with neither, boilerplate is left out by rule: elements whose
class, id or role names a widget ("related", "most-read", "share",
"newsletter", "caption", "byline", "comments", ...), `<figcaption>`, and
link-dense blocks (lists and boxes whose text is mostly links: related
stories, most-read lists), so a headline in a widget is never read as the
outlet's quotation.

Each outermost `<q>` or `<blockquote>` is a quotation, with its span in the
extracted text and the span of the element in the HTML. Only the standard
library's `html.parser` is used: it never fails on malformed markup.
"""

from __future__ import annotations

import bisect
from html.parser import HTMLParser

import attrs
import regex

from quotecheck.reading.extract import Quote, QuoteKind

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
# A fragment: it opens with a block element and closes one ("<p>...</p>", "<div class=...>...</div>").
_FRAGMENT_START = regex.compile(
    r"\A\ufeff?\s*(?:<!--.*?-->\s*)*<(article|main|section|div|p|h[1-6]|blockquote|ul|ol|table|figure|header)[\s>]",
    regex.IGNORECASE | regex.DOTALL,
)
# Class, id and role words of page furniture (boilerplate), matched as whole words of the attribute.
_BOILERPLATE = regex.compile(
    r"(?i)(?:^|[\s_-])(?:related|most-?read|most-?popular|popular|trending|recommended|recirc|read-?more|more-?stories"
    r"|share|sharing|social|newsletter|subscribe|signup|promo|advert|advertisement|ads?|sponsored|outbrain|taboola"
    r"|caption|credit|byline|author|dateline|breadcrumbs?|comments?|sidebar|widget|footer|masthead|navigation|nav"
    r"|menu|cookie|banner|tags|topics|complementary|contentinfo)(?:$|[\s_-])"
)
_LINK_DENSE = 0.6  # share of a block's text inside links above which it is a list of links (related stories)
_LINK_DENSE_MIN_CHARS = 20
_DENSITY_BLOCKS = frozenset({"div", "section", "ul", "ol", "table", "p", "li", "header", "dl"})


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
    """Whether a text is clearly HTML: a document, or a fragment that opens and closes a block element.

    A document opens with a doctype or an `<html>`, `<head>` or `<body>` tag;
    a fragment opens with a block element (`<p>`, `<div>`, `<article>`, ...),
    closes one of the same name and ends with a tag (a Markdown article that
    opens with an HTML block and goes on in Markdown is not HTML).

    >>> looks_like_html("<!DOCTYPE html><p>Hi</p>"), looks_like_html("<p>Hi</p>"), looks_like_html("He said <q>hi</q>.")
    (True, True, False)
    """
    if _HTML_START.match(text) is not None:
        return True
    fragment = _FRAGMENT_START.match(text)
    # A Markdown article may open with an HTML block and go on in Markdown: a fragment must also end with a tag.
    return fragment is not None and f"</{fragment.group(1).lower()}>" in text.lower() and text.rstrip().endswith(">")


class _Reader(HTMLParser):
    def __init__(self, html: str, *, restrict: bool, drop: frozenset[int] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.drop = drop  # HTML offsets of elements left out as boilerplate
        self.dropping: tuple[str, int] | None = None  # (tag, depth) of the boilerplate element being left out
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
        return self.skip == 0 and self.content > 0 and self.dropping is None

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
        if self.dropping is not None:
            if tag == self.dropping[0] and tag not in _VOID:
                self.dropping = (tag, self.dropping[1] + 1)
            return
        if tag not in _VOID and self.drop and self._offset() in self.drop:
            self.dropping = (tag, 1)
            return
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
        if self.dropping is not None:
            if tag == self.dropping[0]:
                depth = self.dropping[1] - 1
                self.dropping = (tag, depth) if depth else None
            return
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
    reader = _Reader(html, restrict=restrict, drop=frozenset() if restrict else _boilerplate(html))
    reader.feed(html)
    return reader.finish()


@attrs.define
class _Box:
    tag: str
    offset: int  # of the start tag in the HTML
    chars: int = 0  # characters of text inside
    linked: int = 0  # of which inside links


class _Furniture(HTMLParser):
    """Finds boilerplate elements: furniture by class, id or role, captions, and link-dense blocks."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in regex.finditer(r"\n", html)]
        self.stack: list[_Box] = []
        self.links = 0  # depth inside <a>
        self.skip = 0
        self.found: set[int] = set()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if tag in _SKIPPED:
            self.skip += 1
            return
        offset = self._offset()
        names = " ".join(v for k, v in attrs if k in ("class", "id", "role") and v)
        if tag == "figcaption" or (names and _BOILERPLATE.search(names)):
            self.found.add(offset)
        if tag == "a":
            self.links += 1
        self.stack.append(_Box(tag, offset))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "a":
            self.links = max(0, self.links - 1)
        while self.stack:
            box = self.stack.pop()
            if self.stack:  # the text of an element is its parent's too
                self.stack[-1].chars += box.chars
                self.stack[-1].linked += box.linked
            if box.tag in _DENSITY_BLOCKS and box.chars >= _LINK_DENSE_MIN_CHARS and box.linked / box.chars > _LINK_DENSE:
                self.found.add(box.offset)
            if box.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip or not self.stack:
            return
        size = len(data.strip())
        self.stack[-1].chars += size
        if self.links:
            self.stack[-1].linked += size


def _boilerplate(html: str) -> frozenset[int]:
    """HTML offsets of the elements of a page that are boilerplate rather than the article."""
    finder = _Furniture(html)
    finder.feed(html)
    finder.close()
    return frozenset(finder.found)


def position(html: str, offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of an offset in the HTML, for messages."""
    starts = [0] + [m.end() for m in regex.finditer(r"\n", html)]
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1
