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
