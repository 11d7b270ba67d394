"""Reading text files: one place that decides what counts as readable text.

quotecheck reads UTF-8, and UTF-8, UTF-16 or UTF-32 with a byte-order mark.
An HTML file may declare another encoding in its `<meta charset>`, which is
honoured as browsers honour it; otherwise quotecheck never guesses another
encoding: offsets index the decoded text, so a wrong
guess (Windows-1252 for Latin-1, UTF-16 for binary) would silently change the
very words being checked. Instead the error says what the bytes look like and
how to convert them.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from typing import BinaryIO

import regex

from quotecheck._escape import strip_surrogates
from quotecheck.errors import InputError

__all__ = ["DEFAULT_MAX_CHARS", "declared_charset", "decode", "describe_directory", "display_path", "read_text"]

DEFAULT_MAX_CHARS = 50_000_000
"""`read_text`'s default limit: `Config.max_article_chars`'s default."""
_CHUNK = 1 << 20
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# The opening bytes of common binary formats found in folders of articles.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx, .xlsx, .epub, ...)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable"),
)
_SAMPLE = 8192
# Control bytes other than NUL that text does not consist of: C0 but tab, line feed, vertical tab, form feed and CR.
_CONTROL_BYTES = tuple(bytes([b]) for b in range(1, 32) if b not in b"\t\n\x0b\x0c\r")
# Bytes that Windows-1252 prints as typographic punctuation (curly quotes,
# dashes, ellipsis) and that are never valid alone in UTF-8.
_CP1252_PUNCTUATION = frozenset(b"\x85\x91\x92\x93\x94\x96\x97")


def decode(data: bytes, *, name: str) -> str:
    """Decodes a file's bytes as text, or says why it is not text.

    UTF-8 is expected; a byte-order mark selects UTF-8, UTF-16 or UTF-32,
    and an HTML `<meta charset>` declaration (in the first 4 KiB) another
    encoding, as browsers read it. Control characters (NUL included, when
    rare) are text: they are kept, and renderers escape them.

    Args:
        data: the file's bytes.
        name: the file's name, for messages.

    Returns:
        The text, without a byte-order mark.

    Raises:
        InputError: the bytes are empty, only whitespace, a known binary
            format, or not text in a recognised encoding.

    >>> decode("caf\u00e9".encode(), name="a.txt")
    'caf\u00e9'
    >>> decode(b"caf\\xe9", name="a.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    quotecheck.errors.InputError: a.txt: not valid UTF-8 (unexpected end of data at byte 3, line 1); it looks like Windows-1252 ...
    """
    if not data:
        raise InputError(f"{name}: the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: not valid {encoding.upper()} despite its byte-order mark ({exc.reason} at byte {exc.start})"
                ) from None
            return _not_blank(text.removeprefix("\ufeff"), name)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: is {what}, not a text file")
    sample = data[:_SAMPLE]
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        raise InputError(f"{name}: looks like {utf16} without a byte-order mark; save it as UTF-8")
    # Mostly means more than half: a stray NUL or escape in an article is text (renderers escape it), and so is
    # text with many escapes (ANSI colours) but no NUL at all.
    nul = sample.count(0)
    if nul and (nul + sum(map(sample.count, _CONTROL_BYTES))) * 2 > len(sample):
        what = "NUL bytes" if nul * 2 > len(sample) else "NUL and control bytes"
        raise InputError(f"{name}: looks like a binary file (it is mostly {what}), not text")
    declared = declared_charset(data)
    if declared is not None and declared != "utf-8":
        try:
            text = data.decode(declared, errors=_C1 if declared == "cp1252" else "strict")
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(f"{name}: not valid {declared} as its <meta charset> declares ({exc})") from None
        return _not_blank(text, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{name}: not valid UTF-8 ({exc.reason} at byte {exc.start}, line {line}){_hint(data)}") from None
    return _not_blank(text, name)


def _not_blank(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: the file holds only whitespace")
    return text


def _utf16_without_bom(sample: bytes) -> str | None:
    """The UTF-16 byte order when most odd (or even) bytes are NUL, as in mostly-ASCII UTF-16; else None."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) * 10 >= len(odd) * 7 and even.count(0) * 10 < len(even):
        return "UTF-16-LE"
    if even.count(0) * 10 >= len(even) * 7 and odd.count(0) * 10 < len(odd):
        return "UTF-16-BE"
    return None


def _hint(data: bytes) -> str:
    """How to fix a file that is not UTF-8, when its bytes suggest an encoding."""
    high = [b for b in data[: 1 << 20] if b >= 0x80]
    if high and all(b >= 0xA0 or b in _CP1252_PUNCTUATION for b in high):
        return "; it looks like Windows-1252 or Latin-1: convert it to UTF-8"
    return "; save it as UTF-8"


def display_path(path: str | os.PathLike[str] | bytes) -> str:
    """A path as messages and reports show it: bytes that are not UTF-8 written as `\\udcff`.

    >>> display_path(b"caf\\xff.txt")
    'caf\\\\udcff.txt'
    """
    return strip_surrogates(os.fsdecode(path))


def read_text(path: str | os.PathLike[str], *, max_chars: int | None = None) -> str:
    """Reads a regular text file, naming the file in any error.

    Only regular files are read, after symbolic links are resolved: a device
    (`/dev/zero`), a FIFO or a socket is refused without reading from it, and
    the file is opened without blocking, so a FIFO never makes it wait. A
    file too large to hold at most `max_chars` characters (four bytes a
    character, the most any supported encoding takes, plus a byte-order mark)
    is refused from its size before any byte is read, and reading stops there
    too, should the file grow meanwhile.

    Args:
        path: the file.
        max_chars: the most characters the caller accepts; when given, an
            ASCII file longer than that is refused without decoding it. By
            default only the byte limit of `DEFAULT_MAX_CHARS` applies, and
            the caller checks the length of the text.

    Returns:
        The decoded text (see `decode`).

    Raises:
        InputError: the file is missing, unreadable, not a regular file, too
            large or not text.
    """
    name = display_path(path)
    limit = DEFAULT_MAX_CHARS if max_chars is None else max_chars
    max_bytes = 4 * limit + 4
    try:
        # O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_NOCTTY | _O_CLOEXEC | _O_BINARY)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file" + (" (a broken symbolic link)" if os.path.islink(path) else "")) from None
    except IsADirectoryError:
        raise InputError(describe_directory(path)) from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket (or a FIFO on a system that refuses it without a writer)
            raise InputError(f"{name}: {_not_regular(path)}") from None
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "rb", buffering=0, closefd=True) as stream:
            status = os.fstat(stream.fileno())
            if stat.S_ISDIR(status.st_mode):
                raise InputError(describe_directory(path))
            if not stat.S_ISREG(status.st_mode):
                raise InputError(f"{name}: {_kind(status.st_mode)}, not a regular file; quotecheck reads only regular files")
            if status.st_size > max_bytes:
                raise InputError(_too_large(name, status.st_size, limit))
            data = _read_at_most(stream, max_bytes, status.st_size)
    except InputError:
        raise
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except MemoryError:
        raise InputError(f"{name}: too large to read into memory") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputError(_too_large(name, len(data), limit, grew=True))
    if max_chars is not None and len(data) > max_chars and data.isascii():  # one character a byte: too long, known without decoding
        raise InputError(f"{name}: {len(data):,} characters is more than max_article_chars={max_chars:,}")
    return decode(data, name=name)


