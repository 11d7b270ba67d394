"""The registry: canonical source texts and what is known about them.

A registry is a directory of source files (`.txt` or `.md`). A file with no
header is a valid source whose id is the file's stem and whose speaker is
unknown. A TOML header between `+++` lines adds metadata::

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

A line reading `[[gap]]` in the text marks a stretch the registry does not
hold; a source with a gap, or with `complete = false`, is partial.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.resources
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import regex

from quotecheck._io import read_text
from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.errors import InputError, InvalidArgument, RegistryFormatError, SourceNotFound
from quotecheck.normalize import TokenTable, fold, gap_spans

__all__ = ["Embedded", "Paragraph", "Registry", "Source", "builtin_registry"]

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
        hash: SHA-256 of the text, identifying this version of it.
        tokens: the words of the text (and GAP tokens), for alignment.
    """

    id: str
    text: str
    speaker: str | None = None
    aliases: tuple[str, ...] = ()
    speaks_for: tuple[str, ...] = ()
    title: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None
    complete: bool = True
    embedded: tuple[Embedded, ...] = ()
    reported_missing: tuple[str, ...] = ()
    path: str | None = None
    paragraphs: tuple[Paragraph, ...] = attrs.field(init=False, repr=False, eq=False)
    gaps: tuple[tuple[int, int], ...] = attrs.field(init=False, repr=False, eq=False)
    hash: str = attrs.field(init=False, repr=False, eq=False)
    _tokens: TokenTable | None = attrs.field(init=False, default=None, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        gaps = gap_spans(self.text)
        spans = (span for span in _paragraph_spans(self.text) if span not in gaps)
        paragraphs = tuple(Paragraph(n, start, end) for n, (start, end) in enumerate(spans, 1))
        object.__setattr__(self, "gaps", gaps)
        object.__setattr__(self, "paragraphs", paragraphs)
        object.__setattr__(self, "hash", hashlib.sha256(self.text.encode("utf-8")).hexdigest())
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


def _name_key(name: str) -> str:
    """A name compared by its words, folded, without a possessive or a leading "the" ("the company", "company")."""
    words = regex.findall(r"[\p{L}\p{N}]+", fold(name).text.replace("'s", ""))
    return " ".join(words[1:] if len(words) > 1 and words[0] == "the" else words)


@attrs.frozen
class Registry:
    """An ordered collection of sources with unique ids."""

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
        """Loads every `.txt` and `.md` file under a directory, sorted by path.

        Args:
            path: the registry directory.
            config: `max_source_chars` limits the size of one source.

        Raises:
            InputError: the path is missing, not a directory, holds no
                source, or a source file is not text.
            RegistryFormatError: a file's header is malformed, or a source is
                longer than `config.max_source_chars`.
            InvalidArgument: two sources share an id.
        """
        root = Path(path)
        if not root.exists():
            raise InputError(f"{root}: registry directory does not exist")
        if not root.is_dir():
            raise InputError(f"{root}: registry must be a directory of source files, not a file")
        files = sorted(p for p in root.rglob("*") if p.suffix in (".txt", ".md") and p.is_file() and p.name.lower() != "readme.md")
        if not files:
            raise InputError(f"{root}: registry holds no source (.txt or .md) files")
        return cls(tuple(parse_source(read_text(file), path=str(file), default_id=file.stem, config=config) for file in files))

    def __iter__(self) -> Iterator[Source]:
        return iter(self.sources)

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


def parse_source(content: str, *, path: str, default_id: str, config: Config = DEFAULT_CONFIG) -> Source:
    """Parses one source file: an optional `+++` TOML header, then the text.

    Raises:
        RegistryFormatError: the header is malformed, naming file and line,
            or the file is longer than `config.max_source_chars`.
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
        try:
            header = tomllib.loads(match.group(1))
        except tomllib.TOMLDecodeError as exc:
            found = _TOML_LINE.search(str(exc))
            line = int(found.group(1)) + 1 if found else None
            raise RegistryFormatError(path, f"header is not valid TOML: {exc}", line=line) from None
        text = content[match.end() :]
        body_line = content.count("\n", 0, match.end()) + 1
    unknown = sorted(set(header) - _KNOWN_KEYS)
    if unknown:
        raise RegistryFormatError(
            path, f"unknown header key {unknown[0]!r}; expected one of {sorted(_KNOWN_KEYS)}", line=_key_line(content, unknown[0])
        )

    def field(name: str, kind: type | tuple[type, ...]) -> Any:
        value = header.get(name)
        if value is not None and not isinstance(value, kind):
            raise RegistryFormatError(path, f"header key {name!r} has the wrong type: got {value!r}", line=_key_line(content, name))
        return value

    def names(name: str) -> tuple[str, ...]:
        value = field(name, list) or []
        if not all(isinstance(v, str) for v in value):
            raise RegistryFormatError(path, f"header key {name!r} must be a list of strings", line=_key_line(content, name))
        return tuple(value)

    date = field("date", (str, datetime.date))
    missing = names("reported_missing")
    if not text.strip():
        raise RegistryFormatError(path, "source has no text after its header", line=body_line)
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
    embedded = tuple(_embedded(entry, source, path, content) for entry in field("embedded", list) or [])
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
