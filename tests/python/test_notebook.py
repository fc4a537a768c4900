"""examples/tour.ipynb runs from top to bottom without an error (executed with nbclient, as Jupyter would)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_tour_notebook_runs_without_error(tmp_path: Path) -> None:
    # run in a copy of examples/ so that the notebook's outputs (tour_report.html) stay out of the repository
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES / "data", work / "data")
    nb = nbformat.read(EXAMPLES / "tour.ipynb", as_version=4)
    # the kernel inherits this process's environment (PYTHONPATH included), so it imports the same engage
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(work)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 7  # eNPS, groups, index, favourability, heatmap, forest, (Kaplan-Meier)
    html = (work / "tour_report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "chart-heatmap" in html
