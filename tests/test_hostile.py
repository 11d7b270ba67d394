"""Hostile input and faults (issue 14): devices, standard input under --jobs, dying and orphaned workers,
file names that are not text, exit statuses, escapes, lone surrogates.

The damaged saved index is tested in test_index.py, the NUL threshold and reading devices in test_io.py.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import quotecheck
from quotecheck._escape import content_security_policy
from quotecheck.checking import batch as qcheck  # the batch module: the pool, its workers and the article check they call
from quotecheck.checking.batch import check_stream
from quotecheck.cli import EXIT_INTERNAL, _Progress, main
from quotecheck.config import DEFAULT_CONFIG
from quotecheck.errors import InvalidArgument
from quotecheck.judging.results import ArticleCheck, Report
from quotecheck.provenance import corpus
from quotecheck.rendering.corpus_report import render_corpus_html
from quotecheck.rendering.report import render_html, render_json, render_markdown, render_text
from tests import _workers
from tests.conftest import FIXTURES, ROOT

SEED = FIXTURES / "articles" / "000_ce9660b8ffb6e04d.txt"
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX devices, FIFOs, signals and file names")
# Raw characters a terminal or a browser would obey: C0 (but tab and newline), DEL, C1, bidi controls.
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _cli(
    *argv: str, stdin: bytes | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "quotecheck", *argv],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )


# 1. Devices and FIFOs in a batch.


@POSIX
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_devices_and_fifos_in_a_folder_are_error_lines(tmp_path: Path, jobs: str) -> None:
    """A link to /dev/zero and a FIFO in an article folder each get an error line; the good article is reported."""
    (tmp_path / "good.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.txt")
    result = _cli("check", "--exit-zero", "--jobs", jobs, "--format", "json", str(tmp_path), "/dev/zero", timeout=60)
    articles = {Path(a["path"]).name: a for a in json.loads(result.stdout)["articles"]}
    assert result.returncode == 0
    assert articles["good.txt"]["error"] is None
    assert articles["good.txt"]["quotes"]
    assert "is a character device, not a regular file" in articles["zero.md"]["error"]
    assert "is a character device, not a regular file" in articles["zero"]["error"]
    assert "is a FIFO (named pipe), not a regular file" in articles["pipe.txt"]["error"]
    assert result.stderr.decode().count("quotecheck: error:") == 3


# 3. --jobs N reads standard input as --jobs 1 does.


@pytest.mark.parametrize(
    "data",
    [b"He said \xff\xfe \xe2\x80\x9cnot text\xe2\x80\x9d", b"", b"  \n", codecs.BOM_UTF8 + SEED.read_bytes()],
    ids=["invalid", "empty", "blank", "bom"],
)
def test_jobs_read_standard_input_as_one_job(data: bytes, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Invalid UTF-8, empty input and a byte-order mark on `-` give the same output, errors and status with --jobs 2."""
    runs = []
    for jobs in ("1", "2"):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        status = main(["check", "--format", "json", "--jobs", jobs, "-"])
        out, err = capsys.readouterr()
        runs.append((status, json.loads(out), err))
    assert runs[1] == runs[0]
    if data.startswith(codecs.BOM_UTF8):
        article = runs[0][1]["articles"][0]
        text = data.decode("utf-8-sig")
        assert all(text[q["start"] : q["end"]] == q["text"] for q in article["quotes"])
    else:
        assert runs[0][0] == 2
        assert "<stdin>" in runs[0][2]


# 4. A worker that dies is an error of its article, after one retry; the batch goes on.


def _articles(tmp_path: Path, names: list[str]) -> list[str]:
    for name in names:
        (tmp_path / name).write_bytes(SEED.read_bytes())
    return [str(tmp_path / name) for name in names]


@POSIX
def test_a_worker_killed_once_is_retried_and_the_output_is_unchanged(tmp_path: Path) -> None:
    """A worker killed mid-batch (SIGKILL, as by the OOM killer): its articles are checked again in a fresh worker."""
    paths = _articles(tmp_path, [f"a{n}.txt" for n in range(6)] + ["kill.txt"] + [f"b{n}.txt" for n in range(6)])
    expected = [a.to_dict() for a in check_stream(paths)]
    got = [a.to_dict() for a in qcheck._check_parallel(paths, None, DEFAULT_CONFIG, 2, worker=_workers.killed_once)]
    assert got == expected
    assert (tmp_path / "kill.killed").exists()  # the worker really was killed


