"""The registry: canonical source texts and what is known about them.

A registry is a directory of source files: plain text (`.txt`, `.md`), saved
web pages (`.html`, `.htm`), PDFs (`.pdf`, with the `pdf` extra) and timed
transcripts (WebVTT `.vtt`, SubRip `.srt`); `_source_formats` reads the
formats that are not plain text. A file with no header is a valid source
whose id is the file's stem and whose speaker is unknown. A TOML header
between `+++` lines adds metadata::

    +++
    speaker = "Arvind Krishna"
    aliases = ["Krishna", "IBM CEO"]
    speaks_for = ["IBM"]
    title = "Letter to Congress on racial justice reform"
    date = 2020-06-08
    url = "https://example.org/letter"

    [[embedded]]
    speaker = "Thomas J. Watson, Jr."
    aliases = ["Watson"]
    paragraph = 9
    +++
    June 8, 2020
    ...

A sidecar `NAME.toml` beside any source file (`NAME` its stem, or its whole
name: `speech.vtt.toml`) holds the same keys, for formats that cannot carry
a header; sidecars are not sources.

A line reading `[[gap]]` in the text marks a stretch the registry does not
hold; a source with a gap, or with `complete = false`, is partial.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import importlib.resources
import tomllib
import urllib.parse
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import regex

from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.errors import InputError, InvalidArgument, RegistryFormatError, SourceNotFound, SourceWarning
from quotecheck.reading._io import read_text
from quotecheck.sources._source_formats import Cue, Extracted, SourceFormat, format_of, read_extracted
from quotecheck.text.normalize import TokenTable, fold, gap_spans

__all__ = ["SOURCE_SUFFIXES", "Cue", "Embedded", "Paragraph", "Registry", "Source", "SourceFormat", "builtin_registry", "text_fragment"]

SOURCE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".vtt", ".srt")
"""The suffixes (in any case) of the files a registry directory's sources are read from."""

_HEADER = regex.compile(r"\A\ufeff?\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*(?:\r?\n|\Z)", regex.DOTALL | regex.MULTILINE)
_BLANK_LINES = regex.compile(r"\n[ \t\r]*\n\s*")
_TOML_LINE = regex.compile(r"line (\d+)")
_KNOWN_KEYS = frozenset(
    {"id", "speaker", "aliases", "speaks_for", "title", "date", "url", "complete", "language", "embedded", "reported_missing"}
)
_EMBEDDED_KEYS = frozenset({"speaker", "aliases", "paragraph", "text"})


@attrs.frozen
class Paragraph:
    """A paragraph of a source: its 1-based number and its span in the text."""

    number: int
    start: int
    end: int


@attrs.frozen
class Embedded:
    """A quotation inside a source: these words are another speaker's."""

    start: int
    end: int
    speaker: str
    aliases: tuple[str, ...] = ()


def short_text(text: str, *, width: int = 40) -> str:
    """A long text as its length and first words, for a repr: whole source texts are a wall in a notebook cell.

    >>> short_text("short"), short_text("word " * 30)
    ("'short'", "<150 chars: 'word word word word word word word word …'>")
    """
    if len(text) <= width:
        return repr(text)
    return f"<{len(text):,} chars: {text[:width] + chr(0x2026)!r}>"


