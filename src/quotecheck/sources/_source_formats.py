"""Readers for registry sources that are not plain text: saved web pages, PDFs and timed transcripts.

Each reader turns one file into `Extracted`: the text a source holds (what
offsets index), plus what the format knows about places in it, the start of
each PDF page and the timing and speaker of each transcript cue. The
registry builds a `Source` from it exactly as from a `.txt` file.

Transcripts (WebVTT and SubRip) are parsed here, by hand: both formats are a
page of grammar, and the libraries that read them bring more than they save
(`webvtt-py` reads voice tags but not SubRip; `srt` reads SubRip only; neither
reports the line of a fault). Cues are joined into running text: the lines of
a cue and consecutive cues with a space, so sentences split across cues read
whole; a change of speaker (a WebVTT `<v Name>` voice tag, or a `>>` turn
marker) or a pause of `PARAGRAPH_PAUSE` seconds or more starts a paragraph.
"""

from __future__ import annotations

import enum
import html
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from quotecheck.errors import InputError, MissingExtra, RegistryFormatError
from quotecheck.reading._io import read_text
from quotecheck.reading.markup import read_html

__all__ = ["PARAGRAPH_PAUSE", "Cue", "Extracted", "SourceFormat", "format_of", "read_extracted", "read_srt", "read_vtt"]

PARAGRAPH_PAUSE = 3.0
"""Seconds of silence between two cues of a transcript that start a new paragraph."""


class SourceFormat(enum.StrEnum):
    """The kind of file a source was read from; it decides what a link into the source looks like."""

    TEXT = "text"
    HTML = "html"
    PDF = "pdf"
    WEBVTT = "webvtt"
    SUBRIP = "subrip"


_SUFFIXES = {
    ".txt": SourceFormat.TEXT,
    ".md": SourceFormat.TEXT,
    ".html": SourceFormat.HTML,
    ".htm": SourceFormat.HTML,
    ".pdf": SourceFormat.PDF,
    ".vtt": SourceFormat.WEBVTT,
    ".srt": SourceFormat.SUBRIP,
}


def format_of(path: str | Path) -> SourceFormat | None:
    """The format of a registry file by its suffix (any case), or None when it is not a source.

    >>> format_of("speech.VTT"), format_of("notes.toml")
    (<SourceFormat.WEBVTT: 'webvtt'>, None)
    """
    return _SUFFIXES.get(Path(path).suffix.lower())


@attrs.frozen
class Cue:
    """A timed stretch of a transcript's text.

    Attributes:
        start: offset of the cue's words in the source text.
        end: offset after them.
        time: when the cue starts, in seconds.
        end_time: when it ends, in seconds.
        speaker: the voice the cue names, if any.
    """

    start: int
    end: int
    time: float
    end_time: float
    speaker: str | None = None


@attrs.frozen
class Extracted:
    """What a reader found in one file.

    Attributes:
        text: the source text; offsets index it.
        format: the file's format.
        pages: for a PDF, the offset where each page's text starts (page 1 first).
        cues: for a transcript, every cue in order.
        warnings: what a user should know, naming the file (pages without text).
    """

    text: str
    format: SourceFormat
    pages: tuple[int, ...] = ()
    cues: tuple[Cue, ...] = ()
    warnings: tuple[str, ...] = ()


def read_extracted(path: Path, fmt: SourceFormat, *, max_chars: int) -> Extracted:
    """Reads a web page, a PDF or a transcript into text.

    Args:
        path: the file.
        fmt: its format (not `TEXT`: plain text keeps its `+++` header and is parsed by the registry).
        max_chars: the longest text a source may have (`Config.max_source_chars`).

    Raises:
        InputError: the file cannot be read or decoded.
        MissingExtra: a PDF, without pypdf installed.
        RegistryFormatError: the file is malformed, naming file and line (or page),
            or its text is longer than `max_chars`.
    """
    if fmt is SourceFormat.PDF:
        extracted = read_pdf(path, max_chars=max_chars)
    elif fmt is SourceFormat.HTML:
        extracted = Extracted(read_html(read_text(path)).text, fmt)
    elif fmt is SourceFormat.WEBVTT:
        extracted = read_vtt(read_text(path), path=str(path))
    elif fmt is SourceFormat.SUBRIP:
        extracted = read_srt(read_text(path), path=str(path))
    else:  # pragma: no cover - the registry parses plain text itself
        raise ValueError(f"fmt={fmt!r} is read by the registry")
    if len(extracted.text) > max_chars:
        raise RegistryFormatError(
            str(path), f"source of {len(extracted.text):,} characters (extracted) is longer than max_source_chars={max_chars:,}"
        )
    return extracted


