"""Bad input: each file is read correctly or rejected naming file, line and reason; the batch goes on."""

import pytest

from monitor.errors import InputError
from monitor.ingest import read_file, read_paths
from ingest_helpers import read_text

GOOD = "tb_a 2024-01-15 09:00:00\n在吗\n旗舰店:小美 2024-01-15 09:01:00\n在的\n"


def _reject(tmp_path, data: bytes, name="bad.txt") -> InputError:
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read_file(p)
    assert exc.value.file == str(p)
    return exc.value


def test_empty_file(tmp_path):
    assert _reject(tmp_path, b"").reason == "empty file"


def test_binary_file_renamed_txt(tmp_path):
    assert _reject(tmp_path, b"\x89PNG\r\n\x1a\n" + bytes(range(256))).reason == "binary file, not a chat export"


def test_unknown_layout(tmp_path):
    assert "no known chat export layout" in _reject(tmp_path, "随便写的一段话\n没有格式\n".encode()).reason


def test_undecodable_bytes_name_the_line(tmp_path):
    err = _reject(tmp_path, GOOD.encode("utf-8") + b"\x81\x20\xff\xfe\n")
    assert err.line == 5


def test_utf8_cut_mid_character_keeps_every_whole_character(tmp_path):
    data = GOOD.encode("utf-8")[:-4]      # "在的\n" loses its last character's bytes
    p = tmp_path / "cut.txt"
    p.write_bytes(data)
    df, info = read_file(p)
    assert info.encoding == "utf-8"
    assert df["text"].tolist() == ["在吗", "在"]


def test_header_only_csv_reads_as_zero_messages(tmp_path):
    df, info = read_text(tmp_path, "客户名,发送时间,发送内容,发送账号\n", name="h.csv")
    assert len(df) == 0 and info.rows == 0


def test_embedded_tab_and_newline_in_csv(tmp_path):
    df, _ = read_text(tmp_path, '客户名,发送时间,发送内容\nx,2024-01-15 10:00:00,"a\tb\nc"\n', name="t.csv")
    assert df["text"].tolist() == ["a\tb\nc"]


def test_one_megabyte_message(tmp_path):
    big = "好" * 1_000_000
    df, _ = read_text(tmp_path, f"tb_a 2024-01-15 09:00:00\n{big}\n")
    assert len(df["text"].iloc[0]) == 1_000_000


def test_one_bad_file_does_not_stop_the_batch(tmp_path):
    (tmp_path / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b_bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "c_good.txt").write_bytes(GOOD.encode("gbk"))
    (tmp_path / ".hidden").write_text("ignored", encoding="utf-8")
    result = read_paths([tmp_path])
    assert len(result.messages) == 4
    assert [f.path.rsplit("/", 1)[1] for f in result.files] == ["a_good.txt", "c_good.txt"]
    assert [(r.file.rsplit("/", 1)[1], r.reason) for r in result.rejected] == [
        ("b_bad.txt", "binary file, not a chat export")]


def test_office_zip_that_is_not_xlsx_is_binary(tmp_path):
    # any other zip is a container of exports (test_ingest_zip.py); a .docx is neither
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    assert _reject(tmp_path, buf.getvalue(), name="records.xlsx").reason == (
        "binary file, not a chat export (an Office document, not a zip of exports)")


def test_gbk_text_is_read_without_garbling(tmp_path):
    df, info = read_text(tmp_path, GOOD.replace("在的", "在的，亲（￥）"), encoding="gbk")
    assert info.encoding == "gb18030"
    assert df["text"].tolist() == ["在吗", "在的，亲（￥）"]


def test_csv_with_a_quote_left_open_at_the_end_names_the_record_line(tmp_path):
    p = tmp_path / "cut.csv"
    p.write_text('客户名,发送时间,发送内容\nx,2024-01-15 10:00:00,在吗\nx,2024-01-15 10:01:00,"亲在的\n半句',
                 encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_file(p)
    assert exc.value.line == 3
    assert "quote never closed" in exc.value.reason


def test_time_cut_short_on_the_last_line_is_rejected_not_rounded(tmp_path):
    p = tmp_path / "cut.csv"
    p.write_text("客户名,发送时间,发送内容\nx,2024-01-15 10:00:00,在吗\nx,2024-01-15 10:0", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_file(p)
    assert (exc.value.line, exc.value.reason) == (3, "unparseable timestamp '2024-01-15 10:0'")


def test_unparseable_time_in_a_table_rejects_the_file_at_the_first_bad_row(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("买家,时间,内容\nx,2024-01-15 10:00:00,a\nx,昨天下午,b\nx,2024-13-01 10:00:00,c\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_file(p)
    assert str(exc.value) == f"{p}:3: unparseable timestamp '昨天下午'"


def test_desktop_copy_cut_inside_the_last_header(tmp_path):
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, GOOD + "tb_a 2024-01-15 09:0")
    assert (exc.value.line, exc.value.reason) == (5, "last line is a message header cut short (truncated file?)")


def test_header_only_text_layout_is_rejected_as_unknown(tmp_path):
    # a table header alone is a valid empty export; a text file with no message is not recognisable
    err = _reject(tmp_path, "店铺：甲店\n".encode())
    assert "no known chat export layout" in err.reason


def test_desktop_copy_body_ending_in_a_date_is_not_a_cut_header(tmp_path):
    df, _ = read_text(tmp_path, GOOD + "tb_a 2024-01-15 09:02:00\n发货时间 2024-01-20\n")
    assert df["text"].tolist()[-1] == "发货时间 2024-01-20"


def test_broken_column_mapping_fails_the_batch_once(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "cols.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_paths([tmp_path / "a.txt"], columns=str(bad))
    assert exc.value.file == str(bad)


def test_xlsx_download_cut_short(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["买家", "时间", "内容"])
    p = tmp_path / "full.xlsx"
    wb.save(p)
    err = _reject(tmp_path, p.read_bytes()[:300], name="cut.xlsx")
    assert err.reason == "binary file, not a chat export (a damaged zip: an xlsx download cut short?)"


def test_a_time_outside_the_supported_range_is_rejected_naming_the_line(tmp_path):
    err = _reject(tmp_path, "tb_a 2024-01-15 09:00:00\n在吗\n旗舰店:小美 1500-01-15 09:01:00\n在的\n".encode())
    assert (err.line, err.reason) == (3, "time 1500-01-15 09:01:00 is outside the supported range "
                                         "(1677-09-22 to 2262-04-11)")


def test_a_time_outside_the_supported_range_does_not_stop_the_batch(tmp_path):
    (tmp_path / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b_old.txt").write_text(GOOD.replace("2024-01-15 09:01", "3000-01-15 09:01"), encoding="utf-8")
    result = read_paths([tmp_path])
    assert len(result.messages) == 2
    assert [(r.file.rsplit("/", 1)[1], r.line) for r in result.rejected] == [("b_old.txt", 3)]
