"""Extraction: find every quotation in an article.

Quotations are found in the mojibake-repaired text and reported as spans into
the ORIGINAL article. The rules, in order:

- YAML (`---`) or TOML (`+++`) front matter at the top is metadata: skipped.
- Markdown block quotes (lines starting with `>`) are quotations without
  marks; consecutive `>` lines are one quotation.
- Everything else is read block by block (blocks are separated by blank
  lines; a list item or heading starts a block) for quotation marks:
  straight, curly, low-9 („“), guillemets in either direction, and mixed
  pairs. Whether a mark opens or closes is read from what flanks it, as
  Markdown reads emphasis: a mark followed by a word and preceded by space or
  punctuation opens, the mirror image closes. Single quotes nested inside
  double quotes belong to the outer quotation; single quotes at the top level
  are quotation marks only when they open and close cleanly in one block, so
  apostrophes (IBM's, rock 'n' roll, the '90s) never open a quotation.
- A quotation still open at the end of a block continues when the next block
  opens with a mark (the multi-paragraph convention); otherwise it ends with
  its block and is marked unbalanced.
"""

from __future__ import annotations

import bisect
import enum
import unicodedata

import attrs
import regex

from quotecheck.text.normalize import Mapped, repair

__all__ = ["Quote", "QuoteKind", "extract", "front_matter_end"]


class QuoteKind(enum.StrEnum):
    """How a quotation is set off in the article."""

    QUOTATION = "quotation"  # inside quotation marks
    BLOCKQUOTE = "blockquote"  # a Markdown `>` block, no marks
    REUSE = "reuse"  # source words in the article's own prose
    TERM = "term"  # scare quotes or a title of a work: reported, never checked as a misquote


@attrs.frozen
class Quote:
    """A quotation found in an article.

    Attributes:
        start: offset of the first quoted character in the original article.
        end: offset after the last quoted character (marks excluded).
        kind: how it is set off.
        segments: the spans actually quoted, in order; more than one when the
            quotation runs over several paragraphs or block-quote lines, so
            that the paragraphs' opening marks and `>` markers are left out.
        outer_start: start of the span including the marks.
        outer_end: end of the span including the marks.
        unbalanced: its closing mark is missing.
        attributed_to: the speaker the article names, as printed.
        relayed: the name is of someone relaying the words ("according to
            The Guardian", "Reuters reported"), not necessarily their speaker.
    """

    start: int
    end: int
    kind: QuoteKind = QuoteKind.QUOTATION
    segments: tuple[tuple[int, int], ...] = ()
    outer_start: int = -1
    outer_end: int = -1
    unbalanced: bool = False
    attributed_to: str | None = None
    relayed: bool = False

    def __attrs_post_init__(self) -> None:
        if not self.segments:
            object.__setattr__(self, "segments", ((self.start, self.end),))
        if self.outer_start < 0:
            object.__setattr__(self, "outer_start", self.start)
        if self.outer_end < 0:
            object.__setattr__(self, "outer_end", self.end)


_FRONT_MATTER = regex.compile(
    r"\A\ufeff?(?:---[ \t]*\r?\n.*?^(?:---|\.\.\.)|\+\+\+[ \t]*\r?\n.*?^\+\+\+)[ \t]*(?:\r?\n|\Z)", regex.DOTALL | regex.MULTILINE
)
_BLOCKQUOTE_LINE = regex.compile(r"^[ \t]{0,3}>[ \t]?(.*)$", regex.MULTILINE)
# A blank line, or a line break before a list item, heading or block quote, ends a block.
_BLOCK_BREAK = regex.compile(r"\n[ \t\r]*\n\s*|\n(?=[ \t]{0,3}(?:[-*+][ \t]|\d{1,3}[.)][ \t]|#|>))")
_MARK = regex.compile("[\"\u201c\u201d\u201e\u201f\u00ab\u00bb\uff02'\u2018\u2019\u201a\u201b\u2039\u203a`]")
_DOUBLE = frozenset('"\u201c\u201d\u201e\u201f\u00ab\u00bb\uff02')
_APOSTROPHE_WORD = regex.compile(r"(?i)(?:\d\d(?:s|\b)|n['\u2019]|em\b|tis\b|twas\b|cause\b|til\b|bout\b|round\b)")
_LIST_MARKER = regex.compile(r"[ \t]{0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+")
_HAS_WORD = regex.compile(r"[\p{L}\p{N}]")
_MAX_SINGLE_QUOTE = 600  # characters: a longer 'single-quoted' stretch is apostrophes, not a quotation


