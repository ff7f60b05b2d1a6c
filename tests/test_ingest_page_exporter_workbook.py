"""The Qianniu page exporter's workbook ("千牛聊天记录导出器 Excel" v5.5): 导出汇总 + one sheet per customer,
发送时间 holding only the time of day; the date comes from --date (never from 导出时间)."""

from pathlib import Path

import openpyxl
import pytest

from monitor.errors import InputError
from monitor.ingest import read_file, read_paths
from ingest_helpers import rows

FIX = Path(__file__).parent / "fixtures" / "ingest" / "qianniu_exporter_v55.xlsx"


def test_sheets_read_with_the_given_date_and_midnight_rollover():
    df, info = read_file(FIX, date="2024-01-15")
    assert info.reader == "table_xlsx"
    assert rows(df, "buyer", "sender", "role", "ts", "text") == [
        ("tb_lucky77", "tb_lucky77", "buyer", "2024-01-15 10:02:11", "这款有现货吗"),
        # a welcome card is the platform's notice, whoever it is shown under
        ("tb_lucky77", "云朵家居旗舰店:店小蜜", "system", "2024-01-15 10:02:15", "【此消息为欢迎卡片，仅您可见】欢迎光临"),
        ("tb_lucky77", "云朵家居旗舰店:小美", "agent", "2024-01-15 10:03:40", "亲，有现货的\n今天下单今天发"),
        ("tb_lucky77", "云朵家居旗舰店:小美", "agent", "2024-01-15 10:05:00", "目前版本不支持该功能,请升级"),
        # the exporter took the page's end marker for the sender: the body's last line is the sender
        ("tb_lucky77", "云朵家居旗舰店:小美", "agent", "2024-01-15 10:06:30", "好的谢谢"),
        ("夜猫子小王", "夜猫子小王", "buyer", "2024-01-15 23:58:10", "还在吗"),
        # 00:01:05 after 23:58:10: past midnight, the next day
        ("夜猫子小王", "云朵家居旗舰店:阿强", "agent", "2024-01-16 00:01:05", "在的亲，请说"),
        # a one-line block (no 发送账号): the page's picture-only message, the line is its sender
        ("夜猫子小王", "夜猫子小王", "buyer", "2024-01-16 00:01:30", "[图片]"),
    ]
    assert set(df["shop"]) == {"云朵家居旗舰店"}
    assert df["source"].iloc[0] == f"{FIX}:tb_lucky77!2"


def test_assumptions_say_where_the_date_came_from_and_what_the_summary_says():
    df, _ = read_file(FIX, date="2024-01-15")
    assert df.attrs["assumptions"] == [
        "聊天日期 2024-01-15 来自 --date（文件里只有时分秒）",
        "时间往回跳过午夜 1 次，之后的消息记为次日",
        "2 行的发送账号为空、是“没有更多内容了”或是平台通知：按千牛网页的消息块重新认定发送人（单独一行 = 该发送人的图片消息）",
        "导出汇总：1 位客户导出失败（tb_gone01：未找到聊天内容区域），他们的聊天不在此文件里",
        "导出汇总的导出时间 2024-01-16 09:12:11 是导出器运行的时间，未当作聊天日期",
    ]


def test_no_date_anywhere_is_rejected_saying_how_to_give_it():
    with pytest.raises(InputError) as exc:
        read_file(FIX)
    assert exc.value.file == str(FIX)
    assert exc.value.line == "tb_lucky77!2"
    assert "'10:02:11' has only the time of day" in exc.value.reason
    assert "--date YYYY-MM-DD" in exc.value.reason
    assert "导出时间 2024-01-16 09:12:11 is when the exporter ran, not the chats' date" in exc.value.reason


def test_a_date_after_the_export_time_is_rejected():
    # chats on 2024-01-16 at 10:02 cannot be in a workbook exported at 09:12 that morning
    with pytest.raises(InputError) as exc:
        read_file(FIX, date="2024-01-16")
    assert "message at 2024-01-16 10:02:11 is after the export time 2024-01-16 09:12:11" in exc.value.reason
    assert exc.value.line == "tb_lucky77!2"


def test_a_bad_date_option_is_a_usage_error():
    from monitor.errors import UsageError
    with pytest.raises(UsageError, match="not a date of the form YYYY-MM-DD"):
        read_paths([FIX], date="15/01/2024")


def test_a_date_column_dates_time_only_rows_per_row(tmp_path):
    p = tmp_path / "split.csv"
    p.write_text("日期,时间,买家,内容,发送人\n2024-01-15,23:59:00,tb_a,在吗,tb_a\n"
                 "2024-01-16,00:00:30,tb_a,在的,店:小美\n", encoding="utf-8")
    df, _ = read_file(p)
    assert rows(df, "role", "ts") == [("buyer", "2024-01-15 23:59:00"), ("agent", "2024-01-16 00:00:30")]
    assert df.attrs["assumptions"] == []


def test_only_a_summary_sheet_is_a_night_without_messages(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "导出汇总"
    ws.append(["客户名", "状态", "消息数", "是否生成工作表", "失败原因", "导出时间"])
    ws.append(["tb_quiet", "成功", 0, "否", "无有效消息", "2024-01-16 09:00:00"])
    p = tmp_path / "empty.xlsx"
    wb.save(p)
    df, info = read_file(p)
    assert len(df) == 0 and info.reader == "table_xlsx"
