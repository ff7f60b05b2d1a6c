"""The error-analysis notebook runs from top to bottom (on a few rows per eval file, to stay fast)."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NB = Path(__file__).resolve().parent.parent / "notebooks" / "error_analysis.ipynb"


def _run(monkeypatch, **env):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    nb = nbformat.read(NB, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(NB.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    return " ".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)


def test_error_analysis_notebook_executes(monkeypatch):
    text = _run(monkeypatch, CHATMON_NB_LIMIT="300")
    assert "false_alarm_rate" in text and "false alarms in" in text
    if (NB.parent.parent.parent / "shared" / "eval" / "real_contact_spam.csv").exists():
        assert "recall" in text and "masked placeholder" in text and "negative precision" in text
        assert "false alarms %" in text and "violations %" in text
        assert "operating point dataset" in text      # the verdicts split by the file's dataset column


def test_notebook_falls_back_to_a_sample_without_eval_files(monkeypatch, tmp_path):
    text = _run(monkeypatch, CHATMON_EVAL_DIR=str(tmp_path / "absent"), TMPDIR=str(tmp_path))
    assert "not found: using a small sample" in text
