"""The lint and type checks run as part of the test suite, so one command runs everything."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.skipif(shutil.which("ruff") is None and not (ROOT / ".venv").exists(), reason="ruff is not installed")
def test_ruff_finds_nothing() -> None:
    """`ruff check` passes on the package, the tests, the benchmarks and the fuzz harness."""
    result = _run("ruff", "check", "src", "tests", "benchmarks", "fuzz")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_on_src() -> None:
    """`mypy --strict` passes on the package."""
    result = _run("mypy", "--strict", "src")
    assert result.returncode == 0, result.stdout + result.stderr