# -- PDF ----------------------------------------------------------------------------------------------------------


# A word broken across two lines by the typesetter ("recog-" / "nition"): the hyphen is layout, not the author's.
# A compound that happens to break at a line end ("well-" / "known") is joined too: a quotation of it is then
# cosmetic (hyphenation) instead of exact, where leaving every break would make every broken word cosmetic.
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u00ad]\n(?=[^\W\d_](?<![A-Z]))")


def read_pdf(path: Path, *, max_chars: int) -> Extracted:
    """The text layer of a PDF, page by page (pages separated by a blank line), through pypdf.

    Words the typesetter broke across lines with a hyphen are joined again.
    Pages without text get a warning naming them. A PDF with no text at all
    (scanned, needing OCR) gives empty text and a warning: the registry leaves it out.
    """
    name = str(path)
    try:
        import pypdf  # noqa: PLC0415 - an optional extra, imported when a PDF is read
    except ImportError:
        raise MissingExtra(f"{name}: reading PDF sources needs pypdf: pip install 'quotecheck[pdf]'") from None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if b"%PDF-" not in data[:1024]:
        raise RegistryFormatError(name, "is not a PDF (no %PDF- signature at its start)")
    # pypdf logs what it repairs in a damaged file; the faults that matter are raised as errors here.
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return _pdf_text(pypdf, data, name, max_chars)
    finally:
        logger.setLevel(level)


def _pdf_text(pypdf: Any, data: bytes, name: str, max_chars: int) -> Extracted:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # encrypted only against editing: the empty user password opens it
            except pypdf.errors.DependencyError:
                raise RegistryFormatError(name, "the PDF is AES-encrypted; reading it needs the cryptography package") from None
            except Exception:  # an unknown scheme: it does not open
                opened = 0
            if not opened:
                raise RegistryFormatError(name, "the PDF is encrypted with a password: save a copy without one")
        pages = list(reader.pages)
    except RegistryFormatError:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on a damaged file
        raise RegistryFormatError(name, f"damaged PDF, cannot be read ({type(exc).__name__}: {exc})") from None
    texts: list[str] = []  # the pages with text
    starts: list[int] = []  # every page's start offset
    empty: list[int] = []
    length = 0
    for number, page in enumerate(pages, 1):
        try:
            raw = page.extract_text() or ""
        except Exception as exc:  # as above, for one page
            raise RegistryFormatError(name, f"page {number}: damaged, its text cannot be read ({type(exc).__name__}: {exc})") from None
        text = _LINE_END_HYPHEN.sub("", "\n".join(line.rstrip() for line in raw.strip().splitlines()))
        if not text:  # no text and no separator: it starts where the next page with text does
            empty.append(number)
            starts.append(length + 2 if texts else 0)
            continue
        if texts:
            length += 2  # the blank line between pages
        starts.append(length)
        texts.append(text)
        length += len(text)
        if length > max_chars:
            raise RegistryFormatError(name, f"page {number}: the text so far is longer than max_source_chars={max_chars:,}")
    if not pages or len(empty) == len(pages):
        # Not an error: one scanned PDF in a folder of sources must not keep the others from loading.
        warning = f"{name}: the PDF has no text layer (a scanned PDF?), so it is not loaded: run OCR on it, or save its text as .txt"
        return Extracted("", SourceFormat.PDF, warnings=(warning,))
    warnings: tuple[str, ...] = ()
    if empty:
        listed = ", ".join(map(str, empty[:10])) + (" ..." if len(empty) > 10 else "")
        warnings = (f"{name}: {len(empty)} of {len(pages)} pages have no text layer (pages {listed}); their words cannot be checked",)
    return Extracted("\n\n".join(texts) + "\n", SourceFormat.PDF, pages=tuple(starts), warnings=warnings)


# -- Transcripts --------------------------------------------------------------------------------------------------

