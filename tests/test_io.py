"""Decoding article and source files: what is text, and what each fault is called."""

from __future__ import annotations

import codecs
import os
import socket
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import quotecheck.reading._io
from quotecheck.errors import InputError
from quotecheck.reading._io import _MAGIC, _read_at_most, decode, read_text

TEXT = "Krishna wrote: \u201cIBM firmly opposes\u201d \u2014 caf\u00e9, na\u00efve."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _error(data: bytes) -> str:
    with pytest.raises(InputError) as info:
        decode(data, name="article.txt")
    return str(info.value)


@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00\ufeff")).filter(str.strip))
def test_utf8_round_trips(text: str) -> None:
    """Any text that is not blank (nor a known binary signature), saved as UTF-8, reads back unchanged."""
    data = text.encode("utf-8")
    assume(not any(data.startswith(magic) for magic, _ in _MAGIC))
    assert decode(data, name="a.txt") == text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_byte_order_mark_selects_the_encoding(encoding: str) -> None:
    """UTF-8, UTF-16 and UTF-32 with a byte-order mark decode, without the mark."""
    boms = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    data = boms.get(encoding, b"") + TEXT.encode(encoding)
    assert decode(data, name="a.txt") == TEXT


def test_invalid_utf8_names_file_byte_and_line() -> None:
    """Invalid UTF-8 is an error that names the file, the byte offset and the line."""
    message = _error(b"line one\nline two \xff\xfe oops\n")
    assert message.startswith("article.txt: not valid UTF-8")
    assert "at byte 18, line 2" in message


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_latin1_and_windows1252_are_named_not_guessed(encoding: str) -> None:
    """Latin-1 and Windows-1252 text is refused with a hint, never silently guessed."""
    message = _error(TEXT.encode(encoding, "replace"))
    assert "not valid UTF-8" in message
    assert "Windows-1252 or Latin-1" in message


@pytest.mark.parametrize(("encoding", "name"), [("utf-16-le", "UTF-16-LE"), ("utf-16-be", "UTF-16-BE")])
def test_utf16_without_bom_is_named(encoding: str, name: str) -> None:
    """UTF-16 without a byte-order mark is refused with its byte order named."""
    assert f"looks like {name} without a byte-order mark" in _error(TEXT.encode(encoding))


def test_png_is_named() -> None:
    """A PNG image is refused as a PNG image."""
    assert _error(PNG) == "article.txt: is a PNG image, not a text file"


def test_zip_is_named(tmp_path: Path) -> None:
    """A ZIP archive is refused as one."""
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("article.txt", TEXT)
    assert "is a ZIP archive" in _error(archive.read_bytes())


def test_nul_heavy_bytes_are_binary() -> None:
    """Bytes full of NULs (an unknown binary format) are refused as binary."""
    assert "binary file" in _error(b"\x00\x01\x02\x03" * 100)


def test_rare_control_characters_and_nul_are_text() -> None:
    """A stray NUL or escape in otherwise good UTF-8 is kept: renderers escape it."""
    text = "He said \x00 \x1b[31m\u201cwe will not\u201d\x07 " + "and so on. " * 20
    assert decode(text.encode(), name="a.txt") == text


@pytest.mark.parametrize(("data", "problem"), [(b"", "the file is empty"), (b" \n\t\r\n ", "the file holds only whitespace")])
def test_empty_and_blank_files(data: bytes, problem: str) -> None:
    """An empty file and a file of only whitespace are errors that say so."""
    assert _error(data) == f"article.txt: {problem}"


def test_blank_after_bom_is_blank() -> None:
    """A byte-order mark followed by nothing is still an empty article."""
    assert "only whitespace" in _error(codecs.BOM_UTF8 + b"  \n")


def test_right_to_left_and_combining_text_decodes() -> None:
    """Right-to-left scripts, bidi controls and combining marks are ordinary text."""
    text = "\u05d4\u05d5\u05d0 \u05d0\u05de\u05e8 \u202e\u201cabc\u201d e\u0301\u0302"
    assert decode(text.encode(), name="a.txt") == text


