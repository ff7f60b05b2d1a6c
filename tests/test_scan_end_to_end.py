"""`chatmon scan` on a hand-built export: exact sessions, waits and yuan; re-runs never double count."""

import json
from urllib.parse import quote

import pytest

from fake_classifier import FixedClassifier
from monitor.report import shop_folder
from monitor.scan import run_scan
from monitor.store import Store

EXPORT = """店铺：甲店
聊天对象：tb_slow
tb_slow 2026-11-22 10:00:00
在吗
甲店:小美 2026-11-22 10:04:00
在的
聊天对象：tb_div
tb_div 2026-11-22 11:00:00
能便宜点吗
甲店:阿强 2026-11-22 11:00:30
加我微信 abc_12345 给你便宜
聊天对象：tb_gone
tb_gone 2026-11-22 12:00:00
有人吗
"""
CLF = FixedClassifier({"加我微信": ("diversion", 0.9)})


@pytest.fixture
def export(tmp_path):
    d = tmp_path / "exports"
    d.mkdir()
    (d / "chat.txt").write_bytes(EXPORT.encode("gb18030"))
    return d


def scan(export, out, **kw):
    return run_scan([str(export)], out_dir=out, classifier=CLF, echo=lambda m: None, **kw)


def test_exact_sessions_waits_and_yuan(export, tmp_path):
    s = scan(export, tmp_path / "out")
    shop = s["shops"]["甲店"]
    assert s["night"] == "2026-11-22" and s["rejected"] == []
    assert {k: shop[k] for k in ("messages", "sessions", "orders", "slow_orders", "unanswered_orders")} == \
        {"messages": 5, "sessions": 3, "orders": 3, "slow_orders": 1, "unanswered_orders": 1}
    assert shop["flagged"] == {"diversion": 1, "qr_lure": 0, "negative": 0, "harassment": 0}
    # slow 240 s: 20; unanswered: 20; diversion p=0.9 of 20: 18
    assert (shop["exposure_expected_yuan"], shop["exposure_worst_yuan"]) == (58.0, 60.0)


def test_outputs_are_written(export, tmp_path):
    out = tmp_path / "out"
    scan(export, out)
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["shops"]["甲店"]["sessions"] == 3
    folder = shop_folder(out, "2026-11-22", "甲店")
    for name in ("report.html", "report.xlsx", "flagged.csv"):
        assert (folder / name).stat().st_size > 0
    # the landing page links into the night's folder; the night's page links beside itself
    assert f'href="2026-11-22/{quote(folder.name)}/report.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{quote(folder.name)}/report.html"' in (out / "2026-11-22" / "index.html").read_text(encoding="utf-8")
    assert not list(out.rglob("*.tmp"))


def test_rerun_of_the_same_night_does_not_double_count(export, tmp_path):
    out = tmp_path / "out"
    first = scan(export, out)
    second = scan(export, out)
    assert second["shops"] == first["shops"]
    with Store(out / "chatmon.duckdb") as st:
        assert len(st.table("nights")) == 1
        assert len(st.table("messages")) == 5
        assert len(st.table("orders")) == 3


def test_a_copied_file_is_not_counted_twice(export, tmp_path):
    (export / "chat_copy.txt").write_bytes((export / "chat.txt").read_bytes())
    s = scan(export, tmp_path / "out")
    assert s["shops"]["甲店"]["messages"] == 5


def test_broken_files_are_listed_and_the_rest_scanned(export, tmp_path):
    (export / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (export / "empty.txt").write_bytes(b"")
    s = scan(export, tmp_path / "out")
    assert sorted((r["file"].rsplit("/", 1)[1], r["reason"]) for r in s["rejected"]) == [
        ("empty.txt", "empty file"), ("image.txt", "binary file, not a chat export")]
    assert s["shops"]["甲店"]["messages"] == 5


def test_a_crash_before_saving_leaves_no_partial_night(export, tmp_path, monkeypatch):
    out = tmp_path / "out"
    scan(export, out)
    import monitor.store as store_mod

    with Store(out / "chatmon.duckdb") as st:
        before = sorted(st.con.execute("SELECT msg_key, night FROM messages").fetchall())

    def boom(self, *a, **kw):
        # killed in the middle of the night's transaction, after the batches' messages moved in
        if not kw.get("begun"):
            self.con.execute("BEGIN TRANSACTION")
        self.con.execute("DELETE FROM nights")
        raise KeyboardInterrupt("killed")
    monkeypatch.setattr(store_mod.Store, "save_night", boom)
    with pytest.raises(KeyboardInterrupt):
        (export / "more.txt").write_text("tb_new 2026-11-23 10:00:00\n在吗\n", encoding="utf-8")
        scan(export, out, night="2026-11-23")
    monkeypatch.undo()
    with Store(out / "chatmon.duckdb") as st:
        assert st.nights() == ["2026-11-22"]
        assert sorted(st.con.execute("SELECT msg_key, night FROM messages").fetchall()) == before
    assert not list(out.rglob("*.tmp"))


def test_real_model_flags_a_phone_number(tmp_path):
    d = tmp_path / "e"
    d.mkdir()
    (d / "c.txt").write_text("tb_a 2026-11-22 10:00:00\n在吗\n甲店:小美 2026-11-22 10:00:20\n"
                             "有事打我电话13912345678\n", encoding="utf-8")
    s = run_scan([str(d)], out_dir=tmp_path / "out", echo=lambda m: None)
    assert s["shops"]["甲店"]["flagged"]["diversion"] == 1
    assert s["shops"]["甲店"]["exposure_worst_yuan"] == 20.0