def extract(text: str) -> tuple[Quote, ...]:
    """Finds every quotation and block quote in an article.

    Args:
        text: the article, exactly as read.

    Returns:
        The quotations in order of their start, with spans into `text`.

    >>> article = 'He said \u201cwe won\u2019t.\u201d'
    >>> [article[q.start : q.end] for q in extract(article)]
    ['we won\u2019t.']
    """
    repaired = repair(text)
    body = repaired.text
    begin = front_matter_end(body)
    quotes: list[Quote] = []
    blockquote_lines: list[tuple[int, int]] = []
    plain_blocks: list[tuple[int, int]] = []
    for start, end, is_quote in _regions(body, begin):
        if not is_quote and blockquote_lines and body.count("\n", start, end) <= 1 and not body[start:end].strip():
            continue  # the line break between two `>` lines
        (blockquote_lines if is_quote else plain_blocks).append((start, end))
        if not is_quote and blockquote_lines:
            quotes.append(_blockquote(blockquote_lines, repaired))
            blockquote_lines = []
    if blockquote_lines:
        quotes.append(_blockquote(blockquote_lines, repaired))
    quotes.extend(_Pairer(body, repaired).run(plain_blocks))
    return tuple(sorted(quotes, key=lambda q: (q.start, q.end)))


def front_matter_end(text: str) -> int:
    """Where the article's body begins: after YAML or TOML front matter, if any."""
    skip = _FRONT_MATTER.match(text)
    return skip.end() if skip else 0


def _regions(body: str, begin: int) -> list[tuple[int, int, bool]]:
    """Splits the body into block-quote lines (True) and plain stretches (False)."""
    regions: list[tuple[int, int, bool]] = []
    pos = begin
    for m in _BLOCKQUOTE_LINE.finditer(body, begin):
        if m.start() > pos:
            regions.append((pos, m.start(), False))
        regions.append((m.start(1), m.end(1), True))
        pos = m.end()
    if pos < len(body):
        regions.append((pos, len(body), False))
    return regions


