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
import os
from pathlib import Path

import regex

from quotecheck.errors import InputError

__all__ = ["declared_charset", "decode", "describe_directory", "read_text"]

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
    if sample.count(0) * 100 > len(sample):
        raise InputError(f"{name}: looks like a binary file (it is full of NUL bytes), not text")
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


def read_text(path: str | Path) -> str:
    """Reads a text file, naming the file in any error.

    Raises:
        InputError: the file is missing, unreadable or not text.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file" + (" (a broken symbolic link)" if os.path.islink(path) else "")) from None
    except IsADirectoryError:
        raise InputError(describe_directory(path)) from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    return decode(data, name=name)


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


def describe_directory(path: str | Path) -> str:
    """Why a directory given as an article yields nothing to check."""
    try:
        with os.scandir(path) as entries:
            next(entries, None)
    except PermissionError:
        return f"{path}: permission denied (the directory cannot be listed)"
    except OSError as exc:
        return f"{path}: the directory cannot be read ({exc.strerror or exc})"
    return f"{path}: is a directory with no article (.txt, .md, .html or .htm) files"
