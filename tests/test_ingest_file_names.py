"""Issue 18 (found while fuzzing): a file whose name is not UTF-8 (a zip made on Chinese Windows names
its files in GBK) comes back from Linux with lone surrogates, which crashed the history and
summary.json for the whole night. Such a name is shown as GB18030 reads it."""

import os

import pytest

from fake_classifier import FixedClassifier
from monitor.ingest import read_paths
from monitor.ingest.limits import display_name
from monitor.scan import run_scan

NO_SHOP = ("客户名,发送时间,发送内容,发送账号,账号类型\n"
           "tb_a,2026-11-22 11:00:00,在吗,tb_a,买家\n"
           "tb_a,2026-11-22 11:00:30,在的,小美,客服\n").encode("utf-8")


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "exports"
    d.mkdir()
    try:
        with open(os.path.join(os.fsencode(d), "店铺".encode("gbk") + b".csv"), "wb") as fh:
            fh.write(NO_SHOP)
        with open(os.path.join(os.fsencode(d), b"\xff\xfe\xb5.csv"), "wb") as fh:
            fh.write(b"\x00\x01 not an export")
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    return d


def test_display_name():
    assert display_name("a/店铺.csv") == "a/店铺.csv"
    assert display_name(os.fsdecode("d/".encode() + "店铺".encode("gbk") + b".csv")) == "d/店铺.csv"
    assert display_name(os.fsdecode(b"d/\xff\xfe\xb5.csv")) == "d/\\xff\\xfe\\xb5.csv"


def test_read_paths_names_sources_shops_and_rejections_readably(folder):
    result = read_paths([folder])
    assert result.messages["source"].tolist() == [f"{folder}/店铺.csv:2", f"{folder}/店铺.csv:3"]
    assert set(result.messages["shop"]) == {"店铺"}          # the file's stem, as its maker named it
    assert [r.file for r in result.rejected] == [f"{folder}/\\xff\\xfe\\xb5.csv"]


def test_a_scan_with_such_names_saves_the_night(folder, tmp_path):
    s = run_scan([str(folder)], out_dir=tmp_path / "out", classifier=FixedClassifier({}), echo=lambda m: None)
    assert list(s["shops"]) == ["店铺"]
    assert [r["file"] for r in s["rejected"]] == [f"{folder}/\\xff\\xfe\\xb5.csv"]
    assert [f["path"] for f in s["files"] if f["status"] == "ok"] == [f"{folder}/店铺.csv"]
