"""Colour and the word diff in the text report: --color, NO_COLOR and FORCE_COLOR, on a pipe and on a terminal."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest

from quotecheck import ArticleCheck, Report, check, verify
from quotecheck.cli import _use_colour, main
from quotecheck.rendering.report import render_text, text_diff
from tests.conftest import FIXTURES, ROOT

ALTERED_SEED = FIXTURES / "articles" / "004_f7eebf713eac0b64.txt"
ESC = "\x1b["


@pytest.fixture(autouse=True)
def _no_colour_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)


def _out(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(list(argv))
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("variables", "argv", "coloured"),
    [
        ({}, [], False),  # a pipe: no colour
        ({"FORCE_COLOR": "1"}, [], True),
        ({"FORCE_COLOR": ""}, [], False),  # empty counts as unset
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], False),  # NO_COLOR wins over FORCE_COLOR
        ({"FORCE_COLOR": "1", "NO_COLOR": ""}, [], True),
        ({}, ["--color", "always"], True),  # for `| less -R`
        ({"NO_COLOR": "1"}, ["--color", "always"], True),  # the command line wins
        ({"FORCE_COLOR": "1"}, ["--color", "never"], False),
    ],
)
def test_colour_off_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], argv: list[str], coloured: bool
) -> None:
    """Off a terminal, colour follows --color, then NO_COLOR and FORCE_COLOR when they are not empty."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    out = _out(capsys, "check", "--exit-zero", *argv, str(ALTERED_SEED))
    assert (ESC in out) is coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", out) == _out(capsys, "check", "--exit-zero", "--color", "never", str(ALTERED_SEED))


def test_verify_takes_color_too(capsys: pytest.CaptureFixture[str]) -> None:
    """`quotecheck verify --color always` colours its report."""
    assert ESC in _out(capsys, "verify", "--color", "always", "a national dialogue")
    assert ESC not in _out(capsys, "verify", "a national dialogue")


def test_a_bad_color_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """`--color sometimes` exits 2 naming the choices."""
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--color", "sometimes", str(ALTERED_SEED)])
    assert exit_info.value.code == 2
    assert "'auto', 'always', 'never'" in capsys.readouterr().err


def test_auto_needs_a_terminal_that_is_not_dumb() -> None:
    """`auto` colours a terminal, not one whose TERM is dumb, and not a stream that is no terminal."""

    class Terminal:
        def isatty(self) -> bool:
            return True

    assert _use_colour("auto", Terminal(), {"TERM": "xterm"})
    assert not _use_colour("auto", Terminal(), {"TERM": "dumb"})
    assert not _use_colour("auto", object(), {"TERM": "xterm"})
    assert not _use_colour("auto", Terminal(), {"TERM": "xterm", "NO_COLOR": "yes"})


def _on_a_terminal(argv: list[str], variables: dict[str, str]) -> str:
    """What `quotecheck ARGV` writes to a pseudo-terminal, in a fresh process."""
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}} | {"TERM": "xterm"} | variables
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "quotecheck", *argv], stdout=slave, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize(
    ("variables", "coloured"),
    [({}, True), ({"NO_COLOR": ""}, True), ({"NO_COLOR": "1"}, False)],
)
def test_colour_on_a_terminal(variables: dict[str, str], coloured: bool) -> None:
    """On a real terminal `auto` colours; an empty NO_COLOR does not turn that off (no-color.org), a set one does."""
    out = _on_a_terminal(["check", "--exit-zero", str(ALTERED_SEED)], variables)
    assert "ALTERED" in out
    assert (ESC in out) is coloured


def test_the_text_report_shows_the_word_diff(capsys: pytest.CaptureFixture[str]) -> None:
    """A quotation with a lost "not" shows it struck out in the text report, as `str(quote.diff())` does."""
    out = _out(capsys, "verify", "IBM firmly opposes and will condone uses of any technology")
    assert "    diff: IBM firmly opposes and will [-not-] condone uses of any technology\n" in out


def test_an_unchanged_quotation_has_no_diff_line() -> None:
    """An exact quotation gets no diff line: there is nothing to show."""
    quote = verify("a national dialogue")
    assert quote.verdict == "exact"
    assert "diff:" not in render_text(Report((ArticleCheck("<argument>", (quote,)),)))


def _unmarked(line: str) -> str:
    """The printed words of a diff line: struck source words dropped, marks around words put in removed."""
    return re.sub(r"\{\+(.*?)\+\}", r"\1", re.sub(r"\[-.*?-\]", "", line))


def test_every_seed_diff_line_gives_back_the_quotation() -> None:
    """Dropping the struck words and the marks of a text diff gives the quotation as printed (spaces flattened)."""
    report = check(ALTERED_SEED.read_text(encoding="utf-8"), path=str(ALTERED_SEED))
    text = render_text(report)
    shown = 0
    for article_path in sorted((FIXTURES / "articles").glob("*.txt")):
        for quote in check(article_path.read_text(encoding="utf-8")).quotes:
            diff = quote.diff()
            if all(piece.tag == "equal" for piece in diff.pieces):
                continue
            shown += 1
            line = text_diff(diff)
            assert " ".join(_unmarked(line).split()) == " ".join(quote.text.split())
    assert shown >= 3
    assert "[-offered by-]{+made available from+}" in text


def test_coloured_diff_marks_struck_words_red_and_added_words_green() -> None:
    """With colour, `[-...-]` is red and `{+...+}` green, the marks kept."""
    line = text_diff(verify("IBM firmly opposes and will condone uses of any technology").diff(), colour=True)
    assert "\x1b[31m[-not-]\x1b[0m" in line
