"""The text checks of decode_bytes that were made cheaper keep their answers: _looks_like_text, which
remembers the characters it found plain across calls, says the same for a text whatever it saw
before; _blank is `not s.strip()` for text and bytes."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.ingest import encoding
from monitor.ingest.encoding import _blank, _looks_like_text


def _reference(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return True
    odd = sum(sample.count(ch) for ch in set(sample) if (ord(ch) < 32 and ch not in "\t\n\r\f\v")
              or ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cn", "Cs"))
    return odd <= max(2, len(sample) // 200)


texts = st.text(alphabet=st.sampled_from(["在", "吗", "a", "\n", "\x01", "\x07", "\ufffd", "\ue000", "\U000e0080",
                                          "\u0378", " ", "😀"]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(before=st.lists(texts, max_size=3), text=texts)
def test_same_answer_whatever_was_seen_before(before, text):
    for t in before:
        _looks_like_text(t)
    assert _looks_like_text(text) == _reference(text)


def test_odd_characters_are_never_remembered_as_plain():
    _looks_like_text("\x01\x02\x03 在吗" * 10)
    assert not {"\x01", "\x02", "\x03"} & encoding._PLAIN
    assert not _looks_like_text("\x01\x02\x03 在吗" * 10)


@settings(max_examples=200, deadline=None)
@given(s=st.text(alphabet=st.sampled_from([" ", "\t", "\n", "\u3000", "\x1c", "\x85", "a", "在"]), max_size=6))
def test_blank_is_strip_empty(s):
    assert _blank(s) == (not s.strip())
    b = s.encode("utf-8")
    assert _blank(b) == (not b.strip())
