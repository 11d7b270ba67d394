"""Reading text files: one place that decides what counts as readable text."""

from __future__ import annotations

import codecs
from pathlib import Path

from quotecheck.errors import InputError

__all__ = ["decode", "read_text"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, *, name: str) -> str:
    """Decodes a file's bytes as text, or says why it is not text.

    UTF-8 is expected; a byte-order mark selects UTF-8, UTF-16 or UTF-32.

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
