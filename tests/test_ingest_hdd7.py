"""The batch page exporter's zip of <nick>.json: per-customer chats, date + time, pictures, the shop."""

import io
import json
import zipfile
from pathlib import Path

import pytest

from ingest_helpers import read_text, rows
from monitor.errors import InputError
from monitor.ingest import read_file

FIXTURES = Path(__file__).parent / "fixtures" / "ingest" / "hdd7"


def _zip(tmp_path, name="千牛聊天记录_2024-1-17.zip"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(FIXTURES.glob("*.json")):
            zf.writestr(f.name, f.read_bytes())
    p = tmp_path / name
    p.write_bytes(buf.getvalue())
    return p


def test_fixture_zip_reads_every_customer(tmp_path):
    df, info = read_file(_zip(tmp_path))
    assert info.reader == "zip[hdd7_json]"
    assert rows(df, "shop", "buyer", "sender", "role", "ts", "text") == [
        ("云朵家居旗舰店", "tb_buyer15", "tb_buyer15", "buyer", "2024-01-16 22:10:05", "这个能退吗"),
        ("云朵家居旗舰店", "tb_buyer15", "云朵家居旗舰店:小美", "agent", "2024-01-16 22:12:30", "亲，七天无理由可以退的"),
        ("云朵家居旗舰店", "tb_buyer15", "tb_buyer15", "buyer", "2024-01-16 22:13:00", "[图片]"),
        ("云朵家居旗舰店", "快乐小猫", "快乐小猫", "buyer", "2024-01-16 23:59:50", "在吗"),
        ("云朵家居旗舰店", "快乐小猫", "云朵家居旗舰店:阿强", "agent", "2024-01-17 00:00:20", "在的亲")]
    assert df["source"].str.rsplit("/", n=1).str[1].tolist() == [
        "千牛聊天记录_2024-1-17.zip!tb_buyer15.json:6", "千牛聊天记录_2024-1-17.zip!tb_buyer15.json:13",
        "千牛聊天记录_2024-1-17.zip!tb_buyer15.json:20", "千牛聊天记录_2024-1-17.zip!快乐小猫.json:6",
        "千牛聊天记录_2024-1-17.zip!快乐小猫.json:13"]


def test_one_member_alone_is_read_too():
    df, info = read_file(FIXTURES / "快乐小猫.json")
    assert info.reader == "hdd7_json"
    assert df["role"].tolist() == ["buyer", "agent"]


def test_without_sub_accounts_the_zip_name_is_the_shop_and_a_sender_less_record_is_system(tmp_path):
    doc = {"user": "tb_q", "exportTime": "x", "count": 2, "chats": [
        {"date": "2024-01-16", "time": "10:00:00", "sender": "tb_q", "text": "在吗", "imgUrl": ""},
        {"date": "2024-01-16", "time": "10:00:01", "sender": "", "text": "用户发起转人工", "imgUrl": ""}]}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("tb_q.json", json.dumps(doc, ensure_ascii=False))
    p = tmp_path / "小店.zip"
    p.write_bytes(buf.getvalue())
    df, _ = read_file(p)
    assert rows(df, "shop", "sender", "role") == [("小店", "tb_q", "buyer"), ("小店", "系统", "system")]
    assert df.attrs["assumptions"] == ["tb_q.json: no sub-account (店铺名:客服) in the file: the shop is --shop, "
                                       "else the file name (a zip member: the zip's)"]


def test_count_that_disagrees_rejects(tmp_path):
    doc = {"user": "tb_q", "exportTime": "x", "count": 5, "chats": []}
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, json.dumps(doc), name="tb_q.json")
    assert exc.value.reason == "count says 5 but the file holds 0 chats (an edited or cut file: export it again)"
