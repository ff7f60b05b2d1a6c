"""Message-manager text export: framed by ==== rules, 消息对象 names the contact, time-first headers."""

from pathlib import Path

import pytest

from monitor.errors import InputError
from monitor.ingest import READERS, read_file
from ingest_helpers import read_text, rows

FIX = Path(__file__).parent / "fixtures" / "ingest"


def test_fixture_reads_exactly():
    df, info = read_file(FIX / "message_manager_gbk.txt", shop="云朵家居旗舰店")
    assert (info.reader, info.encoding) == ("message_manager", "gb18030")
    assert rows(df, "buyer", "sender", "role", "ts", "text") == [
        ("tb_buyer07", "tb_buyer07", "buyer", "2024-01-15 14:30:25", "在吗\n想问下尺码"),
        ("tb_buyer07", "小美", "agent", "2024-01-15 14:30:40", "在的亲"),   # not the contact: the shop's side
        ("tb_buyer07", "tb_buyer07", "buyer", "2024-01-15 14:31:00", "[图片]"),
    ]
    assert df["source"].str.rsplit(":", n=1).str[1].tolist() == ["9", "13", "16"]
    assert set(df["conversation_id"]) == {"云朵家居旗舰店|tb_buyer07"}


def test_without_the_frame_two_time_first_headers_are_needed(tmp_path):
    two = "2024-01-15 14:30:25 tb_a\n在吗\n2024-01-15 14:30:40 甲店:小美\n在的\n"
    df, info = read_text(tmp_path, two)
    assert info.reader == "message_manager"
    assert rows(df, "sender", "role") == [("tb_a", "buyer"), ("甲店:小美", "agent")]


def test_nick_first_copy_with_a_body_line_starting_with_a_date_stays_desktop_copy(tmp_path):
    text = "tb_a 2024-01-15 09:00:00\n2024-01-20 10:00:00 之前能到吗\n甲店:小美 2024-01-15 09:01:00\n能的\n"
    df, info = read_text(tmp_path, text)
    assert info.reader == "desktop_copy"
    assert df["text"].tolist() == ["2024-01-20 10:00:00 之前能到吗", "能的"]


def test_text_before_the_first_header_is_not_this_layout(tmp_path):
    text = "消息对象:tb_a\n随便一行\n2024-01-15 14:30:25 tb_a\n在吗\n2024-01-15 14:30:26 tb_a\n在\n"
    assert not READERS["message_manager"].sniff(text)
    with pytest.raises(InputError) as exc:      # and read directly, it names the line
        READERS["message_manager"].read(text, Path("x.txt"))
    assert exc.value.line == 2


def test_bad_header_time_names_its_line(tmp_path):
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, "消息对象:tb_a\n2024-01-15 14:30:25 tb_a\n在吗\n2024-02-30 14:30:26 tb_a\n在\n")
    assert (exc.value.line, exc.value.reason) == (4, "unparseable timestamp '2024-02-30 14:30:26'")
