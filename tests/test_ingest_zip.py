"""Zip archives as containers: each member read by its own reader, bad members rejected alone, limits."""

import io
import json
import zipfile

import pytest

from fake_classifier import FixedClassifier
from monitor.config import load_config
from monitor.errors import InputError
from monitor.ingest import read_file, read_paths, sniff
from monitor.scan import run_scan

DESKTOP = "tb_z1 2024-01-15 09:00:00\n在吗\n甲店:小美 2024-01-15 09:01:00\n在的\n"
JD = {"chatLogList": [{"content": "发货了吗", "waiterSend": False, "time": 1705284000000, "customer": "jd_z",
                       "waiter": "甲店:阿强"}]}


def _zip(members: dict, path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


def _names(items, folder):
    return [(r.file[len(str(folder)) + 1:], r.line, r.reason) for r in items]


def test_zip_of_different_layouts_reads_every_member(tmp_path):
    p = _zip({"desk.txt": DESKTOP.encode("gbk"), "sub/jd.json": json.dumps(JD, ensure_ascii=False)},
             tmp_path / "batch.zip")
    df, info = read_file(p)
    assert (sniff(p), info.reader, info.encoding) == ("zip", "zip[desktop_copy,jd_chatlog]", "gb18030,utf-8")
    assert [(s.rsplit("/", 1)[1], r, t) for s, r, t in zip(df["source"], df["role"], df["text"])] == [
        ("batch.zip!desk.txt:1", "buyer", "在吗"), ("batch.zip!desk.txt:3", "agent", "在的"),
        ("jd.json:1", "buyer", "发货了吗")]
    assert df["source"].iloc[2].endswith("batch.zip!sub/jd.json:1")


def test_bad_member_and_zip_inside_zip_are_rejected_alone(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("x.txt", DESKTOP)
    p = _zip({"a_good.txt": DESKTOP, "b_bad.txt": b"\x89PNG\r\n\x1a\n\x00\x00", "c_inner.zip": inner.getvalue(),
              "d_cut.txt": "tb_a 2024-01-15 09:00:00\n在吗\n甲店:小美 2024-01-15 09:0\n"}, tmp_path / "batch.zip")
    result = read_paths([p])
    assert len(result.messages) == 2
    assert [f.reader for f in result.files] == ["zip[desktop_copy]"]
    assert _names(result.rejected, tmp_path) == [
        ("batch.zip!b_bad.txt", None, "binary file, not a chat export"),
        ("batch.zip!c_inner.zip", None, "a zip inside a zip: unpack the inner archive and scan its files"),
        ("batch.zip!d_cut.txt", 3, "last line is a message header cut short (truncated file?)")]


def test_unsafe_names_and_encrypted_members_are_rejected(tmp_path):
    p = _zip({"../evil.txt": DESKTOP, "locked.txt": DESKTOP, "ok.txt": DESKTOP}, tmp_path / "b.zip")
    data = bytearray(p.read_bytes())
    # mark locked.txt encrypted (general purpose flag bit 0) in its central directory entry
    cd = data.index(b"PK\x01\x02")
    while True:
        name_len = int.from_bytes(data[cd + 28:cd + 30], "little")
        if data[cd + 46:cd + 46 + name_len] == b"locked.txt":
            data[cd + 8] |= 0x1
            break
        cd = data.index(b"PK\x01\x02", cd + 4)
    p.write_bytes(bytes(data))
    result = read_paths([p])
    assert len(result.messages) == 2
    assert _names(result.rejected, tmp_path) == [
        ("b.zip!../evil.txt", None, "unsafe member name (an absolute path or '..'): not read"),
        ("b.zip!locked.txt", None, "encrypted member (a password-protected zip): unpack it first")]


def test_limits_are_checked_from_the_directory_before_unpacking(tmp_path):
    cfg = tmp_path / "limits.toml"
    cfg.write_text("[limits]\nzip_max_members = 2\nzip_max_uncompressed_bytes = 1000\n", encoding="utf-8")
    config = load_config(cfg)
    many = _zip({f"{i}.txt": DESKTOP for i in range(3)}, tmp_path / "many.zip")
    with pytest.raises(InputError) as exc:
        read_file(many, config=config)
    assert exc.value.reason == "zip holds 3 files, more than the limit of 2 ([limits] zip_max_members)"
    big = _zip({"big.txt": DESKTOP + "甲店:小美 2024-01-15 09:02:00\n" + "好" * 2000 + "\n"}, tmp_path / "big.zip")
    with pytest.raises(InputError) as exc:
        read_file(big, config=config)
    assert exc.value.reason == ("zip would unpack to 6,109 bytes, more than the limit of 1,000 "
                                "([limits] zip_max_uncompressed_bytes)")


def test_gbk_member_names_from_chinese_windows_are_not_garbled(tmp_path):
    # Chinese Windows writes member names in GBK without the UTF-8 flag: 聊天.txt is 8 bytes in GBK,
    # as long as the placeholder name written first and then replaced in both headers
    gbk = "聊天.txt".encode("gbk")
    data = _zip({"abcd.txt": DESKTOP}, tmp_path / "w.zip").read_bytes()
    assert len(gbk) == len(b"abcd.txt") and data.count(b"abcd.txt") == 2
    p = tmp_path / "w.zip"
    p.write_bytes(data.replace(b"abcd.txt", gbk))
    df, _ = read_file(p)
    assert df["source"].iloc[0].endswith("w.zip!聊天.txt:1")


def test_scan_reads_the_rest_of_the_night(tmp_path):
    night = tmp_path / "exports"
    night.mkdir()
    (night / "a_desk.txt").write_text(DESKTOP, encoding="utf-8")
    _zip({"tb_z2.json": json.dumps({"wangwang_eservice_chatlog_get_response": {"ret": 40000, "count": 0}}),
          "ok.json": json.dumps(JD, ensure_ascii=False), "nested.zip": _inner_zip()}, night / "b_batch.zip")
    (night / "c_deep.json").write_text('[{"content":"hi","time":1705284000,"buyer_nick":"b","x":'
                                       + "[" * 5000 + "]" * 5000 + "}]", encoding="utf-8")
    summary = run_scan([str(night)], out_dir=tmp_path / "out", classifier=FixedClassifier({}), echo=lambda m: None)
    assert [(r["file"].rsplit("/", 1)[1], r["reason"]) for r in summary["rejected"]] == [
        ("b_batch.zip!tb_z2.json", "the API answered ret=40000: wrong account (from_id or to_id is not an account "
                                   "of this shop); no chat log in this file"),
        ("b_batch.zip!nested.zip", "a zip inside a zip: unpack the inner archive and scan its files"),
        ("c_deep.json", "JSON nested 5002 levels deep, more than the limit of 100 ([limits] json_max_depth): "
                        "not a chat export")]
    assert [(f["path"].rsplit("/", 1)[1], f["rows"], f["reader"], f["status"]) for f in summary["files"]] == [
        ("a_desk.txt", 2, "desktop_copy", "ok"), ("b_batch.zip", 1, "zip[jd_chatlog]", "ok"),
        ("c_deep.json", 0, None, "rejected")]
    assert sum(s["messages"] for s in summary["shops"].values()) == 3


def _inner_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("x.txt", DESKTOP)
    return buf.getvalue()
