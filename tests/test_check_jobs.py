"""Batch parallelism: check_stream(jobs=N) and `quotecheck check --jobs N`; `quotecheck index`."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from quotecheck.checking.batch import check_stream, iter_article_paths
from quotecheck.cli import main
from quotecheck.errors import InvalidArgument
from quotecheck.sources.registry import Registry
from tests.conftest import FIXTURES


def _paths(tmp_path: Path) -> list[str]:
    """The seed articles three times over, and one file that cannot be read, in a fixed order."""
    seeds = sorted((FIXTURES / "articles").glob("*.txt"))
    paths = [str(p) for p in seeds * 3]
    paths.insert(4, str(tmp_path / "missing.txt"))
    return paths


def test_two_jobs_give_the_same_results_in_the_same_order(tmp_path: Path) -> None:
    """jobs=2 yields exactly what jobs=1 yields, in input order, read errors included."""
    paths = _paths(tmp_path)
    one = [a.to_dict() for a in check_stream(paths)]
    two = [a.to_dict() for a in check_stream(paths, jobs=2)]
    assert two == one
    assert one[4]["error"] is not None


def test_jobs_take_a_registry_by_path(tmp_path: Path) -> None:
    """With a registry path, each worker loads it; results equal those of the loaded registry."""
    paths = _paths(tmp_path)[:6]
    registry = Registry.from_path(FIXTURES / "sources")
    assert [a.to_dict() for a in check_stream(paths, registry=FIXTURES / "sources", jobs=2)] == [
        a.to_dict() for a in check_stream(paths, registry=registry)
    ]


def test_jobs_must_be_positive() -> None:
    """jobs=0 is refused with the value."""
    with pytest.raises(InvalidArgument, match="jobs=0"):
        list(check_stream([], jobs=0))


def test_cli_jobs_output_equals_one_job(capsys: pytest.CaptureFixture[str]) -> None:
    """`quotecheck check --jobs 2 --format jsonl` prints the lines `--jobs 1` prints."""
    articles = str(FIXTURES / "articles")
    main(["check", "--exit-zero", "--format", "jsonl", "--jobs", "1", articles])
    one = capsys.readouterr().out
    main(["check", "--exit-zero", "--format", "jsonl", "--jobs", "2", articles])
    assert capsys.readouterr().out == one
    assert len(one.splitlines()) == len(list(iter_article_paths([articles])))


def test_cli_jobs_reads_standard_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`-` is read by the main process and checked by a worker."""
    text = (FIXTURES / "articles" / "000_ce9660b8ffb6e04d.txt").read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    main(["check", "--exit-zero", "--format", "json", "--jobs", "2", "-"])
    parallel = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    main(["check", "--exit-zero", "--format", "json", "-"])
    assert parallel == json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_cli_rejects_bad_jobs(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A --jobs that is not a positive whole number is a usage error naming the value."""
    with pytest.raises(SystemExit) as exited:
        main(["check", "--jobs", value, str(FIXTURES / "articles")])
    assert exited.value.code == 2
    assert f"--jobs={value!r}" in capsys.readouterr().err


def test_cli_index_saves_where_check_finds_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`quotecheck index` writes the index file named by the registry's content hash."""
    from quotecheck.sources.index import cache_path

    assert main(["index", "--registry", str(FIXTURES / "sources"), "--cache-dir", str(tmp_path)]) == 0
    registry = Registry.from_path(FIXTURES / "sources")
    assert cache_path(registry.hash, tmp_path).is_file()
    assert str(tmp_path) in capsys.readouterr().out


def test_cli_index_reports_an_unwritable_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cache directory that cannot be created is an error on stderr, exit status 2, no traceback."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["index", "--cache-dir", str(blocker / "sub")]) == 2
    assert "cannot write the index" in capsys.readouterr().err


def test_check_files_takes_jobs_and_reports_progress(tmp_path: Path) -> None:
    """`check_files(..., jobs=2, progress=...)` gives the report one job gives, calling back once per article in order."""
    import quotecheck

    articles = FIXTURES / "articles"
    seen: list[tuple[int, int, str | None]] = []
    report = quotecheck.check_files([articles], jobs=2, progress=lambda done, total, article: seen.append((done, total, article.path)))
    assert report == quotecheck.check_files([articles])
    paths = [a.path for a in report.articles]
    assert seen == [(n, len(paths), path) for n, path in enumerate(paths, 1)]


def test_check_files_refuses_a_progress_that_cannot_be_called() -> None:
    """A progress argument that is not callable is an InvalidArgument naming it, before any article is read."""
    import quotecheck

    with pytest.raises(quotecheck.InvalidArgument, match="progress=3"):
        quotecheck.check_files([FIXTURES / "articles"], progress=3)  # type: ignore[arg-type]
