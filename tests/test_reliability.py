"""Hostile and broken input: clear errors, bounded work, nothing lost, safe output.

Each behaviour in the README's "Limits and errors" table has a test here, in
tests/test_io.py (decoding) or tests/test_registry_faults.py (registries).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quotecheck
from quotecheck import Config, Flag, Verdict
from quotecheck.cli import main
from quotecheck.rendering.report import _COLOURS, render_jsonl_article
from tests.conftest import ROOT

QUOTE = "IBM no longer offers general purpose IBM facial recognition or analysis software"
GOOD = f"Krishna wrote: \u201c{QUOTE}.\u201d\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["check", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def _cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quotecheck", *argv], capture_output=True, text=True, timeout=300, check=False, env=env, cwd=ROOT
    )


# -- batches: one bad file never stops the others ------------------------------------------------


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder of articles, one good and the rest broken in every way a folder can be."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b-image.txt").write_bytes(PNG)
    (folder / "c-empty.txt").write_bytes(b"")
    (folder / "d-blank.md").write_bytes(b"  \n\n\t\n")
    (folder / "e-latin1.txt").write_bytes(GOOD.replace("\u201c", '"').replace("\u201d", '"').encode() + "caf\u00e9".encode("latin-1"))
    (folder / "f-utf16.txt").write_bytes(GOOD.encode("utf-16-le"))
    (folder / "g-loop.txt").symlink_to(folder / "h-loop.txt")
    (folder / "h-loop.txt").symlink_to(folder / "g-loop.txt")
    (folder / "i-dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "notes.csv").write_text("not an article", encoding="utf-8")
    return folder


def test_bad_files_are_reported_and_good_ones_checked(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every broken file gets its own message; the good article is still checked."""
    status, out, err = _run(capsys, "--format", "json", str(mixed))
    articles = {Path(a["path"]).name: a for a in json.loads(out)["articles"]}
    assert status == 0
    assert articles["a-good.txt"]["error"] is None
    assert [q["verdict"] for q in articles["a-good.txt"]["quotes"]] == ["exact"]
    expected = {
        "b-image.txt": "is a PNG image",
        "c-empty.txt": "the file is empty",
        "d-blank.md": "only whitespace",
        "e-latin1.txt": "not valid UTF-8",
        "f-utf16.txt": "UTF-16-LE without a byte-order mark",
        "g-loop.txt": "Too many levels of symbolic links",
        "h-loop.txt": "Too many levels of symbolic links",
        "i-dangling.txt": "broken symbolic link",
    }
    assert {name: a["error"] is not None for name, a in articles.items()} == {"a-good.txt": False} | dict.fromkeys(expected, True)
    for name, problem in expected.items():
        assert problem in articles[name]["error"]
        assert f"quotecheck: error: {mixed / name}: " in err
    assert "Traceback" not in err


