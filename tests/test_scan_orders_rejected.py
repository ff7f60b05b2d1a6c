"""A bad orders export is a rejection (exit 3, listed with file, line and reason); the chats are still scanned."""

from click.testing import CliRunner

from fake_classifier import FixedClassifier
from monitor.scan import run_scan

EXPORT = "店铺：甲店\n聊天对象：tb_a\ntb_a 2026-11-22 10:00:00\n在吗\n甲店:小美 2026-11-22 10:04:00\n在的\n"


def _files(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "chat.txt").write_text(EXPORT, encoding="utf-8")
    orders = tmp_path / "orders.csv"
    orders.write_text("买家会员名,金额\ntb_a,1\n", encoding="utf-8")
    return exports, orders


def test_scan_goes_on_and_lists_the_orders_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATMON_WORKERS", "1")
    exports, orders = _files(tmp_path)
    s = run_scan([str(exports)], orders=str(orders), out_dir=tmp_path / "out", echo=lambda m: None,
                 classifier=FixedClassifier({}))
    (rej,) = s["rejected"]
    assert rej["file"] == str(orders) and rej["reason"].startswith("line 1: orders export lacks 订单编号")
    assert s["shops"]["甲店"]["slow_orders"] == 1


def test_cli_exits_3_and_prints_the_rejection(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATMON_WORKERS", "1")
    from monitor import scan as scan_mod
    from monitor.cli import cli
    real = scan_mod.run_scan
    monkeypatch.setattr(scan_mod, "run_scan", lambda *a, **k: real(*a, **{**k, "classifier": FixedClassifier({})}))
    exports, orders = _files(tmp_path)
    res = CliRunner().invoke(cli, ["scan", str(exports), "--orders", str(orders), "--out", str(tmp_path / "out")])
    assert res.exit_code == 3
    assert f"rejected: {orders}: line 1: orders export lacks 订单编号" in res.output
