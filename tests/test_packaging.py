"""The package's metadata: one version, written once, and what an index page shows."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib

import pytest

import quotecheck
from quotecheck.cli import main
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_is_written_once() -> None:
    """pyproject.toml reads the version from `__version__`; no other file of the package writes one."""
    assert "version" not in PYPROJECT["project"]
    assert "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "src/quotecheck/__init__.py"
    writers = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "src").rglob("*.py"))
        if re.search(r"^__version__\s*=", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert writers == ["src/quotecheck/__init__.py"]


def test_the_installed_version_is_the_package_version() -> None:
    """What pip installed and what the package says agree (a stale editable install would not)."""
    assert importlib.metadata.version("quotecheck") == quotecheck.__version__


def test_version_option_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    """`quotecheck --version` prints the program's name and version and exits 0, as other tools do."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"quotecheck {quotecheck.__version__}\n"


def test_python_m_quotecheck_version() -> None:
    """`python -m quotecheck --version` works the same in a fresh process."""
    result = subprocess.run([sys.executable, "-m", "quotecheck", "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout.strip()) == (0, f"quotecheck {quotecheck.__version__}")


def test_classifiers_name_each_supported_python() -> None:
    """The classifiers list each Python from requires-python's floor to 3.13, the newest tested."""
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"
    prefix = "Programming Language :: Python :: 3."
    versions = {c.rpartition(" :: ")[2] for c in PYPROJECT["project"]["classifiers"] if c.startswith(prefix)}
    assert versions == {"3.11", "3.12", "3.13"}


@pytest.mark.xfail(
    strict=True,
    reason="the project has no public address yet: [project.urls] waits for the real repository's URL (a made-up one would mislead)",
)
def test_project_urls_are_in_the_installed_metadata() -> None:
    """An index page links the home page, documentation, changelog and issue tracker."""
    urls = dict(entry.split(", ", 1) for entry in importlib.metadata.metadata("quotecheck").get_all("Project-URL") or [])
    assert set(urls) == {"Homepage", "Documentation", "Changelog", "Issues"}
    assert all(url.startswith("https://") for url in urls.values())


def test_the_linters_the_suite_runs_are_pinned() -> None:
    """ruff and mypy (run by tests/test_tooling.py) are pinned exactly in the test extra, and installed at the pin."""
    pins = {}
    for requirement in PYPROJECT["project"]["optional-dependencies"]["test"]:
        name, sep, version = requirement.partition("==")
        if sep:
            pins[name] = version
    assert {"ruff", "mypy"} <= set(pins)
    for name in ("ruff", "mypy"):
        assert importlib.metadata.version(name) == pins[name]


def test_ci_runs_the_newest_python_the_classifiers_name() -> None:
    """.ci/run runs the suite under python3 and again under the newest Python of the classifiers, when present."""
    newest = max(
        (c.rpartition(" :: ")[2] for c in PYPROJECT["project"]["classifiers"] if c.startswith("Programming Language :: Python :: 3.")),
        key=lambda v: tuple(map(int, v.split("."))),
    )
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"for candidate in python{newest} " in script
    assert f"/versions/{newest}*/bin/python{newest}" in script
    assert f'"$py{newest.replace(".", "")}" -m venv .venv-{newest}' in script
    assert f".venv-{newest}/bin/python -m pytest" in script


def test_ci_installs_what_the_spark_test_needs() -> None:
    """The test extra brings pyspark (through the spark extra) and .ci/run a Java runtime, so the Spark test runs."""
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert any(r.startswith("pyspark") for r in extras["spark"])
    assert "spark" in extras["test"][0]
    assert "command -v java ||" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
