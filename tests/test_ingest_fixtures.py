"""Each literal fixture in tests/fixtures/ingest reads to exactly these canonical rows (and the CLI agrees)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.ingest import read_file, sniff
from ingest_helpers import rows as _rows

FIX = Path(__file__).parent / "fixtures" / "ingest"
COLS = ("buyer", "sender", "role", "ts", "text", "order_id")


def rows(df, *cols):
    # pandas may hold a missing order_id as None or NaN (both are "no order id" in the schema)
    return [tuple(None if v != v else v for v in r) for r in _rows(df, *cols)]


def _read(name, **kw):
    df, info = read_file(FIX / name, **kw)
    return df, info


def _lines(df):
    return [int(s.rsplit(":", 1)[1]) for s in df["source"]]


def test_qianniu_web_gbk():
    df, info = _read("qianniu_web_gbk.txt")
    assert (info.reader, info.encoding) == ("qianniu_web", "gb18030")
    assert set(df["shop"]) == {"云朵家居旗舰店"}
    assert set(df["conversation_id"]) == {"云朵家居旗舰店|tb_buyer01"}
    assert rows(df, *COLS) == [
        ("tb_buyer01", "tb_buyer01", "buyer", "2024-01-15 20:57:11", "这个还有货吗？", None),
        ("tb_buyer01", "云朵家居旗舰店:小美", "agent", "2024-01-15 20:58:02", "亲，有的哦\n今天下单明天发", None),
        ("tb_buyer01", "tb_buyer01", "buyer", "2024-01-15 20:59:40", "请在客户端查看原始聊天记录，网页版无法展示", None),
        ("tb_buyer01", "云朵家居旗舰店:店小蜜", "auto", "2024-01-15 21:00:05", "[自动回复]亲，客服小美正在为您服务", None),
        ("tb_buyer01", "tb_buyer01", "buyer", "2024-01-16 09:12:30", "[订单卡片] 订单号：123456789012345678",
         "123456789012345678"),
    ]
    assert _lines(df) == [2, 5, 9, 12, 16]


def test_desktop_copy_with_bom_status_transfer_and_system_lines():
    df, info = _read("desktop_copy_bom.txt")
    assert (info.reader, info.encoding) == ("desktop_copy", "utf-8-sig")
    assert set(df["buyer"]) == {"tb_buyer02"}
    assert rows(df, "sender", "role", "ts", "text") == [
        ("系统", "system", "2024-01-15 14:30:25", "当前用户来自 手机淘宝"),
        ("tb_buyer02", "buyer", "2024-01-15 14:30:25", "在吗"),
        ("云朵家居旗舰店:阿强", "agent", "2024-01-15 14:30:40", "在的亲，请问有什么可以帮您"),
        ("tb_buyer02", "buyer", "2024-01-15 14:31:02", "能便宜点吗"),
        ("系统", "system", "2024-01-15 14:31:30", "云朵家居旗舰店:阿强 --> 云朵家居旗舰店:小美"),
        ("系统", "system", "2024-01-15 14:31:30", "由 服务助手 转交给 云朵家居旗舰店:小美"),
        ("系统", "system", "2024-01-15 14:31:30", "原因：【离线留言自动分配】"),
        ("云朵家居旗舰店:小美", "agent", "2024-01-15 14:32:00", "亲，已经是活动价了哦"),
        ("系统", "system", "2024-01-15 14:32:00", "云朵家居旗舰店:小美 撤回了一条消息"),
    ]
    assert _lines(df) == [1, 2, 5, 7, 11, 12, 13, 14, 16]


def test_desktop_copy_utf16():
    df, info = _read("desktop_copy_utf16.txt")
    assert (info.reader, info.encoding) == ("desktop_copy", "utf-16")
    assert rows(df, "sender", "role", "text") == [
        ("tb_buyer06", "buyer", "尺码偏大吗"), ("云朵家居旗舰店:小美", "agent", "正常尺码哦")]


def test_rpa_export_csv():
    df, info = _read("rpa_export.csv")
    assert info.reader == "table_csv"
    assert rows(df, *COLS) == [
        ("tb_buyer03", "tb_buyer03", "buyer", "2024-01-15 10:00:00", "在吗", None),
        ("tb_buyer03", "云朵家居旗舰店:店小蜜", "auto", "2024-01-15 10:00:05", "[自动回复]您好，欢迎光临", None),
        ("tb_buyer03", "云朵家居旗舰店:小美", "agent", "2024-01-15 10:01:00", "亲，在的\n请问需要什么", None),
        ("tb_buyer03", "tb_buyer03", "buyer", "2024-01-15 10:02:00", "订单号：123456789012345678 什么时候发货",
         "123456789012345678"),
    ]
    assert _lines(df) == [2, 3, 4, 6]


def test_pdd_message_detail_gb18030_takes_the_shop_option():
    df, info = _read("pdd_message_detail.csv", shop="拼多多小店")
    assert (info.reader, info.encoding) == ("table_csv", "gb18030")
    assert set(df["conversation_id"]) == {"拼多多小店|pdd_8812"}
    assert rows(df, "sender", "role", "text") == [
        ("pdd_8812", "buyer", "能便宜点吗"), ("小店客服01", "agent", "已经是最低价啦"),
        ("pdd_8812", "buyer", "[图片]"), ("机器人", "auto", "亲亲，现在下单今天发货哦")]


def test_pdd_without_shop_option_uses_the_file_stem():
    df, _ = _read("pdd_message_detail.csv")
    assert set(df["shop"]) == {"pdd_message_detail"}


def test_json_api_epoch_seconds_and_ms_in_beijing_time():
    df, info = _read("api_messages.json")
    assert info.reader == "json_api"
    assert rows(df, "shop", "buyer", "sender", "role", "ts", "text") == [
        ("云朵家居旗舰店", "tb_buyer04", "tb_buyer04", "buyer", "2024-01-15 10:00:00", "有优惠券吗"),
        ("云朵家居旗舰店", "tb_buyer04", "云朵家居旗舰店:小美", "agent", "2024-01-15 10:01:05", "亲，领券中心可以领哦"),
    ]
    assert _lines(df) == [2, 3]


def test_canonical_reads_back_as_written():
    df, info = _read("canonical.csv")
    assert info.reader == "canonical"
    assert rows(df, *COLS) == [
        ("tb_buyer05", "tb_buyer05", "buyer", "2024-01-15 11:00:00", "发什么快递", None),
        ("tb_buyer05", "云朵家居旗舰店:小美", "agent", "2024-01-15 11:00:40", "默认中通哦", "123456789012345678"),
    ]
    # the source of a canonical file is the original export's, kept for evidence
    assert df["source"].tolist() == ["chat.txt:3", "chat.txt:6"]


@pytest.mark.parametrize("name,reader", [
    ("qianniu_web_gbk.txt", "qianniu_web"), ("desktop_copy_bom.txt", "desktop_copy"),
    ("rpa_export.csv", "table_csv"), ("api_messages.json", "json_api"), ("canonical.csv", "canonical")])
def test_sniffed_from_content_not_extension(tmp_path, name, reader):
    renamed = tmp_path / "export.dat"
    renamed.write_bytes((FIX / name).read_bytes())
    assert sniff(renamed) == reader


def test_cli_ingest_csv_end_to_end():
    result = CliRunner().invoke(cli, ["ingest", str(FIX / "qianniu_web_gbk.txt"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "shop,conversation_id,buyer,sender,role,ts,text,order_id,source"
    assert lines[1].startswith("云朵家居旗舰店,云朵家居旗舰店|tb_buyer01,tb_buyer01,tb_buyer01,buyer,"
                               "2024-01-15 20:57:11,这个还有货吗？,,")