_VTT_TIME = r"(?:(\d{1,}):)?(\d{2}):(\d{2})[.](\d{3})"
_SRT_TIME = r"(\d{1,}):(\d{2}):(\d{2})[,.](\d{1,3})"
_VTT_TIMING = re.compile(rf"^\s*{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t].*)?$")
_SRT_TIMING = re.compile(rf"^\s*{_SRT_TIME}[ \t]*-->[ \t]*{_SRT_TIME}(?:[ \t].*)?$")
_VTT_EXAMPLE = "00:00:01.000 --> 00:00:04.000"
_TAG = re.compile(r"<(/?)([^\s>./]*)([^>]*)>")
_ASS_TAG = re.compile(r"\{\\[^}]*\}")
_TURN = re.compile(r"^\s*>>+\s*")


@attrs.frozen
class _Segment:
    line: int
    time: float
    end_time: float
    speaker: str | None
    text: str
    turn: bool  # a `>>` marker: a new speaker, unnamed


def _seconds(groups: tuple[str | None, ...], path: str, line: int) -> float:
    hours, minutes, seconds, millis = (g or "0" for g in groups)
    if int(minutes) > 59 or int(seconds) > 59:
        raise RegistryFormatError(path, f"malformed timestamp: minutes and seconds must be below 60 (got {minutes}:{seconds})", line=line)
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(millis.ljust(3, "0")) / 1000


def _blocks(content: str) -> Iterator[tuple[int, list[str]]]:
    """The blocks of a transcript (runs of non-blank lines), each with the 1-based number of its first line."""
    block: list[str] = []
    first = 1
    for number, line in enumerate(content.removeprefix("\ufeff").splitlines(), 1):
        if line.strip():
            if not block:
                first = number
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _stamp(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}.{round((seconds - whole) * 1000):03d}"


def read_vtt(content: str, *, path: str) -> Extracted:
    """Reads a WebVTT transcript: cues with their timing and `<v Speaker>` voices, joined into paragraphs.

    Raises:
        RegistryFormatError: no `WEBVTT` signature, a malformed or
            overlapping timing, a block that is no cue, or no words at all,
            naming the file and line.

    >>> text = "WEBVTT\\n\\n00:01.000 --> 00:02.500\\n<v Ann>We will\\n\\n00:02.500 --> 00:04.000\\n<v Ann>not stop.\\n"
    >>> extracted = read_vtt(text, path="t.vtt")
    >>> extracted.text, [(c.time, c.speaker) for c in extracted.cues]
    ('We will not stop.\\n', [(1.0, 'Ann'), (2.5, 'Ann')])
    """
    blocks = list(_blocks(content))
    if not blocks or not re.match(r"WEBVTT(?:[ \t]|$)", blocks[0][1][0]):
        raise RegistryFormatError(path, "a WebVTT file must start with the line WEBVTT", line=1)
    segments: list[_Segment] = []
    last: tuple[int, float] | None = None
    for first, lines in blocks[1:]:
        if re.match(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)", lines[0]):
            continue
        timing_at = 0 if "-->" in lines[0] else 1 if len(lines) > 1 and "-->" in lines[1] else None
        if timing_at is None:
            raise RegistryFormatError(path, f"expected a cue timing line such as {_VTT_EXAMPLE}, got {lines[0][:60]!r}", line=first)
        line = first + timing_at
        match = _VTT_TIMING.match(lines[timing_at])
        if match is None:
            raise RegistryFormatError(path, f"malformed cue timing {lines[timing_at][:60]!r}; expected {_VTT_EXAMPLE}", line=line)
        start, end = _seconds(match.groups()[:4], path, line), _seconds(match.groups()[4:], path, line)
        last = _check_order(last, path, line, start, end)
        segments.extend(_vtt_segments("\n".join(lines[timing_at + 1 :]), line, start, end))
    return _join(segments, SourceFormat.WEBVTT, path)