@POSIX
def test_an_article_that_kills_every_worker_is_its_own_error(tmp_path: Path) -> None:
    """An article whose worker dies twice gets an error naming it; every other article is reported, in order."""
    paths = _articles(tmp_path, [f"a{n}.txt" for n in range(5)] + ["kill.txt"] + [f"b{n}.txt" for n in range(5)])
    expected = [a.to_dict() for a in check_stream(paths)]
    got = [a.to_dict() for a in qcheck._check_parallel(paths, None, DEFAULT_CONFIG, 2, worker=_workers.killed_always)]
    assert [a["path"] for a in got] == paths
    culprit = paths.index(str(tmp_path / "kill.txt"))
    assert (
        got[culprit]["error"]
        == f"{tmp_path / 'kill.txt'}: the worker process checking it died (killed, or out of memory), twice; not checked"
    )
    assert got[:culprit] + got[culprit + 1 :] == expected[:culprit] + expected[culprit + 1 :]


def test_a_memory_error_outside_an_article_is_its_error(tmp_path: Path) -> None:
    """A MemoryError escaping a worker's task is retried alone, then the article's error; the rest go on."""
    paths = _articles(tmp_path, ["a.txt", "memory.txt", "b.txt"])
    got = [a.to_dict() for a in qcheck._check_parallel(paths, None, DEFAULT_CONFIG, 2, worker=_workers.out_of_memory)]
    assert [a["error"] is None for a in got] == [True, False, True]
    assert got[1]["error"] == f"{paths[1]}: ran out of memory while checking it; not checked"


def test_a_memory_error_in_one_article_is_its_error_with_any_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Running out of memory checking an article is that article's error, the same message with one job or a worker's."""
    paths = _articles(tmp_path, ["a.txt", "b.txt", "c.txt"])
    real = qcheck._check_article

    def exhausted(text: str, registry: object, config: object, path: str | None) -> ArticleCheck:
        if path is not None and Path(path).name.startswith("b"):
            raise MemoryError
        return real(text, registry, config, path)  # type: ignore[arg-type]

    monkeypatch.setattr(qcheck, "_check_article", exhausted)
    one = [a.to_dict() for a in check_stream(paths)]
    assert one[1]["error"] == f"{paths[1]}: ran out of memory while checking it; not checked"
    assert one[0]["error"] is None
    # In workers (which the parent's monkeypatch cannot reach) the article is retried alone, then gets the same error.
    two = [a.to_dict() for a in qcheck._check_parallel(paths, None, DEFAULT_CONFIG, 2, worker=_workers.exhausted_on_b)]
    assert two == one


# 5. Workers end with their parent.


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "term"])
def test_workers_end_when_the_parent_is_killed(tmp_path: Path, how: signal.Signals) -> None:
    """After kill -9 or SIGTERM of a --jobs 2 run, its busy workers are gone within seconds."""
    sentence = SEED.read_text(encoding="utf-8")
    for n in range(4):
        (tmp_path / f"{n}.txt").write_text(sentence * 150, encoding="utf-8")  # seconds of work each
    process = subprocess.Popen(
        [sys.executable, "-m", "quotecheck", "check", "--jobs", "2", "--format", "jsonl", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 3:  # the fork server and two workers
            time.sleep(0.2)
            workers = _descendants(process.pid)
        assert len(workers) >= 3, workers
        time.sleep(1.0)  # the workers are busy checking
        process.send_signal(how)
        process.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.2)
        assert not [p for p in workers if _alive(p)]
    finally:
        if process.poll() is None:
            process.kill()


def test_workers_are_not_forked() -> None:
    """The pool starts workers with forkserver (or spawn), never fork."""
    assert qcheck._context().get_start_method() in {"forkserver", "spawn"}


# 6. File names that are not text.


@POSIX
@pytest.mark.parametrize("output", ["text", "json", "jsonl", "html", "markdown"])
def test_a_file_name_that_is_not_utf8_is_written_escaped(tmp_path: Path, output: str) -> None:
    """A name with byte 0xFF is written `\\udcff` in every format; the output is strict UTF-8, also when
    PYTHONIOENCODING=utf-8 makes stdout strict."""
    name = os.fsencode(tmp_path) + b"/caf\xff.txt"
    with open(name, "wb") as out:
        out.write(SEED.read_bytes())
    for env in ({}, {"PYTHONIOENCODING": "utf-8"}):
        result = _cli("check", "--exit-zero", "--format", output, str(tmp_path), env=env)
        assert result.returncode == 0, result.stderr
        text = result.stdout.decode("utf-8")  # strict
        assert "caf\\udcff.txt" in text.replace("\\\\", "\\")
        if output in {"json", "jsonl"}:
            first = json.loads(text.splitlines()[0] if output == "jsonl" else text)
            article = first if output == "jsonl" else first["articles"][0]
            assert article["path"].endswith("caf\\udcff.txt")


@POSIX
def test_an_unreadable_file_name_that_is_not_utf8_is_an_error_line(tmp_path: Path) -> None:
    """The error line of a file named with byte 0xFF shows it escaped, and stderr is strict UTF-8 too."""
    os.mkfifo(os.fsencode(tmp_path) + b"/\xff.txt")
    result = _cli("check", "--format", "json", str(tmp_path), env={"PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 2
    assert "\\udcff.txt: is a FIFO" in result.stderr.decode("utf-8")
    assert "\\udcff.txt: is a FIFO" in json.loads(result.stdout.decode("utf-8"))["articles"][0]["error"]


# 7. Exit statuses.


def test_an_internal_error_exits_70_with_one_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception quotecheck did not mean to raise exits 70 (not 1, a finding), in one line asking for a report."""

    def broken(*_args: object, **_kwargs: object) -> object:
        raise IndexError("list index out of range")

    monkeypatch.setattr("quotecheck.cli.check_stream", broken)
    monkeypatch.delenv("QUOTECHECK_DEBUG", raising=False)
    assert main(["check", str(SEED)]) == EXIT_INTERNAL == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("quotecheck: internal error (IndexError: list index out of range); this is a bug in quotecheck: please report it")
    assert "Traceback" not in err