def test_missing_file(tmp_path: Path) -> None:
    """A path that does not exist is named."""
    with pytest.raises(InputError, match=r"nope\.txt: no such file$"):
        read_text(tmp_path / "nope.txt")


def test_broken_link(tmp_path: Path) -> None:
    """A symbolic link to nothing says so."""
    (tmp_path / "a.txt").symlink_to(tmp_path / "gone.txt")
    with pytest.raises(InputError, match="broken symbolic link"):
        read_text(tmp_path / "a.txt")


def test_symlink_loop(tmp_path: Path) -> None:
    """A symbolic link loop is an error naming the file, not a hang."""
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    with pytest.raises(InputError, match=r"a\.txt: cannot be read \(Too many levels of symbolic links\)"):
        read_text(tmp_path / "a.txt")


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable file says permission denied (simulated: tests may run as root)."""

    def refuse(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InputError, match=r"a\.txt: permission denied"):
        read_text(tmp_path / "a.txt")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    """/dev/zero, given or through a link named like an article, is an error of its own: nothing is read from it."""
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    for path in ("/dev/zero", tmp_path / "zero.md"):
        with pytest.raises(InputError, match=r": is a character device, not a regular file"):
            read_text(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO with no writer is refused immediately, never waited on (the test would hang otherwise)."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(InputError, match=r"pipe\.txt: is a FIFO \(named pipe\), not a regular file"):
        read_text(fifo)
    assert time.monotonic() - started < 5


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_a_socket_is_refused(tmp_path: Path) -> None:
    """A Unix socket named like an article is an error of its own."""
    path = tmp_path / "s.txt"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(InputError, match=r"s\.txt: is a socket, not a regular file"):
            read_text(path)
    finally:
        server.close()


def test_size_limit_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sparse file larger than four bytes a character allows is refused from its size: no byte is read."""
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate(10_000_000)  # sparse: no disk used

    def no_read(*_args: object) -> bytes:
        raise AssertionError("read from a file refused by its size")

    monkeypatch.setattr(quotecheck.reading._io, "_read_at_most", no_read)
    with pytest.raises(InputError, match=r"big\.txt: 10,000,000 bytes is more than max_article_chars=1,000 characters"):
        read_text(big, max_chars=1_000)


def test_size_limit_is_enforced_while_reading(tmp_path: Path) -> None:
    """A file whose stat lies (it grows, or a /proc file that says 0) stops being read one byte past the limit."""
    path = tmp_path / "a.txt"
    path.write_bytes(b"a" * 5_000)

    class Growing:
        def __init__(self) -> None:
            self.served = 0

        def read(self, n: int) -> bytes:
            self.served += n
            return b"a" * n

    stream = Growing()
    assert len(_read_at_most(stream, 4_004)) == 4_005  # type: ignore[arg-type]
    assert stream.served == 4_005
    with pytest.raises(InputError, match=r"a\.txt: 5,000 bytes is more than max_article_chars=1,000"):
        read_text(path, max_chars=1_000)


def test_a_file_within_the_byte_limit_is_read(tmp_path: Path) -> None:
    """Four bytes a character is the most any encoding takes, so a file within that is read whole."""
    path = tmp_path / "a.txt"
    path.write_text("\U0001f600" * 250, encoding="utf-8")
    assert read_text(path, max_chars=250) == "\U0001f600" * 250


def test_one_nul_in_a_short_article_is_text() -> None:
    """One NUL in a 51-byte article is not "mostly NUL": it is kept as text."""
    text = "He said \u201cwe will\u201d." + "\x00" + "x" * 28
    assert len(text.encode()) == 51
    assert decode(text.encode(), name="a.txt") == text


@given(st.integers(1, 200), st.integers(0, 200))
def test_mostly_nul_means_more_than_half(nuls: int, letters: int) -> None:
    """Bytes are binary for their NULs exactly when more than half of them are NUL."""
    data = b"\x00" * nuls + b"a" * letters
    if nuls * 2 > len(data):
        assert "mostly NUL bytes" in _error(data)
    else:
        assert decode(data, name="a.txt") == data.decode()


def test_input_error_is_an_oserror() -> None:
    """Callers may catch InputError as OSError."""
    with pytest.raises(OSError, match="empty"):
        decode(b"", name="a.txt")
