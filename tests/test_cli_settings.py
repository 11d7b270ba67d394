"""`[tool.quotecheck]` in the nearest pyproject.toml: registry, fail-on, limits and format; the command line wins."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from quotecheck.cli import main
from tests.conftest import FIXTURES

SEED = FIXTURES / "articles" / "002_3a147250428250cb.txt"  # exact and unsourced quotations only


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder holding the seed article, as the working directory."""
    shutil.copy(SEED, tmp_path / "article.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _settings(folder: Path, body: str) -> None:
    (folder / "pyproject.toml").write_text(f'[project]\nname = "newsroom"\n\n[tool.quotecheck]\n{body}', encoding="utf-8")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_fail_on_and_format_come_from_pyproject(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`fail-on = "unsourced"` and `format = "json"` apply with no option given."""
    assert _run(capsys, "check", "article.txt")[0] == 0
    _settings(project, 'fail-on = "unsourced"\nformat = "json"\n')
    status, out, _ = _run(capsys, "check", "article.txt")
    assert status == 1
    assert json.loads(out)["articles"][0]["path"] == "article.txt"


def test_the_command_line_wins(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--fail-on` and `--format` given on the command line override the file's."""
    _settings(project, 'fail-on = "unsourced"\nformat = "json"\n')
    status, out, _ = _run(capsys, "check", "--fail-on", "altered,paraphrase", "--format", "text", "article.txt")
    assert status == 0
    assert out.startswith("== article.txt")


def test_no_config_ignores_the_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--no-config` checks as if there were no `[tool.quotecheck]`."""
    _settings(project, 'fail-on = "unsourced"\n')
    assert _run(capsys, "--no-config", "check", "article.txt")[0] == 0


def test_a_list_fails_on_exactly_its_verdicts(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`fail-on = ["exact"]` is a list: exactly exact, not exact or worse; the string "exact" is exact or worse."""
    _settings(project, 'fail_on = ["cosmetic"]\n')  # snake_case is read too
    assert _run(capsys, "check", "article.txt")[0] == 0
    _settings(project, 'fail-on = "cosmetic"\n')
    assert _run(capsys, "check", "article.txt")[0] == 1


def test_the_registry_is_relative_to_the_pyproject_and_found_from_a_subfolder(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A subfolder without its own `[tool.quotecheck]` uses the parent's, whose registry path is relative to it."""
    shutil.copytree(FIXTURES / "sources", project / "my-sources")
    _settings(project, 'registry = "my-sources"\n')
    sub = project / "drafts"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "drafts"\n', encoding="utf-8")  # no [tool.quotecheck]: passed over
    monkeypatch.chdir(sub)
    status, out, _ = _run(capsys, "sources", "--format", "json")
    assert status == 0
    expected = _run(capsys, "--no-config", "sources", "--registry", str(FIXTURES / "sources"), "--format", "json")[1]
    assert json.loads(out)["hash"] == json.loads(expected)["hash"]


def test_limits_come_from_pyproject(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`max-article-chars` from the file rejects a longer article, naming the limit."""
    _settings(project, "max-article-chars = 100\n")
    status, _, err = _run(capsys, "check", "article.txt")
    assert status == 2
    assert "max_article_chars" in err


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('colour = "red"\n', "unknown key 'colour'"),
        ('fail-on = "alterd"\n', "fail-on = 'alterd' must be a verdict"),
        ("fail-on = []\n", "must be a non-empty list of verdicts"),
        ("jobs = 0\n", "--jobs='0' must be a whole number"),
        ('jobs = "2"\n', "jobs = '2' must be an integer"),
        ("max-quote-words = 0\n", "max-quote-words = 0 must be at least 1"),
        ('format = "yaml"\n', "format = 'yaml' must be one of"),
        ("registry = true\n", "registry = True must be a string"),
        ("fail-on = 'altered'\nfail_on = 'altered'\n", "twice"),
        ("[oops\n", "cannot be read as TOML"),
    ],
)
def test_a_bad_setting_is_an_error_naming_the_file(project: Path, capsys: pytest.CaptureFixture[str], body: str, message: str) -> None:
    """An unknown key, a wrong type or value, or bad TOML exits 2 with the file and what is wrong, no traceback."""
    _settings(project, body)
    status, _, err = _run(capsys, "check", "article.txt")
    assert status == 2
    assert err.startswith(f"quotecheck: error: {project / 'pyproject.toml'}: ")
    assert message in err
    assert "Traceback" not in err
