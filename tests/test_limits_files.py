"""Issue 18: only regular files are read (a FIFO or a device given as a path is rejected at once,
never hangs), a file over [limits] file_bytes is rejected with its size and the limit, and a message
over [limits] message_chars is classified on its first characters, with a note, and kept whole."""

import json
import os
import threading

import pytest

from fake_classifier import FixedClassifier
from monitor.config import load_config
from monitor.errors import InputError
from monitor.ingest import read_file, read_paths
from monitor.scan import run_scan
from monitor.store import Store

GOOD = ("店铺,客户名,发送时间,发送内容,发送账号,账号类型\n"
        "好店,tb_a,2026-11-22 11:00:00,在吗,tb_a,买家\n"
        "好店,tb_a,2026-11-22 11:00:30,在的,好店:小美,客服\n")


def within(seconds, fn, *args, **kw):
    """fn(*args, **kw) in a thread; fails (instead of hanging the suite) if it has not returned in time."""
    out = {}

    def run():
        try:
            out["value"] = fn(*args, **kw)
        except BaseException as exc:      # noqa: BLE001 - handed back to the test
            out["error"] = exc
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"{fn.__name__} still running after {seconds} s"
    if "error" in out:
        raise out["error"]
    return out["value"]


@pytest.fixture
def fifo(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    p = tmp_path / "pipe.csv"
    os.mkfifo(p)
    return p


def test_a_fifo_is_rejected_at_once(fifo):
    with pytest.raises(InputError) as exc:
        within(10, read_file, fifo)
    assert exc.value.reason == "not a regular file (a FIFO (named pipe)): only export files are read"


def test_dev_zero_is_rejected_at_once():
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    with pytest.raises(InputError) as exc:
        within(10, read_file, "/dev/zero")
    assert exc.value.reason == "not a regular file (a character device): only export files are read"


def test_a_file_over_the_byte_limit_is_rejected_with_its_size(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[limits]\nfile_bytes = 100\n", encoding="utf-8")
    p = tmp_path / "big.csv"
    p.write_text(GOOD, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_file(p, config=load_config(cfg))
    assert exc.value.reason == (f"file is {len(GOOD.encode()):,} bytes, over the limit of 100 bytes "
                                "([limits] file_bytes)")


def test_read_paths_rejects_the_fifo_and_reads_the_good_file(tmp_path, fifo):
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    result = within(20, read_paths, [tmp_path / "good.csv", fifo, "/dev/zero"])
    assert len(result.messages) == 2
    assert [r.file for r in result.rejected] == [str(fifo), "/dev/zero"]


def test_a_scan_given_a_fifo_and_dev_zero_still_reports_the_good_export(tmp_path, fifo):
    d = tmp_path / "exports"
    d.mkdir()
    (d / "good.csv").write_text(GOOD, encoding="utf-8")
    s = within(120, run_scan, [str(d), str(fifo), "/dev/zero"], out_dir=tmp_path / "out",
               classifier=FixedClassifier({}), echo=lambda m: None)
    assert list(s["shops"]) == ["好店"]
    assert {r["file"] for r in s["rejected"]} == {str(fifo), "/dev/zero"}
    assert all("not a regular file" in r["reason"] for r in s["rejected"])


def test_a_long_message_is_classified_on_its_start_and_kept_whole(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[limits]\nmessage_chars = 50\n", encoding="utf-8")
    long_text = "加我微信" + "亲" * 100 + "退款返现"     # the second cue lies past the 50 characters classified
    d = tmp_path / "exports"
    d.mkdir()
    (d / "a.csv").write_text(GOOD + f"好店,tb_a,2026-11-22 11:01:00,{long_text},好店:小美,客服\n", encoding="utf-8")
    clf = FixedClassifier({"加我微信": ("diversion", 0.9), "退款返现": ("qr_lure", 0.9)})
    out = tmp_path / "out"
    s = run_scan([str(d)], out_dir=out, classifier=clf, config_path=str(cfg), echo=lambda m: None)
    assert s["shops"]["好店"]["flagged"] == {"diversion": 1, "qr_lure": 0, "negative": 0, "harassment": 0}
    with Store(out / "chatmon.duckdb", read_only=True) as store:
        msgs = store.table("messages")
    row = msgs[msgs["text"].str.len() > 50].iloc[0]
    assert row["text"] == long_text
    assert json.loads(row["evidence"]) == [
        {"label": "diversion", "start": 0, "end": 4, "match": "加我微信", "rule": "test"},
        {"label": "note", "start": 50, "end": 50, "match": "", "rule": "消息过长（108 字），只检查了前 50 字"}]
