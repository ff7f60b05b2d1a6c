"""read_file looks for JSON escapes (which can spell a NUL or a lone surrogate) in a UTF-8 export's
bytes instead of its decoded text: the same answer as the text search, for any text and BOM."""

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.ingest.encoding import decode_bytes, may_hold_unwritable

chat = st.text(alphabet=st.sampled_from(list("\\uU0d8x在吗 ,\n\"{}") + ["😀", "\u00e9", "\u0575"]), min_size=1,
               max_size=30)


@settings(max_examples=300, deadline=None)
@given(text=chat, bom=st.booleans())
def test_bytes_and_text_agree(text, bom):
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    try:
        decoded, encoding = decode_bytes(data, "x.json")
    except Exception:       # empty or not text: nothing is read, nothing to check
        return
    if encoding.startswith("utf-8"):
        assert may_hold_unwritable(decoded, data, encoding) == may_hold_unwritable(decoded)


def test_known_answers():
    assert may_hold_unwritable('{"t": "\\u0000"}', b'{"t": "\\u0000"}', "utf-8")
    assert may_hold_unwritable('{"t": "\\U0001"}', b'{"t": "\\U0001"}', "utf-8-sig")
    assert not may_hold_unwritable("在吗\\n", "在吗\\n".encode(), "utf-8")
    # other encodings are searched as text: in GB18030 乗 is 81 5C, so 乗u holds the bytes of \u
    assert b"\\u" in "乗u".encode("gb18030")
    assert not may_hold_unwritable("乗u", "乗u".encode("gb18030"), "gb18030")