def test_nothing_readable_exits_2(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """When no article could be read the exit status is 2, and each reason is given."""
    (mixed / "a-good.txt").unlink()
    status, _out, err = _run(capsys, str(mixed))
    assert status == 2
    assert err.count("quotecheck: error:") == 8


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist is named, with exit status 2."""
    status, _out, err = _run(capsys, str(tmp_path / "nowhere.txt"))
    assert (status, err) == (2, f"quotecheck: error: {tmp_path / 'nowhere.txt'}: no such file\n")


def test_empty_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A directory with no article is an error, not a silent success."""
    status, _out, err = _run(capsys, str(tmp_path))
    assert status == 2
    assert "is a directory with no article (.txt, .md, .html or .htm) files" in err


def test_unlistable_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A subdirectory that cannot be listed is reported; its siblings are checked.

    Permissions are simulated, because tests may run as root, who can read anything.
    """
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    status, _out, err = _run(capsys, str(tmp_path))
    assert status == 0
    assert f"quotecheck: error: {locked}: permission denied (the directory cannot be listed)" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads directories whatever their permissions")
def test_unreadable_directory_for_real(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A directory without read permission is reported as such."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        status, _out, err = _run(capsys, str(locked))
    finally:
        locked.chmod(0o755)
    assert status == 2
    assert "permission denied" in err


def test_symlinked_directory_loop_terminates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A directory link pointing at its own parent is not followed, so the walk ends."""
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    status, out, _err = _run(capsys, "--format", "json", str(tmp_path))
    assert status == 0
    assert [Path(a["path"]).name for a in json.loads(out)["articles"]] == ["a.txt"]


def test_undecodable_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Bytes on standard input that are not UTF-8 are an error naming <stdin>."""

    class Stdin:
        buffer = __import__("io").BytesIO(b"caf\xe9 \x93quoted\x94")

    monkeypatch.setattr(sys, "stdin", Stdin)
    status, _out, err = _run(capsys, "-")
    assert status == 2
    assert err.startswith("quotecheck: error: <stdin>: not valid UTF-8")


def test_no_traceback_from_the_command_line(mixed: Path) -> None:
    """The installed command reports broken input without a traceback."""
    result = _cli("check", str(mixed), str(mixed / "missing.md"))
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert result.stderr.count("quotecheck: error:") == 9


# -- limits ---------------------------------------------------------------------------------------


def test_article_over_the_limit_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An article longer than --max-article-chars gets an error, and exit status 2 when alone."""
    article = tmp_path / "long.txt"
    article.write_text(GOOD * 10, encoding="utf-8")
    status, _out, err = _run(capsys, "--max-article-chars", "100", str(article))
    assert status == 2
    # Over four bytes a character it is refused from its size, before reading; within that, by its length.
    assert f"{article}: {len((GOOD * 10).encode()):,} bytes is more than max_article_chars=100 characters can take" in err
    status, _out, err = _run(capsys, "--max-article-chars", "300", str(article))
    assert status == 2
    assert f"{article}: {len(GOOD) * 10:,} characters is more than max_article_chars=300" in err


def test_bad_limit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A limit below 1 is refused with a message naming it."""
    status, _out, err = _run(capsys, "--max-quote-words", "0", "-")
    assert (status, err) == (2, "quotecheck: error: max_quote_words=0 must be at least 1\n")


def test_twenty_megabyte_article() -> None:
    """A 20 MB article is checked, and the quotation at its end found at the right offsets."""
    text = "Filler words without quotation marks. " * 530_000 + GOOD
    assert len(text.encode()) > 20_000_000
    [quote] = quotecheck.check(text).quotes
    assert (quote.verdict, text[quote.start : quote.end]) == (Verdict.EXACT, QUOTE + ".")


def test_five_megabyte_line() -> None:
    """One line of 5 MB with a quotation in the middle is checked."""
    half = "word " * 500_000
    text = half + GOOD.strip() + " " + half
    [quote] = quotecheck.check(text).quotes
    assert quote.verdict is Verdict.EXACT
    assert quote.start == len(half) + len("Krishna wrote: \u201c")


@pytest.mark.parametrize("filler", [" ", ",", " \u2014 ", " | "])
def test_date_lines_after_long_runs_of_separators(filler: str) -> None:
    """Runs of separators around a date line (matched possessively, in one pass) still give the date."""
    run = filler * (400 // len(filler))  # the date line stays within the first DATE_LINE_CHARS characters
    meta = quotecheck.parse_metadata(f"{run}x\n{run}By Jane Doe{run}June 8, 2020{run}\n\n{GOOD}")
    assert meta.date is not None
    assert meta.date.isoformat() == "2020-06-08"


def test_hundred_thousand_stray_marks() -> None:
    """100,000 unbalanced quotation marks give only unbalanced quotations, with exact spans."""
    text = "He said " + "\u201c \u00ab \u201e \" ' " * 20_000 + "and left."
    quotes = quotecheck.check(text).quotes
    assert all(Flag.UNBALANCED in q.flags and q.text == text[q.start : q.end] for q in quotes)


def test_many_unbalanced_quotations() -> None:
    """Thousands of opening marks with no closing mark each give an unbalanced quotation."""
    text = " \u201cword" * 2_000
    quotes = quotecheck.check(text).quotes
    assert len(quotes) == 2_000
    assert all(Flag.UNBALANCED in q.flags and q.text == "word" for q in quotes)


def test_deep_nesting() -> None:
    """Brackets and quotation marks nested 5,000 deep are read without recursion errors."""
    text = "Krishna said " + "\u201c'([" * 5_000 + QUOTE + "])'\u201d" * 5_000
    for quote in quotecheck.check(text).quotes:
        assert quote.text == text[quote.start : quote.end]


def test_five_thousand_word_quotation() -> None:
    """A quotation longer than max_quote_words is not aligned and is flagged too_long."""
    text = "He said: \u201c" + " ".join(f"w{i}" for i in range(5_000)) + ".\u201d"
    [quote] = quotecheck.check(text, config=Config(max_quote_words=3_000)).quotes
    assert (quote.verdict, quote.flags) == (Verdict.UNSOURCED, (Flag.TOO_LONG,))


def test_too_long_quotation_says_nothing_of_its_source() -> None:
    """A quotation not looked up is not said to fall in a source's missing part, whoever it is attributed to."""
    text = "Krishna wrote: \u201c" + " ".join(f"w{i}" for i in range(400)) + ".\u201d"
    [quote] = quotecheck.check(text, config=Config(max_quote_words=300)).quotes
    assert (quote.verdict, quote.flags) == (Verdict.UNSOURCED, (Flag.TOO_LONG,))


def test_too_long_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--max-quote-words lowers the limit; the skipped quotation says too_long."""
    article = tmp_path / "a.txt"
    article.write_text(GOOD, encoding="utf-8")
    _status, out, _err = _run(capsys, "--format", "json", "--max-quote-words", "5", str(article))
    [quote] = json.loads(out)["articles"][0]["quotes"]
    assert (quote["verdict"], "too_long" in quote["flags"]) == ("unsourced", True)


def test_control_characters_and_nul() -> None:
    """Control characters and NUL inside and around a quotation do not break offsets."""
    text = "\x00\x1b[2J Krishna wrote:\x07 \u201cIBM no longer\x00 offers general purpose IBM facial recognition\x1b[31m software.\u201d"
    [quote] = quotecheck.check(text).quotes
    assert quote.text == text[quote.start : quote.end]
    assert quote.verdict is not Verdict.UNSOURCED


def test_right_to_left_and_combining() -> None:
    """Right-to-left text, bidi controls and combining marks keep exact offsets."""
    words = "\u05e9\u05dc\u05d5\u05dd e\u0301te\u0301 \u05e2\u05d5\u05dc\u05dd \u05d2\u05d3\u05d5\u05dc"  # Hebrew, and é as e + U+0301
    registry = quotecheck.Registry.from_sources([quotecheck.Source("he", f"\u05d4\u05d5\u05d0 \u05d0\u05de\u05e8 {words}")])
    text = f"\u202e\u05d4\u05d5\u05d0 \u05d0\u05de\u05e8: \u201c{words}\u201d\u202c"
    [quote] = quotecheck.check(text, registry=registry).quotes
    assert (quote.text, quote.verdict) == (words, Verdict.EXACT)


# -- nothing lost, same output every time --------------------------------------------------------


def test_killed_jsonl_run_keeps_finished_lines(tmp_path: Path) -> None:
    """A `--format jsonl` run killed midway has written only complete JSON lines."""
    seeds = sorted((ROOT / "fixtures" / "articles").glob("*.txt"))
    for n in range(500):
        (tmp_path / f"{n:03d}.txt").write_bytes(seeds[n % len(seeds)].read_bytes())
    process = subprocess.Popen(
        [sys.executable, "-m", "quotecheck", "check", "--format", "jsonl", "--exit-zero", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    rest = process.stdout.read()
    process.wait()
    assert process.returncode == -signal.SIGKILL
    lines = (first + rest).decode("utf-8").split("\n")
    finished = lines[:-1]  # the last piece has no newline: an article still being written, or ""
    assert 1 <= len(finished) < 500
    for n, line in enumerate(finished):
        assert json.loads(line)["path"] == str(tmp_path / f"{n:03d}.txt")


def test_output_is_byte_identical_across_runs_and_hash_seeds() -> None:
    """The same input gives byte-identical JSON, whatever Python's hash seed."""
    articles = str(ROOT / "fixtures" / "articles")
    runs = [_cli("check", "--format", "json", "--exit-zero", articles, env={**os.environ, "PYTHONHASHSEED": seed}) for seed in "12"]
    outputs = {run.stdout for run in runs}
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["articles"]


# -- safe rendering ------------------------------------------------------------------------------

HOSTILE = "Krishna wrote: \u201cIBM \x1b[2J\x1b[31mno longer\x9b2J offers \x07general purpose IBM facial recognition software.\u201d"


def test_text_output_cannot_drive_the_terminal() -> None:
    """ANSI escapes, C1 controls and bell in an article come out as visible escapes."""
    report = quotecheck.check(HOSTILE)
    plain = quotecheck.render_text(report)
    assert not any(ch in plain for ch in "\x1b\x9b\x07")
    assert "\\x1b[2J" in plain
    coloured = quotecheck.render_text(report, colour=True)
    own = ["\x1b[0m", *(f"\x1b[{code}m" for code in _COLOURS.values())]
    for sequence in own:
        coloured = coloured.replace(sequence, "")
    assert "\x1b" not in coloured


def test_hostile_path_and_error_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file name holding escape codes cannot recolour the terminal through an error message."""
    status, out, err = _run(capsys, str(tmp_path / "\x1b[31mred.txt"))
    assert status == 2
    assert "\x1b" not in out + err
    assert "\\x1b[31mred.txt: no such file" in err


def test_json_output_stays_valid() -> None:
    """JSON with hostile text parses back to exactly the article's characters."""
    report = quotecheck.check(HOSTILE)
    document = json.loads(quotecheck.render_json(report))
    assert document["articles"][0]["quotes"][0]["text"] == report.quotes[0].text
    for line in quotecheck.render_json(report).splitlines():
        assert "\x1b" not in line


@given(st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Ll"]), max_size=40))
def test_json_escapes_every_control_and_round_trips(noise: str) -> None:
    """Every JSON writer escapes controls and bidi overrides, and the parsed text is the article's exactly."""
    article = f"Krishna said: \u201cIBM no longer offers {noise} facial recognition software\u201d"
    report = quotecheck.check(article)
    rendered = quotecheck.render_json(report)
    line = render_jsonl_article(report.articles[0])
    assert not any(ch in rendered + line for ch in "\x1b\x9b\x7f\u202e\u2066")
    assert [q["text"] for q in json.loads(line)["quotes"]] == [q.text for q in report.quotes]
    assert [q["text"] for q in json.loads(rendered)["articles"][0]["quotes"]] == [q.text for q in report.quotes]


def test_bidi_overrides_are_shown_not_obeyed() -> None:
    """A right-to-left override in an article cannot reorder a report line."""
    plain = quotecheck.render_text(quotecheck.check("He said: \u201c\u202eIBM no longer offers general purpose software\u201d"))
    assert "\u202e" not in plain
    assert "\\u202e" in plain


def test_interrupt_exits_130(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C during a run ends it with one line and exit status 130, not a traceback."""

    def interrupted(*_args: object, **_kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("quotecheck.cli.check_stream", interrupted)
    status, _out, err = _run(capsys, str(ROOT / "fixtures" / "articles"))
    assert (status, err) == (130, "quotecheck: interrupted\n")


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """When the reader closes the pipe (`| head`), quotecheck stops with one error line, not a traceback."""
    article = (ROOT / "fixtures" / "articles").glob("*.txt").__next__().read_bytes()
    for n in range(40):
        (tmp_path / f"{n:02d}.txt").write_bytes(article)
    process = subprocess.Popen(
        [sys.executable, "-m", "quotecheck", "check", "--format", "jsonl", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Traceback" not in err
    assert err.endswith("quotecheck: error: cannot write the output: the reader closed the pipe\n")
    assert process.returncode == 2


@given(st.binary(max_size=600), st.sampled_from(["text", "json", "jsonl"]))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_as_an_article(capsys: pytest.CaptureFixture[str], data: bytes, output: str) -> None:
    """Any bytes in an article file give a report or an error line, never an exception."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "article.txt")
        path.write_bytes(data)
        status = main(["check", "--format", output, str(path)])
    out, err = capsys.readouterr()
    assert status in (0, 1, 2)
    assert (status == 2) == err.startswith("quotecheck: error: ")
    if output != "text":
        assert json.loads(out.splitlines()[0] if output == "jsonl" else out)
