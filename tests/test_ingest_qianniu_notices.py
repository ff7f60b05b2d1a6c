"""Qianniu page text as web exports carry it: the end marker, control characters, notices and card
placeholders (EXPORT-EVIDENCE.md item 5) are never a sender or a rejection."""

from pathlib import Path

import pytest

from monitor.errors import InputError
from monitor.ingest import read_file
from monitor.schema import is_unreadable
from ingest_helpers import read_text, rows

FIX = Path(__file__).parent / "fixtures" / "ingest" / "qianniu_web_notices.txt"


def test_notices_placeholders_end_marker_and_control_characters():
    df, info = read_file(FIX)
    assert info.reader == "qianniu_web"
    assert rows(df) == [
        ("tb_star22", "buyer", "2024-01-15 20:57:11", "请问这个尺码偏大吗"),          # \x03 dropped
        ("系统", "system", "2024-01-15 20:57:30", "【此消息为欢迎卡片，仅您可见】"),   # no sender under it
        ("tb_star22", "system", "2024-01-15 20:58:02", "您选择了一个订单进行咨询"),
        ("星河服饰旗舰店:安安", "agent", "2024-01-15 20:59:40", "目前版本不支持该功能,请升级"),
        ("系统", "system", "2024-01-15 21:00:05", "由服务助手转交给 星河服饰旗舰店:安安"),
        ("星河服饰旗舰店:安安", "agent", "2024-01-15 21:01:00", "亲，偏大半码\n建议拍小一码"),
        # the trailing 没有更多内容了 ends the block: it is not the sender of 用户发起转人工
        ("系统", "system", "2024-01-15 21:02:10", "用户发起转人工"),
    ]
    assert set(df["buyer"]) == {"tb_star22"}
    assert df.attrs["assumptions"] == ["删除了 2 个控制字符（如 \\x03，网页导出常带）",
                                       "4 条平台通知或无法显示的卡片读作系统消息（不算买家或客服）"]


def test_the_card_placeholder_is_unreadable_not_classified():
    assert is_unreadable("目前版本不支持该功能,请升级")
    assert is_unreadable("目前版本不支持该功能，请升级")


def test_end_marker_after_a_body_and_sender_is_not_a_sender(tmp_path):
    df, _ = read_text(tmp_path, "2024-01-15\n09:00:00\n在吗\ntb_a\n没有更多内容了\n")
    assert rows(df) == [("tb_a", "buyer", "2024-01-15 09:00:00", "在吗")]


def test_a_block_cut_before_its_sender_is_still_an_error(tmp_path):
    # the end marker does not hide a truncated file: a lone body at the very end has no sender
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, "2024-01-15\n09:00:00\n在吗\ntb_a\n09:01:00\n在的\n")
    assert exc.value.line == 5
