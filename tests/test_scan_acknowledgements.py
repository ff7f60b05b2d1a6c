"""End to end: a perfect chat ending in the buyer's 好的谢谢 costs ¥0, and the pages say a wait was left out."""

from fake_classifier import FixedClassifier
from monitor.scan import run_scan

EXPORT = """店铺：甲店
聊天对象：tb_happy
tb_happy 2026-11-22 10:00:00
这个有蓝色吗
甲店:小美 2026-11-22 10:00:40
有的亲，今天下单明天发
tb_happy 2026-11-22 10:01:30
好的谢谢
"""


def test_perfect_chat_costs_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATMON_WORKERS", "1")
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "chat.txt").write_text(EXPORT, encoding="utf-8")
    s = run_scan([str(tmp_path / "e")], out_dir=tmp_path / "out", echo=lambda m: None, classifier=FixedClassifier({}))
    shop = s["shops"]["甲店"]
    assert (shop["exposure_worst_yuan"], shop["unanswered_orders"], shop["acknowledgements_excluded"]) == (0.0, 0, 1)
    page = next((tmp_path / "out").rglob("report.html")).read_text(encoding="utf-8")
    assert "本次因此少计 1 次等待" in page and '<div class="big" id="expected">¥0</div>' in page
    assert "本次因此少计 1 次等待" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
