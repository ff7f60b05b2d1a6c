"""The analysis notebook runs from top to bottom (on a few rows per file, to stay fast)."""

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NB = Path(__file__).resolve().parent.parent / "notebooks" / "error_analysis.ipynb"


def test_error_analysis_notebook_executes(monkeypatch):
    monkeypatch.setenv("CHATMON_NB_LIMIT", "300")
    nb = nbformat.read(NB, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NB.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = " ".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "flagged_any" in text and "false alarms" in text
