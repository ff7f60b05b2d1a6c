"""Qianniu web chat-record page: date headers, time line, body, sender line."""

import pytest

from monitor.errors import InputError
from ingest_helpers import read_text, rows

PAGE = """2024-01-15
20:57:11
这个还有货吗？
tb_buyer01
20:58:02
亲，有的哦
今天下单今天发
旗舰店:小美
21:00:00
请在客户端查看原始聊天记录，网页版无法展示
旗舰店:小美
"""


def test_blocks_become_messages(tmp_path):
    df, info = read_text(tmp_path, PAGE)
    assert info.reader == "qianniu_web"
    assert rows(df) == [
        ("tb_buyer01", "buyer", "2024-01-15 20:57:11", "这个还有货吗？"),
        ("旗舰店:小美", "agent", "2024-01-15 20:58:02", "亲，有的哦\n今天下单今天发"),
        ("旗舰店:小美", "agent", "2024-01-15 21:00:00", "请在客户端查看原始聊天记录，网页版无法展示"),
    ]


def test_shop_buyer_and_source_are_derived(tmp_path):
    df, _ = read_text(tmp_path, PAGE)
    assert set(df["shop"]) == {"旗舰店"}
    assert set(df["conversation_id"]) == {"旗舰店|tb_buyer01"}
    assert df["source"].tolist() == [f"{tmp_path / 'export.txt'}:{n}" for n in (2, 5, 9)]


def test_contact_header_names_the_buyer_of_agent_first_threads(tmp_path):
    df, _ = read_text(tmp_path, "聊天对象：快乐的小猫\n2024-01-15\n09:00:00\n亲在吗\n旗舰店:小美\n")
    assert rows(df, "buyer", "role") == [("快乐的小猫", "agent")]


def test_robot_sender_is_auto(tmp_path):
    df, _ = read_text(tmp_path, "2024-01-15\n09:00:00\n在吗\ntb_x\n09:00:01\n欢迎光临\n旗舰店:店小蜜\n")
    assert df["role"].tolist() == ["buyer", "auto"]


def test_gbk_page_reads_without_garbling(tmp_path):
    df, info = read_text(tmp_path, PAGE, encoding="gbk")
    assert info.encoding == "gb18030"
    assert df["text"].iloc[1] == "亲，有的哦\n今天下单今天发"


def test_block_without_sender_names_its_line(tmp_path):
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, "2024-01-15\n20:57:11\n这个还有货吗？\n")
    assert exc.value.line == 2
    assert "no sender line" in exc.value.reason


def test_bad_time_names_its_line(tmp_path):
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, "2024-01-15\n20:57:11\n在吗\ntb_a\n25:61:00\n好\n旗舰店:小美\n")
    assert exc.value.line == 5


def test_page_chrome_before_the_first_date_is_skipped(tmp_path):
    page = "聊天记录查询\n客服：全部\n查询\n" + PAGE
    df, info = read_text(tmp_path, page)
    assert info.reader == "qianniu_web"
    assert len(df) == 3 and df["source"].iloc[0].endswith(":5")


def test_text_after_a_date_outside_any_block_is_an_error(tmp_path):
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, "2024-01-15\n20:57:11\n在吗\ntb_a\n" + "2024-01-16\n多出来的一行\n20:00:00\n好\ntb_a\n")
    assert exc.value.line == 6


def test_picture_only_message_keeps_a_placeholder(tmp_path):
    df, _ = read_text(tmp_path, "2024-01-15\n09:00:00\ntb_x\n09:00:05\n这个颜色有吗\ntb_x\n")
    assert rows(df, "sender", "role", "text") == [("tb_x", "buyer", "[图片]"), ("tb_x", "buyer", "这个颜色有吗")]


def test_with_a_contact_header_any_other_sender_is_the_shop(tmp_path):
    page = "聊天对象：tb_x\n2024-01-15\n09:00:00\n在吗\ntb_x\n09:00:20\n在的亲\n小美\n"
    df, _ = read_text(tmp_path, page)
    assert rows(df, "sender", "role") == [("tb_x", "buyer"), ("小美", "agent")]
