"""Reviewed findings: `--accept` writes them, a re-run reports them as accepted and does not fail, until something changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotecheck import Verdict
from quotecheck.cli import main
from quotecheck.review import REVIEW_FILE, Accepted, read_reviewed, write_reviewed
from tests.conftest import FIXTURES

ALTERED_SEED = FIXTURES / "articles" / "004_f7eebf713eac0b64.txt"


@pytest.fixture
def newsroom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with the altered seed article as a.txt."""
    shutil.copy(ALTERED_SEED, tmp_path / "a.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_an_accepted_finding_no_longer_fails(newsroom: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--accept` records the altered quotation; the next run marks it accepted and exits 0."""
    assert _run(capsys, "check", "a.txt")[0] == 1
    status, _, err = _run(capsys, "check", "--accept", "a.txt")
    assert status == 0
    assert f"accepted 1 finding in {REVIEW_FILE}" in err
    (entry,) = read_reviewed(newsroom / REVIEW_FILE)
    assert (entry.article, entry.verdict, entry.source) == ("a.txt", Verdict.ALTERED, "krishna-2020-06-08")
    status, out, _ = _run(capsys, "check", "a.txt")
    assert status == 0
    assert "ALTERED (accepted)" in out
    assert out.rstrip().endswith("; 1 accepted on review")


def test_a_changed_article_fails_again(newsroom: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Any change to the article's text ends the acceptance: the finding fails as a fresh one."""
    _run(capsys, "check", "--accept", "a.txt")
    with (newsroom / "a.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nA line added after review.\n")
    status, out, _ = _run(capsys, "check", "a.txt")
    assert status == 1
    assert "(accepted)" not in out


def test_a_changed_source_fails_again(newsroom: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new version of the source's text ends the acceptance too."""
    shutil.copytree(FIXTURES / "sources", newsroom / "sources")
    letter = next(p for p in (newsroom / "sources").iterdir() if "krishna" in p.name and p.suffix == ".txt")
    shutil.copy(ALTERED_SEED, newsroom / "a.txt")
    assert _run(capsys, "check", "--registry", "sources", "a.txt")[0] == 1
    _run(capsys, "check", "--registry", "sources", "--accept", "a.txt")
    assert _run(capsys, "check", "--registry", "sources", "a.txt")[0] == 0
    letter.write_text(letter.read_text(encoding="utf-8") + "\nA paragraph added to the source.\n", encoding="utf-8")
    assert _run(capsys, "check", "--registry", "sources", "a.txt")[0] == 1


def test_accepting_twice_keeps_one_entry_and_its_note(newsroom: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second `--accept` adds nothing already there, and keeps a note a person wrote."""
    _run(capsys, "check", "--accept", "a.txt")
    path = newsroom / REVIEW_FILE
    path.write_text(path.read_text(encoding="utf-8") + 'note = "the outlet ran a correction"\n', encoding="utf-8")
    _, _, err = _run(capsys, "check", "--accept", "a.txt")
    assert "accepted 0 findings" in err
    assert "(1 already there)" in err
    (entry,) = read_reviewed(path)
    assert entry.note == "the outlet ran a correction"


def test_github_annotates_an_accepted_finding_as_a_notice(newsroom: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In CI, an accepted quotation is a `::notice`, not an `::error`."""
    _run(capsys, "check", "--accept", "a.txt")
    status, out, _ = _run(capsys, "check", "--format", "github", "a.txt")
    assert status == 0
    assert out.startswith("::notice title=quotecheck (altered%2C accepted),file=a.txt,line=")
    assert "::error" not in out


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[accepted]]\ncolour = 1\n", "unknown keys ['colour']"),
        ('[[accepted]]\narticle = "a"\narticle_sha256 = "x"\nstart = "1"\n', "start = '1' must be an integer"),
        ("[oops\n", "cannot be read as TOML"),
        ('title = "x"\n', "holds only [[accepted]] tables"),
    ],
)
def test_a_malformed_review_file_is_an_error_naming_it(newsroom: Path, capsys: pytest.CaptureFixture[str], body: str, message: str) -> None:
    """A review file that cannot be read exits 2 with its name and what is wrong."""
    (newsroom / REVIEW_FILE).write_text(body, encoding="utf-8")
    status, _, err = _run(capsys, "check", "a.txt")
    assert status == 2
    assert f"quotecheck: error: {REVIEW_FILE}: " in err
    assert message in err


def test_the_review_file_can_be_named_on_the_command_line_or_in_pyproject(newsroom: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--reviewed FILE`, or `reviewed = ...` in [tool.quotecheck] (relative to the pyproject.toml), chooses the file."""
    _run(capsys, "check", "--accept", "--reviewed", "checked.toml", "a.txt")
    assert (newsroom / "checked.toml").is_file()
    assert _run(capsys, "check", "a.txt")[0] == 1  # the default file does not exist
    assert _run(capsys, "check", "--reviewed", "checked.toml", "a.txt")[0] == 0
    (newsroom / "pyproject.toml").write_text('[tool.quotecheck]\nreviewed = "checked.toml"\n', encoding="utf-8")
    assert _run(capsys, "check", "a.txt")[0] == 0


_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@given(
    st.lists(
        st.builds(
            Accepted,
            article=_TEXT,
            article_sha256=st.text("0123456789abcdef", min_size=64, max_size=64),
            start=st.integers(0, 10**6),
            end=st.integers(0, 10**6),
            verdict=st.sampled_from(list(Verdict)),
            source=st.none() | _TEXT,
            source_sha256=st.text("0123456789abcdef", min_size=64, max_size=64),
            note=_TEXT,
        ),
        max_size=5,
    )
)
def test_the_review_file_round_trips(entries: list[Accepted]) -> None:
    """What `write_reviewed` writes, `read_reviewed` reads back: each distinct entry once, in order."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / REVIEW_FILE
        added = write_reviewed(path, entries)
        distinct: list[Accepted] = []
        for entry in entries:
            if entry.key not in {d.key for d in distinct}:
                distinct.append(entry)
        back = read_reviewed(path)
        assert added == len(back) == len(distinct)
        assert back == distinct