def _strip(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _blockquote(lines: list[tuple[int, int]], repaired: Mapped) -> Quote:
    segments = [_strip(repaired.text, s, e) for s, e in lines]
    kept = [repaired.map.span(s, e) for s, e in segments if e > s]
    if not kept:  # a lone ">" line
        s, e = repaired.map.span(*segments[0])
        kept = [(s, e)]
    outer = repaired.map.span(lines[0][0], lines[-1][1])
    return Quote(kept[0][0], kept[-1][1], QuoteKind.BLOCKQUOTE, tuple(kept), outer[0], outer[1])


def _is_space(ch: str | None) -> bool:
    return ch is None or ch.isspace()


def _is_punct(ch: str | None) -> bool:
    return ch is not None and unicodedata.category(ch)[0] in "PS"


@attrs.define
class _Open:
    mark: str  # the opening mark: one character, or "``" (LaTeX)
    mark_start: int  # offset of the opening mark in the repaired body
    segments: list[tuple[int, int]]
    content_start: int
    depth: int = 0  # quotations of the same directional glyph nested inside (“how “are” you”)


# Directional openers that may nest inside themselves, with their closer.
_NESTING = {"\u201c": "\u201d", "\u00ab": "\u00bb"}
_NEXT_LETTER = regex.compile(r"[ \t]*+(\p{L})")
_PROSE_PUNCTUATION = frozenset(".,!?;:\u2026")
# Scare quotes and titles of works: what the article names, not what someone said.
_TERM_LEAD = regex.compile(
    r"(?i)(?:\bso[-\s]called|\bdub(?:bed|s)?|\bnicknamed|\b(?:en)?titled|\bknown\s+as|\blabell?ed|\bbranded)"
    r"\s*+(?:(?:the|a|an|it|them|this)\s+)?$"
)
_WORKS = (
    "book novel memoir biography film movie documentary song album single show series sitcom play musical opera poem essay"
    " column article podcast programme program exhibition painting campaign project operation initiative slogan"
)
_WORK_BEFORE = regex.compile(rf"(?i)\b(?:{'|'.join(_WORKS.split())})s?[ \t]*+$")
_SMALL = "a an the of and or in on at to for from with by as nor but vs"
_SMALL_WORDS = frozenset(_SMALL.split())
_TITLE_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'\u2019-]*")


class _Pairer:
    """Pairs quotation marks block by block (see the module docstring)."""

    def __init__(self, body: str, repaired: Mapped) -> None:
        self.body = body
        self.repaired = repaired
        self.quotes: list[Quote] = []
        self._single_closers: dict[int, tuple[int, list[int]]] = {}  # block end -> (from, closing single marks)

    def run(self, regions: list[tuple[int, int]]) -> list[Quote]:
        blocks = [block for start, end in regions for block in self._blocks(start, end)]
        current: _Open | None = None
        for index, (start, end) in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            current = self._block(start, end, current, following)
            if current is not None:
                # Still open at the end of the block: does the next block continue it?
                current.segments.append((current.content_start, end))
                opener = self._continuation(following, current.mark) if following else None
                if opener is None:
                    self._emit(current, None, unbalanced=True)
                    current = None
                else:
                    current.content_start = opener
        return self.quotes

    def _blocks(self, start: int, end: int) -> list[tuple[int, int]]:
        blocks = []
        pos = start
        for m in _BLOCK_BREAK.finditer(self.body, start, end):
            blocks.append((pos, m.start()))
            pos = m.end()
        blocks.append((pos, end))
        return [(s, e) for s, e in (_strip(self.body, s, e) for s, e in blocks) if e > s]

    def _continuation(self, block: tuple[int, int], mark: str) -> int | None:
        """Where the content of a continuing paragraph starts: after its opening mark, or at an indented paragraph.

        The next paragraph continues an open quotation when it opens with a
        mark of the same family (the multi-paragraph convention, for double
        and single marks alike), or when it is indented and closes it.
        """
        start, end = block
        marker = _LIST_MARKER.match(self.body, start, end)
        pos = marker.end() if marker else start
        if pos >= end:
            return None
        ch = self.body[pos]
        if ch in _DOUBLE and mark in _DOUBLE and self._opens(pos, inside=None):
            return pos + 1
        if ch == mark and ch not in _DOUBLE and self._opens(pos, inside=None):
            return pos + 1
        line_start = self.body.rfind("\n", 0, start) + 1
        indent = self.body[line_start:start]
        closer = _NESTING.get(mark, '"' if mark in _DOUBLE else "'")
        if (indent.startswith("\t") or len(indent) >= 2) and not indent.strip() and closer in self.body[start:end]:
            return start
        return None

    def _block(self, start: int, end: int, current: _Open | None, following: tuple[int, int] | None = None) -> _Open | None:
        body = self.body
        # A continued quotation's paragraph starts after its opening mark.
        scan_from = max(start, current.content_start) if current is not None else start
        skip_until = scan_from
        for m in _MARK.finditer(body, scan_from, end):
            pos = m.start()
            if pos < skip_until:
                continue  # the second character of a two-character mark
            ch = body[pos]
            if current is not None and current.mark in ("``", "`"):
                # LaTeX: ``...'' and `...' close only with their own marks.
                closer = "''" if current.mark == "``" else "'"
                probe = _Open("'", current.mark_start, [], current.content_start)
                if body.startswith(closer, pos) and (closer == "''" or (not body.startswith("''", pos) and self._closes(pos, probe))):
                    current.segments.append((current.content_start, pos))
                    self._emit(current, pos + len(closer), unbalanced=False)
                    current = None
                    skip_until = pos + len(closer)
                continue
            if current is None and ch == "`":
                latex = "``" if body.startswith("``", pos) else "`"
                after = pos + len(latex)
                if (
                    after < end
                    and not body[after].isspace()
                    and ("''" if latex == "``" else "'") in body[after : min(end, after + _MAX_SINGLE_QUOTE)]
                ):
                    current = _Open(latex, pos, [], after)
                    skip_until = after
                continue
            if ch == "`":
                continue
            double = ch in _DOUBLE
            if current is not None:
                if double != (current.mark in _DOUBLE):
                    continue  # a nested quotation of the other family belongs to this one
                nested_closer = _NESTING.get(current.mark)
                # The same directional opener inside: a nested quotation, when enough closers follow.
                if (
                    nested_closer is not None
                    and ch == current.mark
                    and self._opens(pos, inside=None)
                    and body.count(nested_closer, pos + 1, min(end, pos + 2000)) >= current.depth + 2
                ):
                    current.depth += 1
                    continue
                if self._closes(pos, current):
                    if current.depth and ch == nested_closer:
                        current.depth -= 1
                        continue
                    current.segments.append((current.content_start, pos))
                    self._emit(current, pos + 1, unbalanced=False)
                    current = None
                elif self._opens(pos, inside=current) and not self._closes_loosely(pos):
                    # A clear opening mark while a quotation is open: the earlier one was never closed.
                    current.segments.append((current.content_start, pos))
                    self._emit(current, None, unbalanced=True)
                    current = _Open(ch, pos, [], pos + 1)
                continue
            if self._opens(pos, inside=None):
                if not double and not self._single_closes_in_block(pos, end) and not self._single_continues(pos, end, following):
                    continue
                current = _Open(ch, pos, [], pos + 1)
        return current

    def _single_continues(self, pos: int, end: int, following: tuple[int, int] | None) -> bool:
        """A single-quoted paragraph left open, with no other single mark, whose next paragraph opens with the same mark."""
        if following is None or any(m.group() not in _DOUBLE for m in _MARK.finditer(self.body, pos + 1, end)):
            return False
        return self._continuation(following, self.body[pos]) is not None

    def _flanks(self, pos: int) -> tuple[bool, bool]:
        """(left-flanking, right-flanking) in CommonMark's sense."""
        body = self.body
        prev = body[pos - 1] if pos > 0 else None
        nxt = body[pos + 1] if pos + 1 < len(body) else None
        left = not _is_space(nxt) and (not _is_punct(nxt) or _is_space(prev) or _is_punct(prev))
        right = not _is_space(prev) and (not _is_punct(prev) or _is_space(nxt) or _is_punct(nxt))
        return left, right

    def _opens(self, pos: int, *, inside: _Open | None) -> bool:
        ch = self.body[pos]
        left, right = self._flanks(pos)
        if ch in "\u201e\u201f\u201a":  # low-9 and reversed marks only ever open, never before a space
            return left or (inside is None and not _is_space(self.body[pos + 1 : pos + 2] or None))
        if ch == "\u00ab":  # French guillemets take a space inside: « texte »
            return inside is None and not (right and not left and _is_space(self.body[pos + 1 : pos + 2] or None))
        if ch in _DOUBLE:
            return left and not right
        # Single marks: only a clean opener that is not an elided letter ('90s, 'n').
        prev = self.body[pos - 1] if pos > 0 else None
        if not left or right or (prev is not None and (prev.isalnum() or prev in "'\u2019")):
            return False
        return ch != "\u2019" and not _APOSTROPHE_WORD.match(self.body, pos + 1)

    def _closes(self, pos: int, current: _Open) -> bool:
        ch = self.body[pos]
        left, right = self._flanks(pos)
        opener = current.mark
        if opener == "\u201e" and ch == "\u201c":  # German „…“
            return True
        if ch in "\u201e\u201f\u201a":
            return False
        if opener == "\u00bb":  # German »…«
            return ch == "\u00ab"
        if opener == "\u00ab" and ch == "\u00bb":
            return True
        if ch in _DOUBLE:
            if ch == '"' and not left and not right and opener == '"':
                return self._closes_after_space(pos)
            return (right and not left) or (right and left and ch != "\u201c")
        # Single marks close only cleanly, never between letters (an apostrophe).
        nxt = self.body[pos + 1] if pos + 1 < len(self.body) else None
        return right and not left and not (nxt is not None and nxt.isalnum())

    def _closes_after_space(self, pos: int) -> bool:
        """A straight mark with space on both sides closes after the quotation's punctuation or before prose.

        Scraped and machine-translated copy prints `surveillance. " he added`:
        the mark cannot open (a space follows it), and what it ends reads as
        the end of a quotation (a full stop, a comma) or what follows reads as
        the reporter's prose (a lower-case word).
        """
        before = self.body[max(0, pos - 8) : pos].rstrip()[-1:]
        after = _NEXT_LETTER.match(self.body, pos + 1)
        return before in _PROSE_PUNCTUATION or (after is not None and after.group(1).islower())

    def _closes_loosely(self, pos: int) -> bool:
        return self._flanks(pos)[1]

    def _single_closes_in_block(self, pos: int, end: int) -> bool:
        # Whether a single mark closes cleanly does not depend on the opener,
        # so the closers of a block are found once and looked up by bisection:
        # a block of many stray single marks stays linear.
        first, closers = self._single_closers.get(end, (end, []))
        if pos < first:
            probe = _Open(self.body[pos], pos, [], pos + 1)
            marks = _MARK.finditer(self.body, pos + 1, end)
            closers = [m.start() for m in marks if m.group() not in _DOUBLE and self._closes(m.start(), probe)]
            self._single_closers[end] = (pos, closers)
        i = bisect.bisect_right(closers, pos)
        return i < len(closers) and closers[i] < min(end, pos + _MAX_SINGLE_QUOTE)

    def _emit(self, current: _Open, close_end: int | None, *, unbalanced: bool) -> None:
        body = self.body
        segments = [_strip(body, s, e) for s, e in current.segments]
        segments = [(s, e) for s, e in segments if e > s]
        if not segments or not any(_HAS_WORD.search(body, s, e) for s, e in segments):
            return
        mapped = tuple(self.repaired.map.span(s, e) for s, e in segments)
        outer_end = close_end if close_end is not None else segments[-1][1]
        kind = QuoteKind.TERM if len(segments) == 1 and _is_term(body, current.mark_start, *segments[0]) else QuoteKind.QUOTATION
        outer_start, outer_end = self.repaired.map.span(current.mark_start, outer_end)
        self.quotes.append(Quote(mapped[0][0], mapped[-1][1], kind, mapped, outer_start, outer_end, unbalanced))


def _is_term(body: str, mark_start: int, start: int, end: int) -> bool:
    """Whether a quotation is scare quotes or the title of a work: `so-called "cuties"`, `"One Hundred Years of Solitude"`.

    A term follows "so-called", "dubbed", "titled", "known as" and the like;
    a title is in title case, with no sentence punctuation inside, after a
    noun for a work ("the film") or of three words or more with a small
    word inside ("of", "at"). A quoted phrase someone calls something
    ("what IBM calls "general purpose"") stays a quotation.

    >>> text = 'She reread "One Hundred Years of Solitude" and the so-called "cuties".'
    >>> _is_term(text, 11, 12, 41), _is_term(text, 61, 62, 68)
    (True, True)
    """
    lead = body[max(0, mark_start - 40) : mark_start]
    content = body[start:end]
    words = _TITLE_WORD.findall(content)
    if _TERM_LEAD.search(lead):
        return 0 < len(words) <= 8
    if len(words) < 2 or regex.search(r"[.!?;:\u2026]", content) or "," in content.rstrip(", "):
        return False
    if not all(w[:1].isupper() or w[:1].isdigit() or w.casefold() in _SMALL_WORDS for w in words):
        return False
    if not (words[0][:1].isupper() and words[-1][:1].isupper()):
        return False
    small_inside = any(w.casefold() in _SMALL_WORDS for w in words[1:-1])
    return _WORK_BEFORE.search(lead) is not None or (len(words) >= 3 and small_inside)
