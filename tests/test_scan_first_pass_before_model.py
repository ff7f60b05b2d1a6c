"""The scan forks the first pass's workers before scikit-learn is imported (the model loads while
they read the exports), and the second pass's after the model has loaded. Run in a fresh interpreter,
so nothing imported by other tests hides an import the scan makes too early."""

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
    seen.append({"sklearn": "sklearn" in sys.modules, "classifier": "classifier" in context})
    real(self, n, context)

scan.Workers.__init__ = spy
scan.run_scan([sys.argv[1]], out_dir=sys.argv[2], echo=lambda m: None, night="2026-11-22")
print(json.dumps(seen))
"""


def test_readers_fork_before_sklearn_and_batch_workers_after(tmp_path):
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
        {"sklearn": False, "classifier": False}, {"sklearn": True, "classifier": True}]
