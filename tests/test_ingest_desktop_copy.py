"""Text copied from the desktop chat window: headers, transfers, status and system lines."""

import pytest

from monitor.errors import InputError
from ingest_helpers import read_text, rows

COPY = """tb_buyer01 2024-01-15 14:30:25
在吗
已读
旗舰店:小美 2024-01-15 14:30:40
在的亲
有什么可以帮您
旗舰店:小美 --> 旗舰店:阿强 2024-01-15 14:31:02
由 服务助手 转交给 旗舰店:阿强
tb_buyer012024-01-15 14:32:00
好的
旗舰店:阿强
2024-01-15 14:33:10
亲，已为您备注
tb_buyer01 撤回了一条消息
"""


def test_messages_roles_and_times(tmp_path):
    df, info = read_text(tmp_path, COPY)
    assert info.reader == "desktop_copy"
    assert rows(df) == [
        ("tb_buyer01", "buyer", "2024-01-15 14:30:25", "在吗"),
        ("旗舰店:小美", "agent", "2024-01-15 14:30:40", "在的亲\n有什么可以帮您"),
        ("系统", "system", "2024-01-15 14:31:02", "旗舰店:小美 --> 旗舰店:阿强"),
        ("系统", "system", "2024-01-15 14:31:02", "由 服务助手 转交给 旗舰店:阿强"),
        ("tb_buyer01", "buyer", "2024-01-15 14:32:00", "好的"),
        ("旗舰店:阿强", "agent", "2024-01-15 14:33:10", "亲，已为您备注"),
        ("系统", "system", "2024-01-15 14:33:10", "tb_buyer01 撤回了一条消息"),
    ]


def test_every_message_belongs_to_the_buyer(tmp_path):
    df, _ = read_text(tmp_path, COPY)
    assert set(df["buyer"]) == {"tb_buyer01"}
    assert set(df["shop"]) == {"旗舰店"}


def test_auto_reply_marker(tmp_path):
    df, _ = read_text(tmp_path, "tb_a 2024-01-15 09:00:00\n在吗\n旗舰店:小美 2024-01-15 09:00:01\n[自动回复]您好，稍等\n")
    assert df["role"].tolist() == ["buyer", "auto"]


def test_nick_on_its_own_line_then_time(tmp_path):
    df, _ = read_text(tmp_path, "tb_a\n2024-01-15 09:00:00\n在吗\n旗舰店:小美\n2024-01-15 09:01:00\n在的\n")
    assert rows(df) == [("tb_a", "buyer", "2024-01-15 09:00:00", "在吗"),
                        ("旗舰店:小美", "agent", "2024-01-15 09:01:00", "在的")]


def test_unparseable_header_time_names_its_line(tmp_path):
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, "tb_a 2024-01-15 09:00:00\n在吗\n旗舰店:小美 2024-13-45 09:00:01\n好\n")
    assert exc.value.line == 3
    assert "2024-13-45 09:00:01" in exc.value.reason


def test_body_lines_that_only_resemble_notices_stay_text(tmp_path):
    text = ("tb_a 2024-01-15 09:00:00\n为什么还没发货\n"
            "甲店:小美 2024-01-15 09:01:00\n原因：仓库缺货\n客服马上接入处理\n")
    df, _ = read_text(tmp_path, text)
    assert rows(df, "role", "text") == [("buyer", "为什么还没发货"), ("agent", "原因：仓库缺货\n客服马上接入处理")]
