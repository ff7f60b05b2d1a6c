"""Fuzz (issue 18): hostile and damaged exports through read_paths. No exception escapes; each bad
file is a Rejection naming it; the good export beside them is still read, exactly."""

import io
import json
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.ingest import read_paths

GOOD = ("店铺,客户名,发送时间,发送内容,发送账号,账号类型\n"
        "好店,tb_a,2026-11-22 11:00:00,在吗,tb_a,买家\n"
        "好店,tb_a,2026-11-22 11:00:30,在的,好店:小美,客服\n").encode("utf-8")
SAMPLE_XLSX = open("data/samples/极客数码旗舰店_20261122_table_xlsx.xlsx", "rb").read()
HEADER = "店铺,客户名,发送时间,发送内容,发送账号,账号类型\n"
FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])

# starts that send random bytes down each reader's path: zip, BOMs, JSON, a table header, Qianniu text
PREFIXES = [b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"[{", b'{"messages":', HEADER.encode(),
            "2026-11-22\n10:00:00\n".encode(), b"\x00\x00"]
CONTROL = st.characters(codec="utf-8", categories=["Cc", "Cs", "Co", "Cn"]) | st.sampled_from("=+-@'\t\r\n\"")
HOSTILE_TEXT = st.text(alphabet=CONTROL | st.characters(codec="utf-8"), max_size=40)


def check(tmp_path, name: str, data: bytes):
    """Write the hostile file beside the good one, read both, check the contract; returns the result."""
    folder = tmp_path / f"case{abs(hash((name, data))) % 10**9}"
    folder.mkdir()
    (folder / "good.csv").write_bytes(GOOD)
    bad = folder / name
    bad.write_bytes(data)
    result = read_paths([folder])
    read = {f.path for f in result.files}
    rejected = [r for r in result.rejected]
    assert str(folder / "good.csv") in read
    good = result.messages[result.messages["source"].str.startswith(str(folder / "good.csv"))]
    assert good["text"].tolist() == ["在吗", "在的"]
    assert (str(bad) in read) != any(r.file == str(bad) for r in rejected)
    assert all(r.file == str(bad) and r.reason for r in rejected)
    return result


@FAST
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=3000))
def test_random_bytes(tmp_path_factory, prefix, body):
    check(tmp_path_factory.mktemp("f"), "x.csv", prefix + body)


@FAST
@given(cells=st.lists(st.tuples(HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT), min_size=1, max_size=5),
       encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_tables_with_control_characters_and_formulas(tmp_path_factory, cells, encoding):
    import csv
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER.strip().split(","))
    for shop, buyer, text in cells:
        w.writerow([shop, buyer, "2026-11-22 10:00:00", text, buyer, "买家"])
    data = buf.getvalue().encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")
    result = check(tmp_path_factory.mktemp("f"), "t.csv", data)
    # whatever was read keeps its characters (no crash, no silent merge of names with control characters)
    assert all(isinstance(v, str) for v in result.messages["shop"])


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | HOSTILE_TEXT,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE_TEXT, inner, max_size=3),
                           max_leaves=20)


@FAST
@given(extra=json_values, depth=st.integers(0, 6000), content=HOSTILE_TEXT)
def test_json_with_deep_nesting_and_odd_values(tmp_path_factory, extra, depth, content):
    msg = {"content": content, "time": 1795752000, "buyer_nick": "b", "x": extra}
    text = json.dumps([msg], ensure_ascii=bool(depth % 2))
    if depth:
        text = text[:-2] + ', "deep": ' + "[" * depth + "]" * depth + "}]"
    check(tmp_path_factory.mktemp("f"), "j.json", text.encode("utf-8", "surrogatepass"))


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(131_000, 1_200_000), quoted=st.booleans())
def test_huge_fields(tmp_path_factory, size, quoted):
    field = "亲" * size
    row = f'好店,tb_b,2026-11-22 10:00:00,{chr(34) + field + chr(34) if quoted else field},tb_b,买家\n'
    result = check(tmp_path_factory.mktemp("f"), "h.csv", (HEADER + row).encode("utf-8"))
    assert (result.messages["text"].str.len() == size).sum() == 1


@FAST
@given(cut=st.integers(0, len(SAMPLE_XLSX) - 1), flips=st.lists(st.integers(0, len(SAMPLE_XLSX) - 1), max_size=4))
def test_truncated_and_damaged_xlsx(tmp_path_factory, cut, flips):
    data = bytearray(SAMPLE_XLSX)
    for i in flips:
        data[i] ^= 0xFF
    if cut:
        data = data[:cut]
    check(tmp_path_factory.mktemp("f"), "w.xlsx", bytes(data))


@FAST
@given(parts=st.lists(st.sampled_from(["utf-8", "gb18030", "utf-16-le", "big5", "latin-1"]), min_size=2, max_size=4))
def test_mixed_encodings(tmp_path_factory, parts):
    rows = [f"好店,tb_c,2026-11-22 10:0{i}:00,在吗亲{i}，好的,tb_c,买家\n" for i in range(len(parts))]
    data = HEADER.encode("utf-8") + b"".join(r.encode(enc, "replace") for r, enc in zip(rows, parts))
    check(tmp_path_factory.mktemp("f"), "m.csv", data)


def test_a_zip_of_zips_and_an_empty_xlsx_part(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", b"")
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row r='1'/>")
    check(tmp_path, "empty.xlsx", buf.getvalue())