def _vtt_segments(payload: str, line: int, start: float, end: float) -> Iterator[_Segment]:
    """A cue's text cut where its voice changes; tags dropped and character references decoded."""
    voice: str | None = None
    pieces: list[str] = []
    turn = False

    def flush() -> Iterator[_Segment]:
        nonlocal pieces, turn
        text = html.unescape("".join(pieces))
        if _TURN.match(text):
            turn, text = True, _TURN.sub("", text)
        text = " ".join(text.split())
        if text:
            yield _Segment(line, start, end, voice, text, turn)
        pieces, turn = [], False

    pos = 0
    for tag in _TAG.finditer(payload):
        pieces.append(payload[pos : tag.start()])
        pos = tag.end()
        closing, name, rest = tag.groups()
        if name == "v":
            yield from flush()
            # `<v.loud Esme>`: classes come before the name
            voice = None if closing else (re.sub(r"^(?:\.[^\s.>]+)+", "", rest).strip() or None)
    pieces.append(payload[pos:])
    yield from flush()


def read_srt(content: str, *, path: str) -> Extracted:
    """Reads a SubRip transcript: numbered cues with their timing, joined into paragraphs.

    SubRip names no speakers; a `>>` at the start of a cue marks a new one.

    Raises:
        RegistryFormatError: a block without a timing line, a malformed or
            overlapping timing, or no words at all, naming the file and line.

    >>> text = "1\\n00:00:01,000 --> 00:00:02,000\\nWe <i>will</i>\\n\\n2\\n00:00:02,000 --> 00:00:03,000\\nnot.\\n"
    >>> extracted = read_srt(text, path="t.srt")
    >>> extracted.text, [c.time for c in extracted.cues]
    ('We will not.\\n', [1.0, 2.0])
    """
    segments: list[_Segment] = []
    last: tuple[int, float] | None = None
    for first, lines in _blocks(content):
        timing_at = 1 if lines[0].strip().isdigit() and len(lines) > 1 else 0
        line = first + timing_at
        match = _SRT_TIMING.match(lines[timing_at])
        if match is None:
            what = "malformed cue timing" if "-->" in lines[timing_at] else "expected a cue timing line"
            raise RegistryFormatError(path, f"{what} {lines[timing_at][:60]!r}; expected 00:00:01,000 --> 00:00:04,000", line=line)
        start, end = _seconds(match.groups()[:4], path, line), _seconds(match.groups()[4:], path, line)
        text = html.unescape(_TAG.sub("", _ASS_TAG.sub("", "\n".join(lines[timing_at + 1 :]))))
        turn = _TURN.match(text) is not None
        text = " ".join(_TURN.sub("", text).split())
        last = _check_order(last, path, line, start, end)
        if text:
            segments.append(_Segment(line, start, end, None, text, turn))
    return _join(segments, SourceFormat.SUBRIP, path)


def _check_order(last: tuple[int, float] | None, path: str, line: int, start: float, end: float) -> tuple[int, float]:
    """Raises on a cue that ends before it starts or starts before the cue before it ends; returns its (line, end)."""
    if end < start:
        raise RegistryFormatError(path, f"cue ends ({_stamp(end)}) before it starts ({_stamp(start)})", line=line)
    if last is not None and start < last[1]:
        raise RegistryFormatError(
            path,
            f"cue starts at {_stamp(start)}, before the cue before it (line {last[0]}) ends at {_stamp(last[1])}: "
            "overlapping cues cannot be read as one transcript",
            line=line,
        )
    return line, end


def _join(segments: list[_Segment], fmt: SourceFormat, path: str) -> Extracted:
    """Cue texts joined with spaces; a new speaker or a long pause starts a paragraph."""
    if not segments:
        raise RegistryFormatError(path, "the transcript has no cue with words")
    out: list[str] = []
    cues: list[Cue] = []
    length = 0
    speaker: str | None = None
    previous: _Segment | None = None
    for segment in segments:
        if previous is not None:
            new_speaker = segment.turn or (segment.speaker is not None and segment.speaker != speaker)
            paused = segment.time - previous.end_time >= PARAGRAPH_PAUSE
            separator = "\n\n" if new_speaker or paused else " "
            out.append(separator)
            length += len(separator)
        if segment.speaker is not None or segment.turn:
            speaker = segment.speaker
        out.append(segment.text)
        cues.append(Cue(length, length + len(segment.text), segment.time, segment.end_time, speaker))
        length += len(segment.text)
        previous = segment
    return Extracted("".join(out) + "\n", fmt, cues=tuple(cues))