@attrs.frozen
class Source:
    """A canonical text and its metadata.

    Attributes:
        id: unique in its registry; the file stem unless the header says.
        text: the canonical text, exactly as in the file after the header.
        speaker: who wrote or said it, or None if unknown.
        aliases: other names the speaker goes by in articles.
        speaks_for: organisations on whose behalf the speaker speaks; words
            of the source attributed to them are correctly attributed.
        title, date, url, language: as the header gives them.
        complete: False when the registry holds only part of the text.
        paragraphs: the paragraphs, separated by blank lines.
        gaps: spans of `[[gap]]` lines, where text is missing.
        embedded: quotations of other speakers inside the text.
        reported_missing: words of the missing part known from secondary reports.
        path: the file it was read from, if any.
        format: the kind of file: text, html, pdf, webvtt or subrip.
        pages: for a PDF, the offset in `text` where each page starts.
        cues: for a transcript, each cue's span in `text` and its timing.
        hash: SHA-256 of the text, identifying this version of it.
        tokens: the words of the text (and GAP tokens), for alignment.
    """

    id: str
    text: str = attrs.field(repr=short_text)
    speaker: str | None = None
    aliases: tuple[str, ...] = ()
    speaks_for: tuple[str, ...] = ()
    title: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None
    complete: bool = True
    embedded: tuple[Embedded, ...] = attrs.field(default=(), repr=lambda spans: f"<{len(spans)} embedded>" if spans else "()")
    reported_missing: tuple[str, ...] = attrs.field(default=(), repr=lambda words: f"<{len(words)} reported>" if words else "()")
    path: str | None = None
    format: SourceFormat = SourceFormat.TEXT
    pages: tuple[int, ...] = attrs.field(default=(), repr=False)
    cues: tuple[Cue, ...] = attrs.field(default=(), repr=False)
    paragraphs: tuple[Paragraph, ...] = attrs.field(init=False, repr=False, eq=False)
    gaps: tuple[tuple[int, int], ...] = attrs.field(init=False, repr=False, eq=False)
    hash: str = attrs.field(init=False, repr=False, eq=False)
    _cue_starts: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)
    _cue_ends: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)
    _tokens: TokenTable | None = attrs.field(init=False, default=None, repr=False, eq=False)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The short repr for IPython's and Hypothesis's pretty printers, which would otherwise list every field."""
        printer.text(repr(self))

    def __attrs_post_init__(self) -> None:
        gaps = gap_spans(self.text)
        spans = (span for span in _paragraph_spans(self.text) if span not in gaps)
        paragraphs = tuple(Paragraph(n, start, end) for n, (start, end) in enumerate(spans, 1))
        object.__setattr__(self, "gaps", gaps)
        object.__setattr__(self, "paragraphs", paragraphs)
        object.__setattr__(self, "hash", hashlib.sha256(self.text.encode("utf-8")).hexdigest())
        object.__setattr__(self, "_cue_starts", tuple(c.start for c in self.cues))
        object.__setattr__(self, "_cue_ends", tuple(c.end for c in self.cues))
        if gaps:
            object.__setattr__(self, "complete", False)

    @property
    def tokens(self) -> TokenTable:
        """The words of the text (and GAP tokens), tokenised on first use: a registry whose saved
        index answers most lookups never tokenises the sources no quotation comes near."""
        if self._tokens is None:
            object.__setattr__(self, "_tokens", TokenTable(self.text))
        assert self._tokens is not None
        return self._tokens

    @property
    def keys(self) -> list[str]:
        """Each token's key, as `tokens` (a GAP's is "")."""
        return self.tokens.keys

    @property
    def gap_indices(self) -> list[int]:
        """The indices of the GAP tokens in `tokens`."""
        return self.tokens.gaps

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph holding `offset`, or the next one after it."""
        for paragraph in self.paragraphs:
            if offset < paragraph.end:
                return paragraph
        return None

    def page_at(self, offset: int) -> int | None:
        """The 1-based PDF page holding `offset`, or None for a source without pages.

        >>> Source(id="s", text="one\\n\\ntwo\\n", pages=(0, 5)).page_at(5)
        2
        """
        if not self.pages:
            return None
        return max(bisect.bisect_right(self.pages, offset), 1)

    def time_at(self, start: int, end: int) -> tuple[float | None, float | None]:
        """For a transcript, when the passage `[start, end)` starts and ends, in seconds.

        The start is that of the cue where the passage begins (or the next cue,
        when `start` falls between two), the end that of the cue where it ends.
        Without cues, `(None, None)`.
        """
        if not self.cues:
            return None, None
        cues = self.cues
        first = bisect.bisect_right(self._cue_starts, start) - 1
        if first < 0 or (start >= cues[first].end and first + 1 < len(cues)):
            first += 1
        # Cues are in text order and do not overlap, so their ends are sorted too.
        last = max(bisect.bisect_left(self._cue_ends, max(end, start + 1)), first)
        return cues[first].time, cues[min(last, len(cues) - 1)].end_time

    def link(self, start: int, end: int) -> str | None:
        """An address that opens the source at the passage `[start, end)`, or None without a URL.

        A transcript's URL gets a media fragment (`#t=SECONDS`), a PDF's the page
        (`#page=N`), any other a text fragment of the passage (`#:~:text=`). A
        fragment already in the URL is replaced.

        >>> Source(id="s", text="We choose to go.", url="https://example.org/a#top").link(0, 15)
        'https://example.org/a#:~:text=We%20choose%20to%20go'
        """
        if not self.url:
            return None
        base = self.url.split("#", 1)[0]
        if self.cues:
            time = self.time_at(start, end)[0] or 0.0
            return f"{base}#t={time:.3f}".rstrip("0").rstrip(".")
        if self.pages:
            return f"{base}#page={self.page_at(start)}"
        fragment = text_fragment(self.text[start:end])
        return f"{base}#:~:text={fragment}" if fragment else base

    def speaker_at(self, start: int, end: int) -> str | None:
        """Who speaks the words in `[start, end)`: an embedded speaker or the source's."""
        for quote in self.embedded:
            if quote.start <= start and end <= quote.end:
                return quote.speaker
        return self.speaker

    def names(self) -> Iterator[tuple[str, str]]:
        """Every (name, party) pair an article may use for a speaker of this source."""
        if self.speaker:
            for name in (self.speaker, *self.aliases):
                yield name, self.speaker
        for organisation in self.speaks_for:
            yield organisation, organisation
        for quote in self.embedded:
            for name in (quote.speaker, *quote.aliases):
                yield name, quote.speaker


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the paragraphs of `text`, stripped of surrounding whitespace."""
    pos = 0
    for blank in (*_BLANK_LINES.finditer(text), None):
        end = blank.start() if blank is not None else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            start = pos + len(chunk) - len(chunk.lstrip())
            yield start, pos + len(chunk.rstrip())
        if blank is not None:
            pos = blank.end()


_FRAGMENT_WORDS = 4  # words at either end of a long passage in a text fragment (start,end)


def text_fragment(passage: str) -> str:
    """A URL text fragment directive's value for a passage: the whole passage, or its first and last words.

    Each term is percent-encoded, `-`, `,` and `&` included, as the text
    fragment syntax requires; whitespace is collapsed to single spaces.

    >>> text_fragment("a well-known, short passage")
    'a%20well%2Dknown%2C%20short%20passage'
    >>> text_fragment("one two three four five six seven eight nine ten")
    'one%20two%20three%20four,seven%20eight%20nine%20ten'
    """

    def term(words: list[str]) -> str:
        return urllib.parse.quote(" ".join(words), safe="").replace("-", "%2D")

    words = passage.split()
    if len(words) <= 2 * _FRAGMENT_WORDS:
        return term(words)
    return f"{term(words[:_FRAGMENT_WORDS])},{term(words[-_FRAGMENT_WORDS:])}"


def _name_key(name: str) -> str:
    """A name compared by its words, folded, without a possessive or a leading "the" ("the company", "company")."""
    words = regex.findall(r"[\p{L}\p{N}]+", fold(name).text.replace("'s", ""))
    return " ".join(words[1:] if len(words) > 1 and words[0] == "the" else words)


@attrs.frozen(repr=False)
class Registry:
    """An ordered collection of sources with unique ids.

    Its repr is a summary, `Registry(3 sources, hash=1f2e3d4c5b6a...)`; the
    sources are `list(registry)`.
    """

    sources: tuple[Source, ...]
    _by_id: Mapping[str, Source] = attrs.field(init=False, repr=False, eq=False)
    _names: tuple[tuple[str, str], ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_id: dict[str, Source] = {}
        for source in self.sources:
            if source.id in by_id:
                where = f" ({by_id[source.id].path} and {source.path})" if source.path else ""
                raise InvalidArgument(f"duplicate source id={source.id!r}{where}")
            by_id[source.id] = source
        object.__setattr__(self, "_by_id", by_id)
        names = {(_name_key(name), party) for source in self.sources for name, party in source.names()}
        # Longest names first, so "Arvind Krishna" wins over "IBM" in "IBM CEO Arvind Krishna".
        object.__setattr__(self, "_names", tuple(sorted(names, key=lambda np: (-len(np[0]), np))))

    @classmethod
    def from_sources(cls, sources: Iterable[Source]) -> Registry:
        """A registry of the given sources, in order."""
        return cls(tuple(sources))

    @classmethod
    def from_path(cls, path: str | Path, *, config: Config = DEFAULT_CONFIG) -> Registry:
        """Loads every source file under a directory (see `SOURCE_SUFFIXES`), sorted by path.

        A sidecar `NAME.toml` beside a file gives its metadata. A PDF with no
        text layer is left out with a `SourceWarning`; one with some pages
        without text is loaded with one.

        Args:
            path: the registry directory.
            config: `max_source_chars` limits the size of one source's text.

        Raises:
            InputError: the path is missing, not a directory, holds no
                source, or a source file cannot be read or decoded.
            MissingExtra: the registry holds a PDF and pypdf is not installed.
            RegistryFormatError: a file's header or sidecar is malformed, a
                PDF or transcript cannot be read (naming the file and line or
                page), or a source is longer than `config.max_source_chars`.
            InvalidArgument: two sources share an id.
        """
        root = Path(path)
        if not root.exists():
            raise InputError(f"{root}: registry directory does not exist")
        if not root.is_dir():
            raise InputError(f"{root}: registry must be a directory of source files, not a file")
        files = sorted(p for p in root.rglob("*") if format_of(p) is not None and p.is_file() and p.name.lower() != "readme.md")
        if not files:
            raise InputError(f"{root}: registry holds no source ({', '.join(SOURCE_SUFFIXES)}) files")
        sources = [source for file in files if (source := read_source(file, config=config)) is not None]
        if not sources:
            raise InputError(f"{root}: registry holds no source with text (see the warnings)")
        return cls(tuple(sources))

    def __iter__(self) -> Iterator[Source]:
        return iter(self.sources)

    def __repr__(self) -> str:
        return f"Registry({len(self.sources)} source{'s' if len(self.sources) != 1 else ''}, hash={self.hash[:12]}...)"

    def _repr_html_(self) -> str:
        """A notebook's view: the size and hash, and a table of the sources (id, speaker, title, date, words, hash)."""
        from quotecheck.rendering._html import registry_fragment  # noqa: PLC0415 (the renderers draw on this module)

        return registry_fragment(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The short repr for IPython's and Hypothesis's pretty printers, which would otherwise list every field."""
        printer.text(repr(self))

    def __len__(self) -> int:
        return len(self.sources)

    def __getitem__(self, source_id: str) -> Source:
        try:
            return self._by_id[source_id]
        except KeyError:
            raise SourceNotFound(f"source id={source_id!r} is not in the registry") from None

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._by_id

    @property
    def hash(self) -> str:
        """SHA-256 over the ids and text hashes of every source."""
        digest = hashlib.sha256()
        for source in self.sources:
            digest.update(f"{source.id}\0{source.hash}\n".encode())
        return digest.hexdigest()

    def resolve_speaker(self, name: str | None) -> str | None:
        """The registry speaker an article's name for someone refers to, if any.

        A name matches when it holds a known name or alias as whole words;
        the longest known name wins.

        >>> builtin_registry().resolve_speaker("IBM CEO Arvind Krishna")
        'Arvind Krishna'
        """
        if not name:
            return None
        key = f" {_name_key(name)} "
        for known, party in self._names:
            if known and f" {known} " in key:
                return party
        return None

    def parties_of(self, source: Source, start: int, end: int) -> frozenset[str]:
        """The parties an attribution may name for words of `source` in `[start, end)`."""
        speaker = source.speaker_at(start, end)
        if speaker is None:
            return frozenset()
        if speaker == source.speaker:
            return frozenset({speaker, *source.speaks_for})
        return frozenset({speaker})


def read_source(file: Path, *, config: Config = DEFAULT_CONFIG) -> Source | None:
    """Reads one registry file of any format, with its sidecar `NAME.toml` if there is one.

    Returns:
        The source, or None for a PDF with no text layer (after a `SourceWarning`).

    Raises:
        InputError, MissingExtra, RegistryFormatError: as `Registry.from_path`.
    """
    fmt = format_of(file) or SourceFormat.TEXT
    sidecar = _sidecar(file)
    if fmt is SourceFormat.TEXT:
        return parse_source(read_text(file), path=str(file), default_id=file.stem, config=config, sidecar=sidecar)
    extracted = read_extracted(file, fmt, max_chars=config.max_source_chars)
    for message in extracted.warnings:
        warnings.warn(message, SourceWarning, stacklevel=3)
    if not extracted.text.strip():
        return None
    return source_from_extracted(extracted, path=str(file), default_id=file.stem, sidecar=sidecar)


def _sidecar(file: Path) -> tuple[str, str] | None:
    """The path and text of a source file's sidecar: `NAME.EXT.toml` first, then `NAME.toml`."""
    for candidate in (file.with_name(file.name + ".toml"), file.with_suffix(".toml")):
        if candidate.is_file():
            return str(candidate), read_text(candidate)
    return None


def source_from_extracted(extracted: Extracted, *, path: str, default_id: str, sidecar: tuple[str, str] | None = None) -> Source:
    """A source from a web page, PDF or transcript's text, with its sidecar's metadata.

    A transcript's voices (`<v Name>`) become its speakers: the sidecar's
    `speaker`, or else the voice that speaks most, is the source's speaker
    (a voice named by the speaker's name or an alias is theirs), and the
    stretches of every other voice are embedded quotations of theirs.

    Raises:
        RegistryFormatError: the sidecar is malformed, naming it and the line.
    """
    origins: list[tuple[str, str, Mapping[str, Any]]] = [(path, "", {})]
    if sidecar is not None:
        origins = [(sidecar[0], sidecar[1], _toml(sidecar[1], sidecar[0], first_line=1))]
    header = dict(origins[0][2])
    voices = {cue.speaker for cue in extracted.cues if cue.speaker is not None}
    # An [[embedded]] entry naming a voice and nothing of where it is gives that voice's aliases.
    entries = header.get("embedded")
    voice_aliases: dict[str, tuple[str, ...]] = {}
    if isinstance(entries, list) and voices:
        kept = []
        for entry in entries:
            if isinstance(entry, dict) and entry.get("speaker") in voices and not {"paragraph", "text"} & set(entry):
                aliases = entry.get("aliases", [])
                if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                    line = _key_line(origins[0][1], "[[embedded]]")
                    raise RegistryFormatError(origins[0][0], "[[embedded]] aliases must be a list of strings", line=line)
                voice_aliases[entry["speaker"]] = tuple(aliases)
            else:
                kept.append(entry)
        header["embedded"] = kept
    source = _from_header(header, extracted.text, path=path, default_id=default_id, origin=_origin(origins))
    source = attrs.evolve(source, format=extracted.format, pages=extracted.pages, cues=extracted.cues)
    if not extracted.cues:
        return source
    voiced: dict[str, int] = {}
    for cue in extracted.cues:
        if cue.speaker is not None:
            voiced[cue.speaker] = voiced.get(cue.speaker, 0) + cue.end - cue.start
    speaker = source.speaker or (max(voiced, key=lambda name: (voiced[name], -list(voiced).index(name))) if voiced else None)
    # The source's speaker under any of its names (`<v Kennedy>` in a transcript of "John F. Kennedy").
    own = {speaker, *source.aliases}
    spans: list[Embedded] = []
    for cue in extracted.cues:
        if cue.speaker is None or cue.speaker in own:
            continue
        if spans and spans[-1].speaker == cue.speaker and source.text[spans[-1].end : cue.start].strip() == "":
            spans[-1] = attrs.evolve(spans[-1], end=cue.end)
        else:
            spans.append(Embedded(cue.start, cue.end, cue.speaker))
    spoken = tuple(attrs.evolve(e, aliases=voice_aliases.get(e.speaker, ())) for e in spans)
    aliases = source.aliases or (voice_aliases.get(speaker, ()) if speaker else ())
    return attrs.evolve(source, speaker=speaker, aliases=aliases, embedded=(*source.embedded, *spoken))


def _toml(content: str, path: str, *, first_line: int) -> dict[str, Any]:
    try:
        return tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = int(found.group(1)) + first_line - 1 if found else None
        raise RegistryFormatError(path, f"{'sidecar' if first_line == 1 else 'header'} is not valid TOML: {exc}", line=line) from None


def parse_source(
    content: str, *, path: str, default_id: str, config: Config = DEFAULT_CONFIG, sidecar: tuple[str, str] | None = None
) -> Source:
    """Parses one source file: an optional `+++` TOML header, then the text.

    Args:
        content: the file's text.
        path: the file, for messages.
        default_id: the id when the header gives none.
        config: `max_source_chars`.
        sidecar: the path and text of a sidecar `NAME.toml`; its keys join the
            header's (a key in both is an error).

    Raises:
        RegistryFormatError: the header or sidecar is malformed, naming file
            and line, or the file is longer than `config.max_source_chars`.
    """
    if len(content) > config.max_source_chars:
        raise RegistryFormatError(
            path, f"source of {len(content):,} characters is longer than max_source_chars={config.max_source_chars:,}"
        )
    header: dict[str, Any] = {}
    text = content.removeprefix("\ufeff")
    body_line = 1
    match = _HEADER.match(content)
    if match is None and text.startswith("+++"):
        raise RegistryFormatError(path, "header opened with +++ is never closed by a +++ line", line=1)
    if match is not None:
        header = _toml(match.group(1), path, first_line=2)
        text = content[match.end() :]
        body_line = content.count("\n", 0, match.end()) + 1
    origins = [(path, content, header)]
    if sidecar is not None:
        side = _toml(sidecar[1], sidecar[0], first_line=1)
        both = sorted(set(header) & set(side))
        if both:
            raise RegistryFormatError(
                sidecar[0], f"key {both[0]!r} is also in the +++ header of {path}: give it once", line=_key_line(sidecar[1], both[0])
            )
        origins.append((sidecar[0], sidecar[1], side))
        header = {**header, **side}
    if not text.strip():
        raise RegistryFormatError(path, "source has no text after its header", line=body_line)
    return _from_header(header, text, path=path, default_id=default_id, origin=_origin(origins))


def _origin(origins: Sequence[tuple[str, str, Mapping[str, Any]]]) -> Callable[[str], tuple[str, str]]:
    """For a key, the file that gives it and that file's text (the last file when none does), for messages."""

    def where(key: str) -> tuple[str, str]:
        for path, content, keys in origins:
            if key in keys:
                return path, content
        return origins[-1][0], origins[-1][1]

    return where


def _from_header(header: Mapping[str, Any], text: str, *, path: str, default_id: str, origin: Callable[[str], tuple[str, str]]) -> Source:
    """A source from its text and its metadata keys; a fault is reported in the file that gives the key, with its line."""

    def fault(key: str, message: str, *, line_key: str | None = None) -> RegistryFormatError:
        where, content = origin(key)
        return RegistryFormatError(where, message, line=_key_line(content, line_key or key))

    unknown = sorted(set(header) - _KNOWN_KEYS)
    if unknown:
        raise fault(unknown[0], f"unknown header key {unknown[0]!r}; expected one of {sorted(_KNOWN_KEYS)}")

    def field(name: str, kind: type | tuple[type, ...]) -> Any:
        value = header.get(name)
        if value is not None and not isinstance(value, kind):
            raise fault(name, f"header key {name!r} has the wrong type: got {value!r}")
        return value

    def names(name: str) -> tuple[str, ...]:
        value = field(name, list) or []
        if not all(isinstance(v, str) for v in value):
            raise fault(name, f"header key {name!r} must be a list of strings")
        return tuple(value)

    date = field("date", (str, datetime.date))
    missing = names("reported_missing")
    source = Source(
        id=field("id", str) or default_id,
        text=text,
        speaker=field("speaker", str),
        aliases=names("aliases"),
        speaks_for=names("speaks_for"),
        title=field("title", str),
        date=date.isoformat() if isinstance(date, datetime.date) else date,
        url=field("url", str),
        language=field("language", str),
        complete=field("complete", bool) is not False,
        reported_missing=missing,
        path=path,
    )
    meta_path, content = origin("embedded")
    embedded = tuple(_embedded(entry, source, meta_path, content) for entry in field("embedded", list) or [])
    return attrs.evolve(source, embedded=embedded) if embedded else source


def _embedded(entry: Any, source: Source, path: str, content: str) -> Embedded:
    line = _key_line(content, "[[embedded]]")
    if not isinstance(entry, dict) or not isinstance(entry.get("speaker"), str):
        raise RegistryFormatError(path, 'each [[embedded]] needs a speaker = "..."', line=line)
    unknown = sorted(set(entry) - _EMBEDDED_KEYS)
    if unknown:
        raise RegistryFormatError(path, f"unknown [[embedded]] key {unknown[0]!r}; expected one of {sorted(_EMBEDDED_KEYS)}", line=line)
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise RegistryFormatError(path, "[[embedded]] aliases must be a list of strings", line=line)
    if isinstance(entry.get("paragraph"), int):
        number = entry["paragraph"]
        if not 1 <= number <= len(source.paragraphs):
            raise RegistryFormatError(
                path, f"[[embedded]] paragraph = {number} but the text has {len(source.paragraphs)} paragraphs", line=line
            )
        paragraph = source.paragraphs[number - 1]
        return Embedded(paragraph.start, paragraph.end, entry["speaker"], tuple(aliases))
    if isinstance(entry.get("text"), str):
        start = source.text.find(entry["text"])
        if start < 0:
            raise RegistryFormatError(path, "[[embedded]] text = ... is not found in the source text", line=line)
        return Embedded(start, start + len(entry["text"]), entry["speaker"], tuple(aliases))
    raise RegistryFormatError(path, '[[embedded]] needs paragraph = N or text = "..." to say where the quotation is', line=line)


def _key_line(content: str, key: str) -> int | None:
    for number, line in enumerate(content.splitlines(), 1):
        if line.lstrip().startswith(key):
            return number
    return None


def builtin_registry() -> Registry:
    """The registry shipped with quotecheck: Arvind Krishna's letter to Congress
    of 8 June 2020 and the IBM blog's introduction above it."""
    global _BUILTIN
    if _BUILTIN is None:
        root = importlib.resources.files("quotecheck") / "data" / "registry"
        with importlib.resources.as_file(root) as path:
            _BUILTIN = Registry.from_path(path)
    return _BUILTIN


_BUILTIN: Registry | None = None
