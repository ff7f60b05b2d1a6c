"""Issue 18: an xlsx whose reading would cost more than [limits] allows is rejected before expansion,
naming the file, the part and the limit; a workbook within the limits reads as before."""

import io
import zipfile

import pytest

import xlsx_bombs as bombs
from monitor.config import load_config
from monitor.errors import InputError
from monitor.ingest import read_file, read_paths
from monitor.ingest.limits import limits_of
from monitor.ingest.xlsx_guard import check_xlsx

GOOD_ROW = ('<row r="2"><c r="A2" t="inlineStr"><is><t>tb_a</t></is></c><c r="B2" t="inlineStr"><is><t>'
            '2026-11-22 10:00:00</t></is></c><c r="C2" t="inlineStr"><is><t>在吗</t></is></c></row>').encode()


def config(tmp_path, **limits):
    p = tmp_path / "limits.toml"
    p.write_text("[limits]\n" + "".join(f"{k} = {v}\n" for k, v in limits.items()), encoding="utf-8")
    return load_config(p)


def reason(path, cfg=None):
    with pytest.raises(InputError) as exc:
        read_file(path, config=cfg)
    assert exc.value.file == str(path)
    return exc.value.reason


def test_one_huge_cell_is_a_zip_bomb_by_its_ratio(tmp_path):
    p = tmp_path / "cell.xlsx"
    bombs.one_huge_cell(p, 8 * 2**20)          # 8 MiB of one letter: deflate packs it ~1000 times
    assert "([limits] xlsx_ratio): a zip bomb?" in reason(p)


def test_one_huge_cell_is_refused_by_the_scan_when_the_ratio_allows_it(tmp_path):
    p = tmp_path / "cell.xlsx"
    bombs.one_huge_cell(p, 200_000)
    r = reason(p, config(tmp_path, xlsx_ratio=1_000_000))
    assert r == ("xlsx xl/worksheets/sheet1.xml: a cell or string of more than 200,000 characters, over the limit "
                 "of 32,767 ([limits] xlsx_cell_chars)")


def test_a_sheet_over_its_byte_limit_is_refused_from_the_directory(tmp_path):
    p = tmp_path / "rows.xlsx"
    bombs.empty_rows(p, 2_000_000)
    r = reason(p, config(tmp_path, xlsx_sheet_bytes=1_000_000))
    assert r.startswith("xlsx xl/worksheets/sheet1.xml expands to 2,") and r.endswith(
        "over the limit of 1,000,000 bytes (976.6 KiB) ([limits] xlsx_sheet_bytes)")


def test_counting_rows_stops_a_sheet_of_empty_rows(tmp_path):
    # 1.2 million <row/>: within the byte limit, over Excel's row count
    p = tmp_path / "rows.xlsx"
    bombs.empty_rows(p, 7_200_000)
    r = reason(p, config(tmp_path, xlsx_ratio=1_000_000))
    assert r.endswith("rows, over the limit of 1,048,576 ([limits] xlsx_sheet_rows)")


def test_a_far_cell_would_pad_every_row(tmp_path):
    p = tmp_path / "far.xlsx"
    bombs.far_cell(p)
    assert reason(p) == ("xlsx xl/worksheets/sheet1.xml: 17,179,869,184 cells as read (1,048,576 rows, 16,384 "
                         "columns), over the limit of 20,000,000 ([limits] xlsx_sheet_cells)")


def test_a_dimension_claiming_the_whole_sheet_is_refused(tmp_path):
    p = tmp_path / "dim.xlsx"
    bombs.wide_dimension(p)
    assert "17,179,869,184 cells as read" in reason(p)


def test_a_far_cell_written_in_an_unusual_form_is_seen_too(tmp_path):
    p = tmp_path / "odd.xlsx"
    bombs.write_bomb(p, [bombs.HEADER_ROW.encode(), b"<row r='3' spans='1:1'><c t=\"n\" r='XFD3'><v>1</v></c></row>"])
    assert "cells as read (3 rows, 16,384 columns)" in reason(p, config(tmp_path, xlsx_sheet_cells=40_000))


def test_row_numbers_written_as_entities_are_refused(tmp_path):
    p = tmp_path / "ent.xlsx"
    bombs.write_bomb(p, [bombs.HEADER_ROW.encode(), b'<row r="&#49;048576"><c r="A5"><v>1</v></c></row>'])
    assert reason(p).endswith("a row number that is not a plain number")


def test_a_doctype_is_refused(tmp_path):
    p = tmp_path / "dtd.xlsx"
    bombs.write_bomb(p, [b'<!DOCTYPE x [<!ENTITY a "aaaa">]>', bombs.HEADER_ROW.encode()])
    assert reason(p).endswith("holds a DOCTYPE or ENTITY declaration, which no xlsx has")


def test_a_directory_that_lies_about_a_size_gives_a_damaged_part(tmp_path):
    p = tmp_path / "lie.xlsx"
    bombs.write_bomb(p, [bombs.HEADER_ROW.encode(), GOOD_ROW * 2000], level=1)
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    # the central directory entry's uncompressed size (offset 24 of the entry) claims 1,000 bytes
    cd = data.rfind(b"PK\x01\x02", 0, len(data))
    while cd != -1:
        name_len = int.from_bytes(data[cd + 28:cd + 30], "little")
        if data[cd + 46:cd + 46 + name_len] == info.filename.encode():
            data[cd + 24:cd + 28] = (1000).to_bytes(4, "little")
            break
        cd = data.rfind(b"PK\x01\x02", 0, cd)
    p.write_bytes(bytes(data))
    assert "xl/worksheets/sheet1.xml is damaged" in reason(p)


def test_a_workbook_within_the_limits_reads_and_the_bombs_beside_it_are_rejected(tmp_path):
    bombs.write_bomb(tmp_path / "good.xlsx", [bombs.HEADER_ROW.encode(), GOOD_ROW])
    bombs.far_cell(tmp_path / "far.xlsx")
    bombs.one_huge_cell(tmp_path / "cell.xlsx", 4 * 2**20)
    result = read_paths([tmp_path])
    assert sorted(r.file.rsplit("/", 1)[-1] for r in result.rejected) == ["cell.xlsx", "far.xlsx"]
    assert result.messages["text"].tolist() == ["在吗"] and result.messages["buyer"].tolist() == ["tb_a"]


def test_the_shipped_sample_workbook_passes_the_guard():
    data = open("data/samples/极客数码旗舰店_20261122_table_xlsx.xlsx", "rb").read()
    check_xlsx(data, "sample.xlsx", limits_of(None))


@pytest.mark.slow
def test_the_issues_full_size_bombs_are_rejected(tmp_path):
    # the sizes of issue 18: 97 KB holding one 100 MB cell, 1 GB of <row/> (the issue's was packed into
    # 1.5 MB at deflate level 9; level 1 packs it faster, into more)
    bombs.one_huge_cell(tmp_path / "cell.xlsx", 100 * 2**20)
    bombs.write_bomb(tmp_path / "rows.xlsx", [bombs.HEADER_ROW.encode(), *bombs.repeated(b"<row/>", 2**30)], level=1)
    assert "xlsx_ratio" in reason(tmp_path / "cell.xlsx")
    assert "xlsx_sheet_bytes" in reason(tmp_path / "rows.xlsx")
