"""Tables with Chinese headers: exporter scripts, Pinduoduo 消息明细, xlsx, user mappings."""

import json

import openpyxl
import pytest

from monitor.errors import InputError
from monitor.ingest import read_file
from ingest_helpers import read_text, rows

RPA = """客户名,消息序号,发送时间,发送内容,发送账号,账号类型
tb_a,1,2024-01-15 10:00:00,在吗,tb_a,买家
tb_a,2,2024-01-15 10:00:30,"亲，在的
请问需要什么",旗舰店:小美,客服
"""


def test_exporter_columns(tmp_path):
    df, info = read_text(tmp_path, RPA, name="x.csv")
    assert info.reader == "table_csv"
    assert rows(df, "buyer", "sender", "role", "text") == [
        ("tb_a", "tb_a", "buyer", "在吗"),
        ("tb_a", "旗舰店:小美", "agent", "亲，在的\n请问需要什么"),
    ]
    # the second record spans two physical lines and starts on line 3
    assert df["source"].str.rsplit(":", n=1).str[1].tolist() == ["2", "3"]


def test_pinduoduo_message_detail(tmp_path):
    pdd = ("消费者账号,客服账号,发送方,消息类型,消息内容,发送时间\n"
           "pdd_123,,消费者,文本,能便宜点吗,2024-01-15 10:00:00\n"
           "pdd_123,小店客服01,客服,文本,已经是最低价啦,2024-01-15 10:01:00\n"
           "pdd_123,,消费者,图片,,2024-01-15 10:02:00\n")
    df, _ = read_text(tmp_path, pdd, name="pdd.csv", encoding="gbk", shop="拼多多小店")
    assert rows(df, "sender", "role", "text") == [
        ("pdd_123", "buyer", "能便宜点吗"), ("小店客服01", "agent", "已经是最低价啦"), ("pdd_123", "buyer", "[图片]")]
    assert set(df["conversation_id"]) == {"拼多多小店|pdd_123"}


def test_headers_in_another_order_and_tabs(tmp_path):
    tsv = "消息内容\t时间\t买家昵称\t发送方\n好的\t2024/01/15 10:00:00\t小王\t卖家\n"
    df, _ = read_text(tmp_path, tsv, name="t.tsv")
    assert rows(df, "buyer", "role", "ts", "text") == [("小王", "agent", "2024-01-15 10:00:00", "好的")]


def test_user_mapping_file_adds_headers(tmp_path):
    mapping = tmp_path / "cols.json"
    mapping.write_text(json.dumps({"旺旺号": "buyer", "聊天时刻": "ts", "说了啥": "text"}), encoding="utf-8")
    df, _ = read_text(tmp_path, "旺旺号,聊天时刻,说了啥\nabc,2024-01-15 10:00:00,在吗\n", name="u.csv",
                      columns=str(mapping))
    assert rows(df, "buyer", "role", "text") == [("abc", "buyer", "在吗")]


def test_unknown_field_in_user_mapping_is_an_error(tmp_path):
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, "a,b\n1,2\n", name="u.csv", columns={"a": "nonsense"})
    assert "unknown field" in exc.value.reason


