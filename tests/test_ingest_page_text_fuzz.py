"""Property: page text and desktop copies built from the pieces real exports hold (times, dates, notices,
the end marker, control characters, chrome, arrows, \\r\\n) either read, with no notice or marker ever
a sender, or are rejected with an InputError naming the file - never a crash."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.errors import InputError
from monitor.ingest import read_file
from monitor.ingest.base import RawRows
from monitor.ingest.dates import given_date
from monitor.ingest.qianniu_web import END_MARK, PLACEHOLDERS, is_notice, parse_page_text

PAGE_PIECES = ["2024-01-15", "2024-01-16", "20:57:11", "09:00:00", "23:59:59", "00:00:01", "在吗", "亲，在的",
               "tb_a", "店:小美", END_MARK, "\x03", "目前版本不支持该功能,请升级", "【此消息为欢迎卡片】",
               "您选择了一个订单进行咨询", "用户发起转人工", "由服务助手转交给 店:小美", "tb_a 撤回了一条消息", "",
               "tb_a: 在吗", "店:小美: 在的"]
COPY_PIECES = ["tb_a 2024-01-15 10:00:00", "店:小美2024-01-15 10:01:00", "tb_a", "2024-01-15 10:02:00",
               "店:小美 --> tb_a 2024-01-15 10:03:00", "店:阿强 --> 店:小美 2024-01-15 10:04:00", "在吗", "在的",
               "当前用户来自", "商品详情页", "由 服务助手 转交给", "原因：【离线留言自动分配】", "商品推荐", "千牛",
               "¥59.00", "http://x.cn/a", "已读", "tb_a 撤回了一条消息", ""]
_settings = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_settings
@given(lines=st.lists(st.sampled_from(PAGE_PIECES), max_size=25), dated=st.booleans())
def test_page_text_reads_or_names_its_line(lines, dated):
    raw = RawRows(ts_seconds=True)
    try:
        parse_page_text("\n".join(lines), Path("p.txt"), raw, date=given_date("2024-01-15") if dated else None,
                        notes=[])
    except InputError as exc:
        assert exc.file == "p.txt" and exc.line is not None
        return
    for sender, text, hint in zip(raw.sender, raw.text, raw.role_hint):
        assert sender != END_MARK and sender not in PLACEHOLDERS
        assert not is_notice(sender) or hint == "system"
        assert "\x03" not in sender and "\x03" not in text


@_settings
@given(lines=st.lists(st.sampled_from(COPY_PIECES), min_size=1, max_size=25), crlf=st.booleans())
def test_desktop_copy_reads_or_is_rejected(tmp_path, lines, crlf):
    p = tmp_path / "copy.txt"
    p.write_bytes(("\r\n" if crlf else "\n").join(lines).encode("utf-8"))
    try:
        df, _ = read_file(p)
    except InputError as exc:
        assert exc.file == str(p)
        return
    assert not any("\r" in t for t in df["text"])
    assert set(df["role"]) <= {"buyer", "agent", "auto", "system"}
    assert not set(df["sender"]) & {"当前用户来自", "商品详情页", "已读"}
