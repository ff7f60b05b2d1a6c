"""A night scanned batch by batch of shops gives exactly what one whole-night pass gives."""

import json

import duckdb
import pandas as pd
import pytest

from fake_classifier import FixedClassifier
from monitor.report import shop_folder
from monitor.scan import run_scan

CLF = FixedClassifier({"微信": ("diversion", 0.9), "差评": ("negative", 0.7)})


def _rows(shop, conv, buyer, agent, day="2026-11-22", n=6, start=10):
    out = []
    for i in range(n):
        out.append({"shop": shop, "conversation_id": conv, "buyer": buyer, "sender": buyer, "role": "buyer",
                    "ts": f"{day} {start + i:02d}:00:00", "text": f"在吗 {i}", "order_id": "", "source": ""})
        text = "加我微信 abc_123" if i == 2 else ("给个差评试试" if i == 4 else f"在的 {i}")
        out.append({"shop": shop, "conversation_id": conv, "buyer": buyer, "sender": agent, "role": "agent",
                    "ts": f"{day} {start + i:02d}:0{1 + i % 6}:00", "text": text,
                    "order_id": "9001" if i == 1 else "", "source": ""})
    return out


@pytest.fixture
def exports(tmp_path):
    d = tmp_path / "exports"
    d.mkdir()
    a = pd.DataFrame(_rows("甲店", "c1", "tb_a", "甲店:小美") + _rows("甲店", "c2", "tb_b", "甲店:阿强", start=12))
    # 甲店 spans two files that overlap (the overlap must be counted once)
    a.iloc[:16].to_csv(d / "a1.csv", index=False)
    a.iloc[10:].to_csv(d / "a2.csv", index=False)
    # one file holds two shops; 丙店 reuses 乙店's conversation id and order id
    pd.DataFrame(_rows("乙店", "c9", "tb_c", "乙店:小王") + _rows("丙店", "c9", "tb_d", "丙店:小李")).to_csv(
        d / "bc.csv", index=False)
    pd.DataFrame(_rows("丁店", "c4", "tb_e", "丁店:小赵", day="2026-11-23")).to_csv(d / "d.csv", index=False)
    pd.DataFrame(_rows("戊店", "c9", "tb_f", "戊店:小钱")).to_csv(d / "e.csv", index=False)
    return d


def _scan(exports, out, monkeypatch, batch):
    monkeypatch.setenv("CHATMON_BATCH_MESSAGES", str(batch))
    monkeypatch.setenv("CHATMON_WORKERS", "1")
    # d.csv holds the next day's chats: --night keeps the five shops one night (without it the scan
    # would split the files by night)
    return run_scan([str(exports)], out_dir=out, classifier=CLF, echo=lambda m: None, night="2026-11-22")


def _tables(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = sorted(r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall())
        out = {}
        for t in names:
            cols = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                               "ORDER BY ordinal_position", [t]).fetchall()
            keep = ", ".join(f'"{c}"' for c, _ in cols if c != "scanned_at")
            out[t] = (cols, con.execute(f'SELECT {keep} FROM "{t}" ORDER BY rowid').fetchall())
        return out
    finally:
        con.close()


def test_batches_of_one_shop_give_the_whole_night(exports, tmp_path, monkeypatch):
    whole = _scan(exports, tmp_path / "whole", monkeypatch, 10**9)
    batched = _scan(exports, tmp_path / "batched", monkeypatch, 1)
    whole.pop("db"), batched.pop("db")
    assert json.dumps(whole, sort_keys=True) == json.dumps(batched, sort_keys=True)
    assert whole["night"] == "2026-11-22"
    assert sorted(whole["shops"]) == ["丁店", "丙店", "乙店", "戊店", "甲店"]
    assert _tables(tmp_path / "whole" / "chatmon.duckdb") == _tables(tmp_path / "batched" / "chatmon.duckdb")
    for shop in whole["shops"]:
        for name in ("report.html", "flagged.csv"):
            assert (shop_folder(tmp_path / "whole", "2026-11-22", shop) / name).read_bytes() == (shop_folder(tmp_path / "batched", "2026-11-22", shop) / name).read_bytes()
    assert (tmp_path / "whole" / "index.html").read_bytes() == (tmp_path / "batched" / "index.html").read_bytes()
    # a re-run reuses every file from the history, batch by batch, and counts nothing twice
    again = _scan(exports, tmp_path / "batched", monkeypatch, 1)
    again.pop("db")
    assert again["shops"] == batched["shops"]
    assert _tables(tmp_path / "whole" / "chatmon.duckdb")["messages"][1] == \
        _tables(tmp_path / "batched" / "chatmon.duckdb")["messages"][1]
