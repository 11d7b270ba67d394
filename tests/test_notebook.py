"""The example notebook runs top to bottom, and shows quotecheck's objects as HTML."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

NOTEBOOK = ROOT / "examples" / "quotecheck-tour.ipynb"


def test_the_example_notebook_runs_top_to_bottom() -> None:
    """Every cell of examples/quotecheck-tour.ipynb runs without error; the report displays as HTML with badges."""
    nbformat = pytest.importorskip("nbformat", reason="the notebook extra is not installed")
    nbclient = pytest.importorskip("nbclient", reason="the notebook extra is not installed")
    pytest.importorskip("ipykernel", reason="the notebook extra is not installed")
    pytest.importorskip("pandas", reason="the pandas extra is not installed")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    html = [
        output["data"]["text/html"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]
    assert any('class="qc-badge"' in fragment and "qc-quote" in fragment for fragment in html)
    assert any("<del" in fragment for fragment in html)


def _execute(notebook: Any, folder: Path, env: dict[str, str] | None = None) -> None:
    import os

    import nbclient

    saved = dict(os.environ)
    os.environ.update(env or {})  # the kernel inherits this process's environment
    try:
        nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _outputs(notebook: Any) -> list[list[dict[str, Any]]]:
    """Each code cell's outputs as data, without what changes from run to run (execution counts)."""
    return [
        [{k: v for k, v in o.items() if k != "execution_count"} for o in cell.get("outputs", [])]
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


def test_the_notebook_is_stored_with_its_current_outputs() -> None:
    """The committed notebook holds outputs (GitHub and nbviewer show them), and they are what a run gives today."""
    nbformat = pytest.importorskip("nbformat", reason="the notebook extra is not installed")
    pytest.importorskip("nbclient", reason="the notebook extra is not installed")
    pytest.importorskip("ipykernel", reason="the notebook extra is not installed")
    pytest.importorskip("pandas", reason="the pandas extra is not installed")
    stored = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in stored.cells if cell.cell_type == "code"]
    assert all(cell.get("execution_count") for cell in code)
    assert sum(1 for cell in code if cell.get("outputs")) >= len(code) - 1  # the last cell only asserts
    fresh = copy.deepcopy(stored)
    _execute(fresh, NOTEBOOK.parent)
    assert _outputs(fresh) == _outputs(stored), "re-run the notebook and save it with its outputs"


def test_outside_a_clone_the_notebook_says_what_it_needs(tmp_path: Path) -> None:
    """Run from another folder, the first cell fails with a message naming QUOTECHECK_ARTICLES; set, it runs."""
    nbformat = pytest.importorskip("nbformat", reason="the notebook extra is not installed")
    nbclient = pytest.importorskip("nbclient", reason="the notebook extra is not installed")
    pytest.importorskip("ipykernel", reason="the notebook extra is not installed")
    pytest.importorskip("pandas", reason="the pandas extra is not installed")
    copied = tmp_path / "tour.ipynb"
    shutil.copy(NOTEBOOK, copied)
    notebook = nbformat.read(copied, as_version=4)
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="QUOTECHECK_ARTICLES") as raised:
        _execute(notebook, tmp_path, {"QUOTECHECK_ARTICLES": ""})
    assert "StopIteration" not in str(raised.value)
    mine = tmp_path / "mine"
    shutil.copytree(ROOT / "fixtures" / "articles", mine)
    notebook = nbformat.read(copied, as_version=4)
    _execute(notebook, tmp_path, {"QUOTECHECK_ARTICLES": str(mine)})
