"""Fuzz (issue 18): hostile exports through a whole run_scan. No exception escapes; every bad file is
rejected by name; the good export beside them still gets its report, with its exact numbers."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xlsx_bombs as bombs
from fake_classifier import FixedClassifier
from monitor.scan import run_scan

GOOD = ("店铺,客户名,发送时间,发送内容,发送账号,账号类型\n"
        "好店,tb_a,2026-11-22 11:00:00,在吗,tb_a,买家\n"
        "好店,tb_a,2026-11-22 11:00:30,加我微信 abc12345,好店:小美,客服\n").encode("utf-8")
# every file holds chats of the night of 2026-11-22 (files of different nights would be scanned as
# separate nights, each with its own summary)
HEADER = "店铺,客户名,发送时间,发送内容,发送账号,账号类型\n"
CLF = FixedClassifier({"加我微信": ("diversion", 0.9)})
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\x00\x0b\x1b\x01=+-@'\t\r\n\",:"),
                   max_size=30)


def scan_beside_good(tmp_path, files: dict):
    d = tmp_path / "exports"
    d.mkdir()
    (d / "good.csv").write_bytes(GOOD)
    for name, data in files.items():
        (d / name).write_bytes(data)
    out = tmp_path / "out"
    s = run_scan([str(d)], out_dir=out, classifier=CLF, echo=lambda m: None)
    good = s["shops"]["好店"]
    assert (good["messages"], good["flagged"]["diversion"], good["exposure_expected_yuan"]) == (2, 1, 18.0)
    assert (out / "index.html").exists() and json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rejected = {r["file"] for r in s["rejected"]}
    assert rejected <= {str(d / n) for n in files}
    return s, rejected, d


def test_every_kind_of_hostile_file_in_one_night(tmp_path):
    big = tmp_path / "bomb.xlsx"
    bombs.far_cell(big)
    cell = tmp_path / "cell.xlsx"
    bombs.one_huge_cell(cell, 4 * 2**20)
    deep = ('[{"content":"hi","time":1795320000,"buyer_nick":"b","x":' + "[" * 5000 + "]" * 5000 + "}]").encode()
    files = {
        "random.csv": bytes(range(256)) * 4,
        "controls.csv": (HEADER + "店\x0bS,tb_b5,2026-11-22 10:00:00,在吗,tb_b5,买家\n"
                         "店\x0bS,tb_b5,2026-11-22 10:00:20,在的亲\x1b加我微信,小美\x0b,客服\n").encode(),
        "nul.json": b'[{"content":"\\u0000\\u0001 \\ud800","time":1795320000,"buyer_nick":"b\\u0001","shop":"J\\u0000"}]',
        "deep.json": deep,
        "far.xlsx": big.read_bytes(),
        "cell.xlsx": cell.read_bytes(),
        "cut.xlsx": open("data/samples/极客数码旗舰店_20261122_table_xlsx.xlsx", "rb").read()[:3000],
        "formula.csv": (HEADER + '竞品店,=cmd|\' /C calc\'!A0,2026-11-22 10:00:00,"=HYPERLINK(""x"")",x,买家\n').encode(),
    }
    s, rejected, d = scan_beside_good(tmp_path, files)
    assert rejected == {str(d / n) for n in ("random.csv", "deep.json", "far.xlsx", "cell.xlsx", "cut.xlsx")}
    assert set(s["shops"]) == {"好店", "店\x0bS", "J␀", "竞品店"}
    assert s["shops"]["店\x0bS"]["flagged"]["diversion"] == 1


@pytest.mark.slow      # a whole scan per example: about 2 s each on a shared 2-core machine
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(ANY_TEXT, ANY_TEXT, ANY_TEXT, ANY_TEXT), min_size=1, max_size=4),
       noise=st.binary(max_size=400))
def test_generated_tables_and_noise(tmp_path_factory, rows, noise):
    import csv
    import io
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER.strip().split(","))
    for k, (shop, buyer, text, sender) in enumerate(rows):
        w.writerow([shop, buyer, f"2026-11-22 10:0{k}:00", text, sender, "客服" if k % 2 else "买家"])
    files = {"gen.csv": buf.getvalue().encode("utf-8", "surrogatepass"), "noise.txt": noise}
    scan_beside_good(tmp_path_factory.mktemp("scan"), files)
