"""Registry faults: each gives an error naming the file (and line), or a correct result."""

from __future__ import annotations

from pathlib import Path

import pytest

import quotecheck
from quotecheck import Config, InputError, InvalidArgument, RegistryFormatError
from quotecheck.cli import main
from quotecheck.sources.registry import parse_source

LETTER = "IBM no longer offers general purpose IBM facial recognition or analysis software.\n"


def _registry(tmp_path: Path, **files: str | bytes) -> Path:
    root = tmp_path / "registry"
    root.mkdir()
    for name, content in files.items():
        path = root / name.replace("__", ".")
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def test_malformed_header_names_file_and_line(tmp_path: Path) -> None:
    """Invalid TOML in a header is an error naming the file and the line of the fault."""
    root = _registry(tmp_path, letter__txt='+++\nspeaker = "Krishna"\ntitle = "unclosed\n+++\n' + LETTER)
    with pytest.raises(RegistryFormatError) as info:
        quotecheck.Registry.from_path(root)
    assert (info.value.path, info.value.line) == (str(root / "letter.txt"), 3)
    assert str(info.value).startswith(f"{root / 'letter.txt'}:3: header is not valid TOML")


def test_unclosed_header(tmp_path: Path) -> None:
    """A header opened with +++ and never closed names line 1."""
    with pytest.raises(RegistryFormatError, match=r"^a\.txt:1: header opened with \+\+\+ is never closed"):
        parse_source('+++\nspeaker = "X"\n' + LETTER, path="a.txt", default_id="a")


@pytest.mark.parametrize(
    ("header", "problem", "line"),
    [
        ("speaker = 5", "header key 'speaker' has the wrong type", 2),
        ('aliases = ["a", 2]', "header key 'aliases' must be a list of strings", 2),
        ('colour = "red"', "unknown header key 'colour'", 2),
        ('[[embedded]]\nspeaker = "W"\naliases = 3\nparagraph = 1', "[[embedded]] aliases must be a list of strings", 2),
        ('[[embedded]]\nspeaker = "W"\nparagraph = 9', "[[embedded]] paragraph = 9 but the text has 1 paragraphs", 2),
        ("[[embedded]]\nparagraph = 1", "each [[embedded]] needs a speaker", 2),
    ],
)
def test_wrong_header_values_name_the_line(header: str, problem: str, line: int) -> None:
    """A header value of the wrong type or shape is an error at its line, never a crash."""
    with pytest.raises(RegistryFormatError) as info:
        parse_source(f"+++\n{header}\n+++\n{LETTER}", path="a.txt", default_id="a")
    assert problem in str(info.value)
    assert info.value.line == line


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    """Two sources with one id are refused, naming both files."""
    root = _registry(tmp_path, a__txt=LETTER, b__txt='+++\nid = "a"\n+++\n' + LETTER)
    with pytest.raises(InvalidArgument, match=r"duplicate source id='a' \(.*a\.txt and .*b\.txt\)"):
        quotecheck.Registry.from_path(root)


def test_empty_registry_directory(tmp_path: Path) -> None:
    """A registry directory without source files is an error."""
    root = _registry(tmp_path, README__md="# about")
    with pytest.raises(InputError, match="registry holds no source"):
        quotecheck.Registry.from_path(root)


def test_empty_registry_in_python_checks_as_unsourced() -> None:
    """A registry built empty in Python is valid: every quotation is unsourced."""
    report = quotecheck.check(f"He said: \u201c{LETTER.strip()}\u201d", registry=quotecheck.Registry.from_sources([]))
    assert [q.verdict.value for q in report.quotes] == ["unsourced"]


def test_source_with_no_text(tmp_path: Path) -> None:
    """A source that is only a header is an error naming the line where text should start."""
    with pytest.raises(RegistryFormatError, match=r"^a\.txt:4: source has no text"):
        parse_source('+++\nspeaker = "X"\n+++\n\n', path="a.txt", default_id="a")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image"),
        (b"PK\x03\x04\x14\x00\x00\x00", "is a ZIP archive"),
        ("caf\u00e9".encode("cp1252"), "not valid UTF-8"),
        (b"", "the file is empty"),
    ],
)
def test_source_that_is_not_text(tmp_path: Path, content: bytes, problem: str) -> None:
    """A source file that is not text is an error naming it."""
    root = _registry(tmp_path, good__txt=LETTER, bad__txt=content)
    with pytest.raises(InputError, match=f"{root / 'bad.txt'}: {problem}"):
        quotecheck.Registry.from_path(root)


def test_registry_path_that_is_a_file(tmp_path: Path) -> None:
    """A registry path naming a file, not a directory, is an error saying so."""
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    with pytest.raises(InputError, match="registry must be a directory of source files, not a file"):
        quotecheck.Registry.from_path(path)


def test_missing_registry(tmp_path: Path) -> None:
    """A registry path that does not exist is an error naming it."""
    with pytest.raises(InputError, match="registry directory does not exist"):
        quotecheck.Registry.from_path(tmp_path / "nowhere")


def test_fifty_megabyte_source_is_refused_by_name(tmp_path: Path) -> None:
    """A 50 MB source is over max_source_chars: an error naming the file and the limit."""
    root = _registry(tmp_path, huge__txt=LETTER * (50_000_000 // len(LETTER) + 1))
    with pytest.raises(RegistryFormatError, match=r"huge\.txt: source of 50,0[\d,]+ characters is longer than max_source_chars=20,000,000"):
        quotecheck.Registry.from_path(root)


def test_large_source_under_the_limit_is_checked(tmp_path: Path) -> None:
    """A source under a raised limit is indexed and a quotation from its end is found."""
    filler = "Paragraph of filler text about other matters entirely.\n\n" * 20_000
    root = _registry(tmp_path, big__txt=filler + LETTER)
    registry = quotecheck.Registry.from_path(root, config=Config(max_source_chars=2_000_000))
    result = quotecheck.verify(LETTER.strip(), registry=registry)
    assert (result.verdict.value, result.source and result.source.start) == ("exact", len(filler))


@pytest.mark.parametrize("kind", ["file", "bad"])
def test_registry_faults_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    """The CLI reports a bad registry on one line with exit status 2."""
    if kind == "file":
        registry = tmp_path / "r.txt"
        registry.write_text(LETTER, encoding="utf-8")
    else:
        registry = _registry(tmp_path, a__txt="+++\nspeaker = \n+++\n" + LETTER)
    assert main(["verify", "--registry", str(registry), "anything at all"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"quotecheck: error: {registry}")
    assert err.count("\n") == 1


@pytest.mark.parametrize("command", [["verify", "anything"], ["index"], ["sources"], ["corpus", "-"], ["check", "-"]])
def test_source_limit_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """--max-source-chars lowers the source limit for every command; a longer source is an error naming it."""
    root = _registry(tmp_path, a__txt=LETTER)
    assert main([command[0], "--registry", str(root), "--max-source-chars", "10", *command[1:]]) == 2
    assert f"{root / 'a.txt'}: source of {len(LETTER)} characters is longer than max_source_chars=10" in capsys.readouterr().err
