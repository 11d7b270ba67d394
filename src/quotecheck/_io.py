"""Reading text files: one place that decides what counts as readable text."""

from __future__ import annotations

import codecs
from pathlib import Path

import regex

from quotecheck.errors import InputError

__all__ = ["declared_charset", "decode", "read_text"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, *, name: str) -> str:
    """Decodes a file's bytes as text, or says why it is not text.

    UTF-8 is expected; a byte-order mark selects UTF-8, UTF-16 or UTF-32,
    and an HTML `<meta charset>` declaration (in the first 4 KiB) another
    encoding, as browsers read it.

    Args:
        data: the file's bytes.
        name: the file's name, for messages.

    Raises:
        InputError: the bytes are not text in a recognised encoding.
    """
    if not data:
        raise InputError(f"{name}: the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: not valid {encoding.upper()} despite its byte-order mark ({exc.reason} at byte {exc.start})"
                ) from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file (it contains NUL bytes), not text")
    declared = declared_charset(data)
    if declared is not None and declared != "utf-8":
        try:
            text = data.decode(declared, errors=_C1 if declared == "cp1252" else "strict")
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(f"{name}: not valid {declared} as its <meta charset> declares ({exc})") from None
        if not text.strip():
            raise InputError(f"{name}: the file holds only whitespace")
        return text
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8") from None
    if not text.strip():
        raise InputError(f"{name}: the file holds only whitespace")
    return text


def read_text(path: str | Path) -> str:
    """Reads a text file, naming the file in any error.

    Raises:
        InputError: the file is missing, unreadable or not text.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not a file") from None
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