@pytest.mark.parametrize("how", ["flag-before", "flag-after", "environment"])
def test_debug_shows_the_traceback(how: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """--debug (before or after the command) or QUOTECHECK_DEBUG=1 adds the traceback; the status stays 70."""

    def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr("quotecheck.cli.check_stream", broken)
    argv = {
        "flag-before": ["--debug", "check", str(SEED)],
        "flag-after": ["check", "--debug", str(SEED)],
        "environment": ["check", str(SEED)],
    }[how]
    if how == "environment":
        monkeypatch.setenv("QUOTECHECK_DEBUG", "1")
    assert main(argv) == 70
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: boom" in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("output", ["text", "jsonl"])
def test_a_full_disk_is_an_error_line(output: str) -> None:
    """Writing to a full disk (/dev/full) ends with one error line and status 2, never a traceback."""
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "quotecheck", "check", "--format", output, str(SEED)],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
    assert result.returncode == 2
    assert result.stderr.decode() == "quotecheck: error: cannot write the output: No space left on device\n"


def test_findings_input_errors_and_success_keep_their_statuses(tmp_path: Path) -> None:
    """0 for no finding, 1 for a finding, 2 when no article can be read: internal errors do not borrow them."""
    assert main(["check", "--exit-zero", str(SEED)]) == 0
    assert main(["check", str(FIXTURES / "articles")]) == 1
    assert main(["check", str(tmp_path / "missing.txt")]) == 2


# 8. Escapes: the progress bar, the HTML report, the corpus page's policy.


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_file_names_escaped() -> None:
    """A file name holding an OSC title sequence or a bidi override is shown escaped in the progress bar."""
    terminal = _Terminal()
    progress = _Progress(2, terminal)
    progress.step("\x1b]0;pwned\x07\u202eevil.txt")
    progress.done()
    written = terminal.getvalue()
    assert "\\x1b]0;pwned\\x07\\u202eevil.txt" in written
    assert not RAW.sub("", written.replace("\r\x1b[2K", "")).count("\x1b")
    assert "\x07" not in written
    assert "\u202e" not in written


NASTY = "\x1b[31m\x07\x00\u202e\u2066\x9b<b>&"


def _nasty_report() -> Report:
    text = f"Krishna wrote: \u201cIBM no longer offers {NASTY} general purpose IBM facial recognition or analysis software.\u201d"
    report = quotecheck.check(text, path=f"dir/{NASTY}.txt")
    return Report((*report.articles, ArticleCheck(f"{NASTY}.md", (), f"{NASTY}.md: is a FIFO")))


