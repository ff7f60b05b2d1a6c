"""One cell of page text per customer (客户ID, 聊天记录): khgkk/qianniu-chat-extract's workbook and csv
tables of page text; each cell read by the Qianniu page-text reader, `source` naming the sheet/row."""

from pathlib import Path

import pytest

from monitor.errors import InputError
from monitor.ingest import read_file
from ingest_helpers import rows

FIX = Path(__file__).parent / "fixtures" / "ingest"


def test_khgkk_workbook_time_then_name_colon_text():
    df, info = read_file(FIX / "qianniu_cells_khgkk.xlsx", date="2024-01-15")
    assert info.reader == "table_xlsx"
    assert rows(df, "buyer", "sender", "role", "ts", "text", "source") == [
        ("tb_rain88", "tb_rain88", "buyer", "2024-01-15 14:20:01", "发什么快递", f"{FIX}/qianniu_cells_khgkk.xlsx:聊天记录!2"),
        ("tb_rain88", "大趣数码旗舰店:小颖", "agent", "2024-01-15 14:21:30", "默认中通哦\n亲可以备注",
         f"{FIX}/qianniu_cells_khgkk.xlsx:聊天记录!2"),
        ("tb_rain88", "tb_rain88", "buyer", "2024-01-15 14:22:00", "好的", f"{FIX}/qianniu_cells_khgkk.xlsx:聊天记录!2"),
        # (无聊天内容) on row 3: no messages; row 4 runs past midnight
        ("tb_moon5", "tb_moon5", "buyer", "2024-01-15 23:59:40", "明天能到吗", f"{FIX}/qianniu_cells_khgkk.xlsx:聊天记录!4"),
        ("tb_moon5", "大趣数码旗舰店:小颖", "system", "2024-01-16 00:02:10", "用户发起转人工",
         f"{FIX}/qianniu_cells_khgkk.xlsx:聊天记录!4"),
    ]
    assert df.attrs["layout"] == "one cell of page text per customer"
    assert df.attrs["assumptions"] == ["聊天日期 2024-01-15 来自 --date（文件里只有时分秒）",
                                       "聊天记录!4：时间往回跳过午夜 1 次，之后的消息记为次日"]


def test_khgkk_workbook_without_a_date_names_the_cell():
    with pytest.raises(InputError) as exc:
        read_file(FIX / "qianniu_cells_khgkk.xlsx")
    assert exc.value.line == "聊天记录!2"
    assert "--date YYYY-MM-DD" in exc.value.reason and "(line 1 of the cell)" in exc.value.reason


def test_page_text_cells_with_date_lines_or_a_date_column():
    df, info = read_file(FIX / "qianniu_cells_page.csv")
    assert info.reader == "table_csv"
    assert rows(df, "buyer", "sender", "role", "ts", "text") == [
        ("tb_sun01", "tb_sun01", "buyer", "2024-01-15 09:10:00", "在吗"),
        ("tb_sun01", "星河服饰旗舰店:安安", "agent", "2024-01-15 09:10:30", "亲，在的"),
        ("快乐的小熊", "快乐的小熊", "buyer", "2024-01-16 09:30:00", "有优惠券吗"),
        ("快乐的小熊", "星河服饰旗舰店:豆豆", "agent", "2024-01-16 09:31:00", "目前版本不支持该功能,请升级"),
    ]
    # the csv record of each customer starts on its line; the second cell spans lines 2-9
    assert [s.rsplit(":", 1)[1] for s in df["source"]] == ["2", "2", "10", "10"]


def test_the_customer_column_names_the_conversation_not_the_roles(tmp_path):
    # the list shows a display name that is not the sender's account: roles come from the senders
    p = tmp_path / "cells.csv"
    p.write_text('客户ID,聊天记录\n小熊的昵称,"2024-01-15\n09:00:00\n在吗\ntb_bear\n09:01:00\n在的\n店:小美"\n',
                 encoding="utf-8")
    df, _ = read_file(p)
    assert rows(df, "buyer", "sender", "role") == [("小熊的昵称", "tb_bear", "buyer"), ("小熊的昵称", "店:小美", "agent")]


def test_a_customer_the_exporter_failed_on_rejects_the_file(tmp_path):
    p = tmp_path / "cells.csv"
    p.write_text('客户ID,聊天记录\ntb_a,"(提取失败: timeout)"\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_file(p, date="2024-01-15")
    assert exc.value.line == "2"
    assert "could not read this customer's chat: '(提取失败: timeout)'" in exc.value.reason


def test_a_per_message_table_calling_its_text_chat_record_still_reads(tmp_path):
    p = tmp_path / "msgs.csv"
    p.write_text("买家,发送时间,聊天记录\ntb_a,2024-01-15 10:00:00,在吗\n", encoding="utf-8")
    df, _ = read_file(p)
    assert rows(df, "buyer", "ts", "text") == [("tb_a", "2024-01-15 10:00:00", "在吗")]


def test_a_workbook_mixing_a_message_sheet_and_a_cell_sheet(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    ws.append(["买家", "发送时间", "内容", "发送人"])
    ws.append(["tb_a", "2024-01-15 10:00:00", "在吗", "tb_a"])
    cells = wb.create_sheet("整段")
    cells.append(["客户ID", "聊天记录"])
    cells.append(["tb_b", "2024-01-15\n11:00:00\n发货了吗\ntb_b"])
    p = tmp_path / "mixed.xlsx"
    wb.save(p)
    df, _ = read_file(p)
    assert rows(df, "buyer", "ts", "text", "source") == [
        ("tb_a", "2024-01-15 10:00:00", "在吗", f"{p}:明细!2"),
        ("tb_b", "2024-01-15 11:00:00", "发货了吗", f"{p}:整段!2")]
