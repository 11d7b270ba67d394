"""The command line for fact-checkers: sources, HTML and Markdown reports, progress, help."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from quotecheck import builtin_registry
from quotecheck.cli import _Progress, main
from tests.conftest import ROOT


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_sources_lists_id_speaker_date_completeness_and_hash(capsys: pytest.CaptureFixture[str]) -> None:
    """`quotecheck sources` prints one row per source with its hash prefix."""
    status, out, _ = _run(capsys, "sources")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "SPEAKER", "DATE", "COMPLETE", "WORDS", "HASH"]
    for source in builtin_registry():
        row = next(line for line in lines if line.startswith(source.id + " "))
        assert (source.speaker or "-") in row
        assert ("complete" if source.complete else "partial") in row
        assert source.hash[:12] in row


def test_sources_as_json(capsys: pytest.CaptureFixture[str], fixtures: Path) -> None:
    """`--format json` gives every source's metadata and full hash, for the registry given."""
    status, out, _ = _run(capsys, "sources", "--registry", str(fixtures / "sources"), "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert {s["id"] for s in document["sources"]} == {"krishna-2020-06-08", "ibm-policy-2020-06-08-intro"}
    krishna = next(s for s in document["sources"] if s["id"] == "krishna-2020-06-08")
    assert krishna["complete"] is False
    assert len(krishna["hash"]) == 64


def test_sources_with_a_missing_registry_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A registry path that does not exist exits 2 with a message naming it."""
    status, out, err = _run(capsys, "sources", "--registry", str(tmp_path / "nope"))
    assert status == 2
    assert out == ""
    assert f"quotecheck: error: {tmp_path / 'nope'}: registry directory does not exist" in err


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_check_writes_html_and_markdown(capsys: pytest.CaptureFixture[str], articles: Path, fmt: str) -> None:
    """`--format html|markdown` writes the report, with the usual exit status."""
    status, out, _ = _run(capsys, "check", "--format", fmt, str(articles))
    assert status == 1
    assert out.startswith("<!DOCTYPE html>" if fmt == "html" else "# quotecheck report")
    assert "altered" in out.lower()


@pytest.mark.parametrize("command", [[], ["check"], ["verify"], ["sources"]])
def test_every_help_has_examples(command: list[str]) -> None:
    """`--help` of the program and of every command shows examples."""
    result = subprocess.run(
        [sys.executable, "-m", "quotecheck", *command, "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False
    )
    assert result.returncode == 0
    assert "examples:" in result.stdout
    assert "  quotecheck " in result.stdout.split("examples:")[1]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_on_a_terminal_for_batches() -> None:
    """On a terminal, each article advances the bar; the line is cleared at the end."""
    stream = _Terminal()
    progress = _Progress(2, stream)
    progress.step("a.txt")
    progress.step("b.txt")
    progress.done()
    written = stream.getvalue()
    assert re.search(r"\] 1/2 [0-9.]+/s ETA \d+:\d\d a\.txt", written)
    assert re.search(r"\[" + "#" * _Progress.WIDTH + r"\] 2/2 [0-9.]+/s ETA 0:00 b\.txt", written)
    assert written.endswith("\r\x1b[2K")


@pytest.mark.parametrize(("total", "stream"), [(2, io.StringIO()), (1, _Terminal())])
def test_no_progress_bar_off_a_terminal_or_for_one_article(total: int, stream: io.StringIO) -> None:
    """Piped standard error, or a single article, gets no progress bar."""
    progress = _Progress(total, stream)
    for n in range(total):
        progress.step(f"{n}.txt")
    progress.done()
    assert stream.getvalue() == ""


def test_check_in_a_pipe_writes_nothing_but_errors_to_stderr(capsys: pytest.CaptureFixture[str], articles: Path) -> None:
    """Standard error stays clean when it is not a terminal (no bar, no colour)."""
    _, out, err = _run(capsys, "check", str(articles))
    assert err == ""
    assert "\x1b[" not in out


def test_an_error_during_a_batch_clears_the_progress_line_first(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, articles: Path
) -> None:
    """An unreadable article's message starts on a clean line, not after the bar."""
    (tmp_path / "empty.txt").write_bytes(b"")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    main(["check", "--exit-zero", str(articles), str(tmp_path / "empty.txt")])
    written = terminal.getvalue()
    assert "5/6" in written
    assert "\r\x1b[2Kquotecheck: error: " in written
    assert written.endswith("\r\x1b[2K")
    capsys.readouterr()


def test_the_progress_bar_shows_rate_and_time_left() -> None:
    """After 2 of 10 articles in 4 seconds the bar says 0.5/s and 16 seconds left, as tqdm would."""
    now = [100.0]
    stream = _Terminal()
    progress = _Progress(10, stream, clock=lambda: now[0])
    now[0] = 102.0
    progress.step("a.txt")
    now[0] = 104.0
    progress.step("b.txt")
    assert stream.getvalue().endswith("] 2/10 0.5/s ETA 0:16 b.txt")


def test_corpus_shows_the_progress_bar_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, articles: Path
) -> None:
    """`quotecheck corpus` advances the same bar as `check`, and clears it before writing the result."""
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["corpus", str(articles)]) == 0
    written = terminal.getvalue()
    count = len(list(articles.glob("*.txt")))
    assert f"] {count}/{count} " in written
    assert written.endswith("\r\x1b[2K")
    capsys.readouterr()


def test_an_interrupt_clears_the_bar_before_its_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, articles: Path
) -> None:
    """Ctrl-C during a batch exits 130 with "quotecheck: interrupted" on a line of its own, not after the bar."""
    import quotecheck.cli
    from quotecheck.checking.batch import check_stream

    def interrupted(*args: object, **kwargs: object) -> object:
        stream = check_stream(*args, **kwargs)  # type: ignore[arg-type]
        yield next(stream)
        raise KeyboardInterrupt

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(quotecheck.cli, "check_stream", interrupted)
    assert main(["check", str(articles)]) == 130
    written = terminal.getvalue()
    assert "] 1/" in written
    assert written.endswith("\r\x1b[2Kquotecheck: interrupted\n")
    capsys.readouterr()
