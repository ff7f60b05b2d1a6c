"""One file or one shop that raises costs only that file or shop; the night goes on (issue 18)."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from fake_classifier import FixedClassifier
from monitor.report import shop_dir_name
from monitor.scan import run_scan
from monitor.store import Store
from test_scan_batches import _rows

CLF = FixedClassifier({"微信": ("diversion", 0.9), "差评": ("negative", 0.7)})


class ExplodingClassifier(FixedClassifier):
    """Raises on one text, as a classifier bug or a hostile text might."""

    def classify(self, texts, progress=False):
        if any("炸" in t for t in texts):
            raise RuntimeError("classifier broke on a text")
        return super().classify(texts, progress)


@pytest.fixture
def exports(tmp_path):
    d = tmp_path / "exports"
    d.mkdir()
    pd.DataFrame(_rows("甲店", "c1", "tb_a", "甲店:小美")).to_csv(d / "a.csv", index=False)
    # one file holds two shops: they are scanned in one batch
    bc = _rows("乙店", "c2", "tb_c", "乙店:小王") + _rows("丙店", "c3", "tb_d", "丙店:小李")
    pd.DataFrame(bc).to_csv(d / "bc.csv", index=False)
    return d


def _scan(exports, out, monkeypatch, workers, clf=CLF):
    monkeypatch.setenv("CHATMON_WORKERS", str(workers))
    monkeypatch.setenv("CHATMON_BATCH_MESSAGES", str(10**9))     # every shop in one batch
    return run_scan([str(exports)], out_dir=out, classifier=clf, echo=lambda m: None)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_whose_reader_crashes_is_rejected_and_the_rest_scanned(exports, tmp_path, monkeypatch, workers):
    import monitor.ingest as ingest

    real = ingest.read_file

    def read_file(path, **kw):
        if str(path).endswith("bc.csv"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, **kw)

    monkeypatch.setattr(ingest, "read_file", read_file)
    s = _scan(exports, tmp_path / "out", monkeypatch, workers)
    assert [(r["file"].rsplit("/", 1)[1], r["reason"]) for r in s["rejected"]] == [
        ("bc.csv", "cannot be read: RecursionError: maximum recursion depth exceeded")]
    assert list(s["shops"]) == ["甲店"] and s["shops"]["甲店"]["messages"] == 12


@pytest.mark.parametrize("workers", [1, 2])
def test_a_shop_that_breaks_the_classifier_fails_alone(exports, tmp_path, monkeypatch, workers):
    rows = pd.read_csv(exports / "bc.csv", dtype=str, keep_default_na=False)
    rows.loc[(rows["shop"] == "丙店") & (rows["role"] == "agent"), "text"] = "炸"
    rows.to_csv(exports / "bc.csv", index=False)
    s = _scan(exports, tmp_path / "out", monkeypatch, workers, clf=ExplodingClassifier(CLF.rules))
    assert s["failed_shops"] == [{"shop": "丙店", "reason": "RuntimeError: classifier broke on a text"}]
    # the shops beside it, in the same batch and the same file, are counted as a scan without it counts them
    clean = exports.parent / "clean"
    clean.mkdir()
    pd.DataFrame(_rows("甲店", "c1", "tb_a", "甲店:小美")).to_csv(clean / "a.csv", index=False)
    pd.DataFrame(_rows("乙店", "c2", "tb_c", "乙店:小王")).to_csv(clean / "b.csv", index=False)
    assert s["shops"] == _scan(clean, tmp_path / "clean_out", monkeypatch, 1)["shops"]
    night = tmp_path / "out" / s["night"]
    assert (night / shop_dir_name("乙店") / "report.html").exists()
    assert not (night / shop_dir_name("丙店")).exists()
    on_disk = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert on_disk["failed_shops"] == s["failed_shops"]
    # and in red on the night's overview, with its reason
    overview = (night / "index.html").read_text(encoding="utf-8")
    assert "处理失败的店铺（1 家）" in overview and "<b>丙店</b>：RuntimeError: classifier broke on a text" in overview
    # its file is not remembered as scanned: the next scan reads it again
    with Store(tmp_path / "out" / "chatmon.duckdb", read_only=True) as st:
        status = dict(st.con.execute("SELECT path, status FROM files").fetchall())
    assert {p.rsplit("/", 1)[1]: v for p, v in status.items()} == {"a.csv": "ok", "bc.csv": "failed"}
    again = _scan(exports, tmp_path / "out", monkeypatch, workers)
    assert again["failed_shops"] == [] and sorted(again["shops"]) == ["丙店", "乙店", "甲店"]


def test_a_failed_shop_exits_3_and_is_printed(exports, tmp_path, monkeypatch):
    import monitor.report as report
    from monitor.cli import cli

    real = report.render_shop

    def render_shop(sn, out_dir):
        if sn.shop == "乙店":
            raise ValueError("a template broke on this shop")
        return real(sn, out_dir)

    monkeypatch.setattr(report, "render_shop", render_shop)
    monkeypatch.setenv("CHATMON_WORKERS", "1")
    res = CliRunner().invoke(cli, ["scan", str(exports), "--out", str(tmp_path / "out")])
    assert res.exit_code == 3, res.output
    assert "failed shop: 乙店: ValueError: a template broke on this shop" in res.output
    s = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert sorted(s["shops"]) == ["丙店", "甲店"]


def test_an_orders_export_whose_reader_crashes_is_rejected_and_the_chats_scanned(exports, tmp_path, monkeypatch):
    import monitor.orders as orders

    def read_orders(path):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(orders, "read_orders", read_orders)
    (tmp_path / "orders.csv").write_text("订单编号,买家会员名\n1,tb_a\n", encoding="utf-8")
    monkeypatch.setenv("CHATMON_WORKERS", "1")
    s = run_scan([str(exports)], orders=str(tmp_path / "orders.csv"), out_dir=tmp_path / "out", classifier=CLF,
                 echo=lambda m: None)
    assert s["rejected"] == [{"file": str(tmp_path / "orders.csv"),
                              "reason": "cannot be read: RecursionError: maximum recursion depth exceeded"}]
    assert sorted(s["shops"]) == ["丙店", "乙店", "甲店"]
