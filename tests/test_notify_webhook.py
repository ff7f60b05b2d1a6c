"""The optional push to a DingTalk / WeCom group robot, against a local HTTP server on 127.0.0.1."""

import json
import threading
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from fake_classifier import FixedClassifier
from monitor.notify import build_payload, notify_scan, signed_url
from monitor.scan import run_scan

SUMMARY = {"night": "2026-11-22",
           "shops": {"甲店": {"exposure_expected_yuan": 58.0, "exposure_certain_yuan": 40.0, "exposure_worst_yuan": 60.0},
                     "乙店": {"exposure_expected_yuan": 320.0, "exposure_certain_yuan": 300.0, "exposure_worst_yuan": 340.0},
                     "丙店": {"exposure_expected_yuan": 0.0, "exposure_certain_yuan": 0.0, "exposure_worst_yuan": 0.0}},
           "rejected": [{"file": "/data/exports/2026-11-22/坏文件.txt", "reason": "line 3: no time"}],
           "failed_shops": [{"shop": "丁店", "reason": "boom"}]}


@contextmanager
def robot(status=200, answer=b'{"errcode":0,"errmsg":"ok"}', delay=0.0):
    """A local robot that records what it got; at most a few requests, and it stops by itself."""
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            import time
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append({"path": self.path, "json": json.loads(body.decode("utf-8")),
                        "type": self.headers["Content-Type"]})
            time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    deadline = threading.Timer(20.0, server.shutdown)      # stops by itself even if a test hangs
    deadline.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/robot/send?access_token=t", got
    finally:
        deadline.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_dingtalk_markdown_message():
    with robot() as (url, got):
        lines = []
        assert notify_scan(SUMMARY, {"webhook_url": url, "webhook_kind": "dingtalk"}, lines.append) is True
    (req,) = got
    assert req["type"].startswith("application/json") and req["path"] == "/robot/send?access_token=t"
    body = req["json"]
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == "chatmon 客服风险日报 2026-11-22"
    text = body["markdown"]["text"]
    assert "预计罚款 ¥378（可能区间 ¥340 – ¥400）" in text
    assert "坏文件.txt：line 3: no time" in text and "/data/exports" not in text and "丁店" in text
    assert text.index("1. 乙店 ¥320") < text.index("2. 甲店 ¥58") and "丙店" not in text


def test_wecom_text_message():
    with robot() as (url, got):
        assert notify_scan(SUMMARY, {"webhook_url": url, "webhook_kind": "wecom", "webhook_format": "text"},
                           lambda m: None)
    body = got[0]["json"]
    assert set(body) == {"msgtype", "text"} and body["msgtype"] == "text"
    assert body["text"]["content"].startswith("chatmon 客服风险日报 2026-11-22\n扫描 3 家店铺")


def test_wecom_markdown_keeps_to_the_size_limit():
    many = {**SUMMARY, "shops": {f"很长的店铺名字第{i}号旗舰店" * 3: {"exposure_expected_yuan": 100.0 + i} for i in range(200)}}
    p = build_payload(many, "wecom", "markdown", top=200)
    assert p["msgtype"] == "markdown" and len(p["markdown"]["content"].encode("utf-8")) <= 4096
    assert '<font color="warning">扫描不完整</font>' in p["markdown"]["content"]


@pytest.mark.parametrize("status, answer", [(500, b"oops"), (200, b'{"errcode":310000,"errmsg":"sign not match"}'),
                                            (200, b"<html>")])
def test_a_robot_that_refuses_costs_a_warning_only(status, answer):
    with robot(status, answer) as (url, _):
        lines = []
        assert notify_scan(SUMMARY, {"webhook_url": url}, lines.append) is False
    assert len(lines) == 1 and lines[0].startswith("warning: the dingtalk webhook message was not delivered")


def test_a_slow_robot_times_out():
    with robot(delay=2.0) as (url, _):
        lines = []
        assert notify_scan(SUMMARY, {"webhook_url": url, "webhook_timeout_s": 0.3}, lines.append) is False
    assert "not delivered" in lines[0]


def test_off_by_default_sends_nothing():
    lines = []
    assert notify_scan(SUMMARY, {"webhook_url": ""}, lines.append) is False and lines == []


def test_dingtalk_signing():
    url = signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SECabc", now_ms=1700000000000)
    q = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    assert q["timestamp"] == ["1700000000000"]
    import base64, hashlib, hmac
    want = base64.b64encode(hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()).decode()
    assert q["sign"] == [want]


def test_a_scan_with_an_unreachable_robot_still_succeeds(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATMON_WORKERS", "1")
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "chat.txt").write_text(
        "店铺：甲店\n聊天对象：tb_a\ntb_a 2026-11-22 10:00:00\n在吗\n甲店:小美 2026-11-22 10:04:00\n在的\n", encoding="utf-8")
    cfg = tmp_path / "c.toml"
    cfg.write_text('[notify]\nwebhook_url = "http://127.0.0.1:9/robot"\nwebhook_timeout_s = 2\n', encoding="utf-8")
    lines = []
    s = run_scan([str(tmp_path / "e")], out_dir=tmp_path / "out", config_path=str(cfg), echo=lines.append,
                 classifier=FixedClassifier({}))
    assert s["shops"]["甲店"]["slow_orders"] == 1
    assert any(line.startswith("warning: the dingtalk webhook") for line in lines)
