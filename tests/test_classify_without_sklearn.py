"""`chatmon classify` predicts without importing scikit-learn (nor scipy.stats or joblib, which it pulls
in): the model's sklearn objects are replaced by the inference stand-ins (monitor/detect/standins.py).
Checked in a fresh interpreter, since the test process itself has imported sklearn long ago."""

import json
import subprocess
import sys

CHILD = r"""
import json, sys
from monitor.cli import cli
try:
    cli(["classify", "--format", "csv", "-o", sys.argv[1], "加我薇信 abc12345 发你优惠", "好的亲，马上为您发货"])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "loaded": [m for m in ("sklearn", "scipy.stats", "joblib") if m in sys.modules]}))
"""


def test_classify_imports_no_sklearn(tmp_path):
    out = tmp_path / "flags.csv"
    run = subprocess.run([sys.executable, "-c", CHILD, str(out)], capture_output=True, text=True, check=True)
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got == {"code": 0, "loaded": []}
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].startswith("加我薇信 abc12345 发你优惠,diversion,")
    assert rows[2].startswith("好的亲，马上为您发货,")