def _read_at_most(stream: BinaryIO, limit: int, size: int = 0) -> bytes:
    """At most `limit + 1` bytes (one more than allowed shows that there were more).

    `size` (from `stat`) is read in one piece, so a large file is held once, not twice.
    """
    chunks: list[bytes] = []
    left = limit + 1
    first = min(left, size + 1) if size else _CHUNK
    while left > 0:
        chunk = stream.read(min(left, first))
        first = _CHUNK
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _too_large(name: str, size: int, max_chars: int, *, grew: bool = False) -> str:
    what = f"it grew past {size:,} bytes while being read" if grew else f"{size:,} bytes"
    return f"{name}: {what} is more than max_article_chars={max_chars:,} characters can take (4 bytes a character at most)"


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, for messages."""
    if stat.S_ISCHR(mode):
        return "is a character device"
    if stat.S_ISBLK(mode):
        return "is a block device"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    return "is a special file"


def _not_regular(path: str | os.PathLike[str]) -> str:
    try:
        return f"{_kind(os.stat(path).st_mode)}, not a regular file; quotecheck reads only regular files"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"


_META_CHARSET = regex.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""",
    regex.IGNORECASE,
)
# As the WHATWG Encoding Standard reads these labels: Latin-1 and ASCII mean Windows-1252.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}


def _c1(error: UnicodeError) -> tuple[str, int]:
    """Decodes the five bytes Windows-1252 leaves undefined as the C1 controls, as browsers do."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(chr(b) for b in error.object[error.start : error.end]), error.end


_C1 = "quotecheck-c1"
codecs.register_error(_C1, _c1)


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML `<meta charset>` (or `http-equiv` content type) declares in the first 4 KiB, if any.

    Returns a Python codec name; "utf-8" for every spelling of UTF-8.

    >>> declared_charset(b'<html><head><meta charset="ISO-8859-1">')
    'cp1252'
    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">')
    'utf-8'
    """
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    if label in _ALIASES:
        return _ALIASES[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return label  # decode() then names the unknown charset in its error
    return "utf-8" if name == "utf-8" else name


def describe_directory(path: str | os.PathLike[str]) -> str:
    """Why a directory given as an article yields nothing to check."""
    name = display_path(path)
    try:
        with os.scandir(path) as entries:
            next(entries, None)
    except PermissionError:
        return f"{name}: permission denied (the directory cannot be listed)"
    except OSError as exc:
        return f"{name}: the directory cannot be read ({exc.strerror or exc})"
    return f"{name}: is a directory with no article (.txt, .md, .html or .htm) files"
