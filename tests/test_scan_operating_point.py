"""`chatmon scan --operating-point quiet`: the quiet thresholds are used and stored under their own model id."""

import json

from click.testing import CliRunner

from monitor.cli import cli
from monitor.detect import load_model

EXPORT = """店铺：甲店
聊天对象：tb_div
tb_div 2026-11-22 11:00:00
能便宜点吗
甲店:阿强 2026-11-22 11:00:30
加我微信 abc_12345 给你便宜
"""


def test_scan_with_the_quiet_point(tmp_path):
    (tmp_path / "chat.txt").write_bytes(EXPORT.encode("gb18030"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "chat.txt"), "--out", str(out),
                                      "--operating-point", "quiet"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    card = load_model().card
    assert summary["model"] == f"{card['model_id']}:quiet"
    # the WeChat ID is a strong rule: flagged at either point
    assert summary["shops"]["甲店"]["flagged"]["diversion"] == 1
