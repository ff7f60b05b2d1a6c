"""labelled.table_from_bytes: csv in any encoding decode_bytes reads, every cell a string."""

from pathlib import Path

import pytest

from monitor.detect.labelled import table_from_bytes
from monitor.errors import InputError


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_quoted_newlines_commas_and_quotes(encoding):
    data = 'text,n\n"好的,亲","1"\n"第一行\n第二行",2\n"说 ""加我""",\n'.encode(encoding)
    df = table_from_bytes(data, Path("m.csv"))
    assert list(df.columns) == ["text", "n"]
    assert df["text"].tolist() == ["好的,亲", "第一行\n第二行", '说 "加我"']
    assert df["n"].tolist() == ["1", "2", ""]


def test_a_malformed_csv_is_one_input_error():
    with pytest.raises(InputError, match=r"m\.csv: not a readable csv/xlsx table"):
        table_from_bytes('a,b\n"1,2\n'.encode("utf-8"), Path("m.csv"))
