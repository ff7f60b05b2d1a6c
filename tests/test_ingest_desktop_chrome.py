"""Desktop window copy as readcliper.py (EXPORT-EVIDENCE.md item 6) shows it: \\r\\n line ends, an
`A --> B time` line followed by its message, window chrome lines that never reject the file."""

from pathlib import Path

import pytest

from monitor.errors import InputError
from monitor.ingest import read_file
from ingest_helpers import read_text, rows

FIX = Path(__file__).parent / "fixtures" / "ingest" / "desktop_copy_crlf.txt"


def test_crlf_copy_with_transfer_content_chrome_and_recall():
    df, info = read_file(FIX)
    assert info.reader == "desktop_copy"
    assert rows(df) == [
        ("系统", "system", "2024-01-15 14:30:25", "当前用户来自 商品详情页"),
        ("tb_buyer09", "buyer", "2024-01-15 14:30:25", "在吗\nhttp://item.taobao.com/item.htm?id=123"),
        # `A --> B time` followed by content: A's message to B
        ("云朵家居旗舰店:阿强", "agent", "2024-01-15 14:30:40", "在的亲\n¥59.00"),
        # `A --> B time` with nothing under it: the transfer notice
        ("系统", "system", "2024-01-15 14:31:30", "云朵家居旗舰店:阿强 --> 云朵家居旗舰店:小美"),
        ("系统", "system", "2024-01-15 14:31:30", "由 服务助手 转交给 云朵家居旗舰店:小美"),
        ("系统", "system", "2024-01-15 14:31:30", "原因：【离线留言自动分配】"),
        ("系统", "system", "2024-01-15 14:31:30", "商品推荐"),
        # the window's 千牛 label under a message is dropped from its text
        ("云朵家居旗舰店:小美", "agent", "2024-01-15 14:32:00", "亲，这款有货"),
        ("系统", "system", "2024-01-15 14:32:00", "tb_buyer09 撤回了一条消息"),
    ]
    assert set(df["buyer"]) == {"tb_buyer09"}
    assert not any("\r" in t for t in df["text"])
    assert df.attrs["assumptions"] == ["1 条消息在 `A --> B 时间` 行下：读作 A 发给 B 的消息"]


def test_buyer_to_agent_arrow_line_is_the_buyers_message(tmp_path):
    df, _ = read_text(tmp_path, "tb_a --> 店:小美 2024-01-15 09:00:00\r\n在吗\r\n店:小美 --> tb_a 2024-01-15 09:00:30\r\n在的\r\n")
    assert rows(df) == [("tb_a", "buyer", "2024-01-15 09:00:00", "在吗"),
                        ("店:小美", "agent", "2024-01-15 09:00:30", "在的")]


def test_transfer_content_after_its_notices_is_the_transferring_agents(tmp_path):
    df, _ = read_text(tmp_path, "tb_a 2024-01-15 09:00:00\n在吗\n店:阿强 --> 店:小美 2024-01-15 09:01:00\n"
                                "由 服务助手 转交给 店:小美\n买家问尺码，请跟进\n")
    assert rows(df) == [("tb_a", "buyer", "2024-01-15 09:00:00", "在吗"),
                        ("系统", "system", "2024-01-15 09:01:00", "店:阿强 --> 店:小美"),
                        ("系统", "system", "2024-01-15 09:01:00", "由 服务助手 转交给 店:小美"),
                        ("店:阿强", "agent", "2024-01-15 09:01:00", "买家问尺码，请跟进")]


def test_text_after_a_recall_continues_the_interrupted_message(tmp_path):
    df, _ = read_text(tmp_path, "tb_a 2024-01-15 09:00:00\n在吗\ntb_a 撤回了一条消息\n还有货吗\n")
    assert rows(df) == [("tb_a", "buyer", "2024-01-15 09:00:00", "在吗\n还有货吗"),
                        ("系统", "system", "2024-01-15 09:00:00", "tb_a 撤回了一条消息")]


def test_other_text_before_the_first_header_is_still_rejected(tmp_path):
    # chrome is skipped, but a line that is neither chrome nor a header is not this layout's
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, "当前用户来自\n商品详情页\n随便一行字\ntb_a 2024-01-15 09:00:00\n在吗\n")
    assert exc.value.reason == "no known chat export layout recognised (see monitor/ingest/LAYOUTS.md)"


def test_a_copy_starting_with_chrome_is_recognised(tmp_path):
    df, info = read_text(tmp_path, "当前用户来自\n商品详情页\n商品推荐\n¥59.00\ntb_a 2024-01-15 09:00:00\n在吗\n")
    assert info.reader == "desktop_copy"
    assert rows(df) == [("系统", "system", "2024-01-15 09:00:00", "当前用户来自 商品详情页"),
                        ("系统", "system", "2024-01-15 09:00:00", "商品推荐"),
                        ("系统", "system", "2024-01-15 09:00:00", "¥59.00"),
                        ("tb_a", "buyer", "2024-01-15 09:00:00", "在吗")]
