"""The example notebook runs top to bottom, and shows quotecheck's objects as HTML."""

from __future__ import annotations

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