@pytest.mark.parametrize("render", [render_html, render_markdown, render_text], ids=["html", "markdown", "text"])
def test_reports_carry_no_raw_control_or_bidi_character(render: object) -> None:
    """Article text and file names with C0/C1 controls and bidi overrides reach HTML, Markdown and text escaped."""
    page = render(_nasty_report())  # type: ignore[operator]
    assert not RAW.search(page.replace("\x1b[", "") if render is render_text else page)
    assert "\\u202e" in page
    assert ("<b>&" in page) == (render is render_text)  # markup is escaped where it would be markup


def test_the_corpus_page_has_the_check_reports_policy() -> None:
    """The corpus HTML page carries the check report's Content-Security-Policy (with no script, none allowed)."""
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
    check_page = policy.search(render_html(_nasty_report()))
    corpus_page = policy.search(render_corpus_html(corpus(_nasty_report())))
    assert check_page is not None
    assert corpus_page is not None
    assert corpus_page.group(1) == content_security_policy()
    directives = dict(d.strip().split(" ", 1) for d in check_page.group(1).split(";"))
    assert dict(d.strip().split(" ", 1) for d in corpus_page.group(1).split(";")) == {**directives, "script-src": "'none'"}


def test_the_corpus_page_escapes_controls() -> None:
    """The corpus page shows control characters and bidi overrides from article text and names as escapes."""
    assert not RAW.search(render_corpus_html(corpus(_nasty_report())))


# 9. Lone surrogates.

surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
with_surrogate = st.tuples(st.text(max_size=40), surrogates, st.text(max_size=40)).map("".join)


@given(with_surrogate)
def test_check_refuses_lone_surrogates(text: str) -> None:
    """check() refuses text with a lone surrogate with InvalidArgument naming it, instead of returning a report
    that no renderer could encode."""
    with pytest.raises(InvalidArgument, match=r"text holds a lone surrogate U\+D[89A-F][0-9A-F]{2} at index \d+"):
        quotecheck.check(text)


@given(with_surrogate, st.one_of(st.none(), with_surrogate))
def test_verify_refuses_lone_surrogates(quote: str, speaker: str | None) -> None:
    """verify() refuses a quotation (or a speaker) with a lone surrogate."""
    with pytest.raises(InvalidArgument, match="holds a lone surrogate"):
        quotecheck.verify(quote, speaker=speaker)


@given(st.text(max_size=200))
def test_every_report_of_valid_text_encodes_as_utf8(text: str) -> None:
    """Text without surrogates gives reports that encode as strict UTF-8 in every format."""
    report = quotecheck.check(text, path="a\udcff.txt")
    for render in (render_text, render_json, render_markdown, render_html):
        render(report).encode("utf-8")


def test_a_source_url_with_a_control_character_is_not_a_markdown_link() -> None:
    """A registry URL holding an escape or a bidi override is shown escaped, not written raw into a Markdown link."""
    source = quotecheck.Source("s", "We will not sell the software to anyone at all.", url="https://example.org/\u202egpj.exe")
    registry = quotecheck.Registry.from_sources([source])
    page = render_markdown(quotecheck.check("She wrote: \u201cWe will not sell the software to anyone at all.\u201d", registry=registry))
    assert "](<https://" not in page
    assert not RAW.search(page)


@POSIX
def test_jobs_give_the_output_errors_and_status_of_one_job(tmp_path: Path) -> None:
    """Over a folder of good and bad files (a FIFO, a device link, invalid UTF-8, an empty file, a name that is not
    UTF-8), `--jobs 2` writes what `--jobs 1` writes, on stdout and stderr, with the same status."""
    for n in range(3):
        (tmp_path / f"good{n}.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    (tmp_path / "latin1.txt").write_bytes("caf\u00e9 \u201cno\u201d".encode("cp1252"))
    (tmp_path / "empty.md").write_bytes(b"")
    with open(os.fsencode(tmp_path) + b"/\xff.txt", "wb") as out:
        out.write(SEED.read_bytes())
    runs = [_cli("check", "--format", "jsonl", "--jobs", jobs, str(tmp_path), timeout=120) for jobs in ("1", "2")]
    assert (runs[1].returncode, runs[1].stdout, runs[1].stderr) == (runs[0].returncode, runs[0].stdout, runs[0].stderr)
    assert runs[0].returncode == 1
    assert runs[0].stderr.decode().count("quotecheck: error:") == 4