def test_xlsx_one_sheet_per_customer(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "tb_first"
    ws.append(["发送时间", "发送内容", "发送账号"])
    ws.append(["2024-01-15 10:00:00", "有货吗", "tb_first"])
    ws.append(["2024-01-15 10:01:00", "有的亲", "旗舰店:小美"])
    ws2 = wb.create_sheet("说明")
    ws2.append(["本表由导出工具生成"])
    p = tmp_path / "聊天记录.xlsx"
    wb.save(p)
    df, info = read_file(p)
    assert info.reader == "table_xlsx"
    assert rows(df, "buyer", "sender", "role", "text") == [
        ("tb_first", "tb_first", "buyer", "有货吗"), ("tb_first", "旗舰店:小美", "agent", "有的亲")]
    assert df["source"].str.endswith(":tb_first!2").iloc[0]


def test_xlsx_without_usable_sheet_names_the_sheets(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "汇总"
    wb.active.append(["店铺", "销售额"])
    p = tmp_path / "wrong.xlsx"
    wb.save(p)
    with pytest.raises(InputError) as exc:
        read_file(p)
    assert "sheets seen: 汇总" in exc.value.reason


def test_title_lines_above_the_header(tmp_path):
    csv_text = "聊天记录导出,,\n导出时间：2024-01-16 08:00:00,,\n买家,时间,内容\ntb_a,2024-01-15 10:00:00,在吗\n"
    df, info = read_text(tmp_path, csv_text, name="x.csv")
    assert info.reader == "table_csv"
    assert rows(df, "buyer", "text") == [("tb_a", "在吗")]
    assert df["source"].iloc[0].endswith("x.csv:4")


def test_user_mapping_in_toml_with_canonical_column_names(tmp_path):
    mapping = tmp_path / "cols.toml"
    mapping.write_text('"旺旺" = "buyer"\n"何时" = "ts"\n"话" = "text"\n"单号" = "order_id"\n"会话" = "conversation_id"\n',
                       encoding="utf-8")
    df, _ = read_text(tmp_path, "会话,旺旺,何时,话,单号\nc1,abc,2024-01-15 10:00:00,在吗,1234\n", name="u.csv",
                      columns=str(mapping))
    assert rows(df, "buyer", "text", "order_id") == [("abc", "在吗", "1234")]


def test_unrecognised_headers_are_named(tmp_path):
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, "甲,乙\n1,2\n", name="u.csv", columns={"甲": "buyer"})
    assert exc.value.reason.endswith("headers seen: 甲, 乙")


def test_system_line_starting_with_a_bracket_is_not_json(tmp_path):
    text = "[系统消息] 当前用户来自 手机淘宝\ntb_a 2024-01-15 09:00:00\n在吗\n"
    _, info = read_text(tmp_path, text)
    assert info.reader == "desktop_copy"


def test_every_header_synonym_names_one_field_only():
    import tomllib
    from importlib import resources
    from monitor.ingest.table import FIELDS, _key
    with resources.files("monitor.ingest").joinpath("headers.toml").open("rb") as fh:
        table = tomllib.load(fh)
    assert set(table) <= set(FIELDS)
    keys = [_key(n) for names in table.values() for n in names]
    assert len(keys) == len(set(keys))


def test_agency_file_mixing_shops_keeps_each_thread_in_its_shop(tmp_path):
    text = ("买家,发送人,时间,内容\n"
            "tb_a,tb_a,2024-01-15 10:00:00,在吗\n"
            "tb_a,甲店:小美,2024-01-15 10:00:10,在的\n"
            "tb_b,tb_b,2024-01-15 10:01:00,有货吗\n"
            "tb_b,乙店:阿强,2024-01-15 10:01:20,有的\n"
            "tb_c,tb_c,2024-01-15 10:02:00,还在吗\n")
    df, _ = read_text(tmp_path, text, name="mix.csv")
    assert rows(df, "conversation_id", "role") == [
        ("甲店|tb_a", "buyer"), ("甲店|tb_a", "agent"), ("乙店|tb_b", "buyer"), ("乙店|tb_b", "agent"),
        ("甲店|tb_c", "buyer")]     # a thread with no sub-account takes the file's most frequent shop (a tie: first seen)


def test_shop_option_wins_over_every_other_clue(tmp_path):
    df, _ = read_text(tmp_path, "店铺,买家,发送人,时间,内容\n丙店,tb_a,甲店:小美,2024-01-15 10:00:10,在的\n",
                      name="s.csv", shop="丁店")
    assert rows(df, "shop", "conversation_id") == [("丁店", "丁店|tb_a")]


def test_the_shop_column_wins_over_a_sender_prefix(tmp_path):
    # issue 18: a sender's `店铺名:` prefix names the shop only when the export names none
    df, _ = read_text(tmp_path, "店铺,买家,发送人,时间,内容\n丙店展示名,tb_a,甲店:小美,2024-01-15 10:00:10,在的\n",
                      name="s.csv")
    assert rows(df, "shop") == [("丙店展示名",)]


def test_each_shop_of_an_agency_file_uses_its_own_agent_list(tmp_path):
    from monitor.config import load_config
    cfg = tmp_path / "shops.toml"
    cfg.write_text('[shops."甲店"]\nagents = ["小美"]\n[shops."乙店"]\nagents = ["阿强"]\n', encoding="utf-8")
    text = ("店铺,买家,发送人,时间,内容\n"
            "甲店,tb_a,小美,2024-01-15 10:00:00,在的\n"
            "甲店,tb_a,tb_a,2024-01-15 10:00:05,好\n"
            "乙店,tb_b,阿强,2024-01-15 10:01:00,有的\n")
    df, _ = read_text(tmp_path, text, name="mix.csv", config=load_config(cfg))
    assert rows(df, "shop", "sender", "role") == [("甲店", "小美", "agent"), ("甲店", "tb_a", "buyer"),
                                                  ("乙店", "阿强", "agent")]
