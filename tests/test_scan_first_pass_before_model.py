"""The scan forks the first pass's workers before the model is loaded (it loads while they read the
exports), and the second pass's after; scikit-learn is never imported (the model's inference stand-ins,
monitor/detect/standins.py, are). Run in a fresh interpreter, so nothing imported by other tests hides
an import the scan makes too early."""

import json
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, sys
import monitor.scan as scan
import monitor.scan_workers as sw

seen = []
real = sw.Workers.__init__

def spy(self, n, context):
    seen.append({"sklearn": "sklearn" in sys.modules, "model": "monitor.detect.standins" in sys.modules,
                 "classifier": "classifier" in context})
    real(self, n, context)

scan.Workers.__init__ = spy
scan.run_scan([sys.argv[1]], out_dir=sys.argv[2], echo=lambda m: None, night="2026-11-22")
print(json.dumps(seen))
"""


def test_readers_fork_before_the_model_and_batch_workers_after(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    lines = []
    for i in range(5):
        lines += [f"tb_{i} 2026-11-22 10:0{i}:00", "在吗", f"甲店:小美 2026-11-22 10:0{i}:30", "在的亲"]
    (exports / "a.txt").write_text("店铺：甲店\n" + "\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", CHILD, str(exports), str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "CHATMON_WORKERS": "1",
                               "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [
        {"sklearn": False, "model": False, "classifier": False}, {"sklearn": False, "model": True, "classifier": True}]


READER = r"""
import sys
from monitor.config import load_config
from monitor.scan_workers import Workers, read_export

Workers(1, {"known": set(), "shop": None, "buyer": None, "config": load_config(None), "columns": None,
            "date": None, "orders_given": False, "stage": sys.argv[2]})
res = read_export((0, sys.argv[1]))
print(res["rows"], "sklearn" in sys.modules, "monitor.report" in sys.modules)
"""


def test_reading_an_export_imports_neither_sklearn_nor_the_report(tmp_path):
    # each of the first pass's workers would otherwise import them itself (~1 s each)
    export = tmp_path / "a.txt"
    export.write_text("店铺：甲店\ntb_a 2026-11-22 10:00:00\n在吗\n甲店:小美 2026-11-22 10:00:30\n在的亲\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", READER, str(export), str(tmp_path)], capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin",
                                            "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2", "False", "False"]
