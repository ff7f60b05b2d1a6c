"""Hostile xlsx files for the limit tests (issue 18), built in a streaming way: a tiny real workbook
whose first sheet is replaced by XML written piece by piece, so a 1 GB sheet never sits in memory."""

import io
import zipfile

import openpyxl

HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>')
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>客户名</t></is></c><c r="B1" t="inlineStr"><is><t>发送时间'
              '</t></is></c><c r="C1" t="inlineStr"><is><t>发送内容</t></is></c></row>')
TAIL = "</sheetData></worksheet>"


def _skeleton() -> dict:
    wb = openpyxl.Workbook()
    wb.active.title = "聊天记录"
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_bomb(path, pieces, *, dimension: str = "", level: int = 9) -> None:
    """An xlsx at `path` whose sheet1.xml is HEAD + the byte strings of `pieces` + TAIL."""
    parts = _skeleton()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in parts.items():
            if name == "xl/worksheets/sheet1.xml":
                with z.open(name, "w", force_zip64=True) as fh:
                    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
                    fh.write(HEAD.format(dimension=dim).encode())
                    for p in pieces:
                        fh.write(p)
                    fh.write(TAIL.encode())
            else:
                z.writestr(name, data)


def repeated(unit: bytes, total: int, block: int = 1 << 20):
    """`unit` repeated to `total` bytes (whole units), yielded in blocks of about `block` bytes."""
    per = unit * max(1, block // len(unit))
    left = total // len(unit) * len(unit)
    while left > 0:
        piece = per if len(per) <= left else per[:left]
        yield piece
        left -= len(piece)


def one_huge_cell(path, chars: int) -> None:
    """A header row, then one row whose message cell holds `chars` characters."""
    head = (HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>tb_a</t></is></c><c r="B2" t="inlineStr"><is>'
            '<t>2026-11-22 10:00:00</t></is></c><c r="C2" t="inlineStr"><is><t>').encode()
    write_bomb(path, [head, *repeated(b"A", chars), b"</t></is></c></row>"])


def empty_rows(path, total_bytes: int) -> None:
    """A header row, then `total_bytes` of `<row/>`."""
    write_bomb(path, [HEADER_ROW.encode(), *repeated(b"<row/>", total_bytes)])


def far_cell(path) -> None:
    """A header row and one cell in the last row and column a sheet can have."""
    write_bomb(path, [HEADER_ROW.encode(), b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'])


def wide_dimension(path) -> None:
    """A header row and one message, but a <dimension> claiming every cell of the sheet."""
    row = ('<row r="2"><c r="A2" t="inlineStr"><is><t>tb_a</t></is></c><c r="B2" t="inlineStr"><is><t>'
           '2026-11-22 10:00:00</t></is></c><c r="C2" t="inlineStr"><is><t>在吗</t></is></c></row>')
    write_bomb(path, [HEADER_ROW.encode(), row.encode()], dimension="A1:XFD1048576")
