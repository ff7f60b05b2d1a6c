"""read_file looks for JSON escapes (which can spell a NUL or a lone surrogate) by finding backslashes
one at a time and looking at what follows them: the same answer as searching for \\u and \\U, also for
texts with more backslashes than it looks at one by one."""

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.ingest.encoding import _BACKSLASHES_LOOKED_AT, may_hold_unwritable

chat = st.text(alphabet=st.sampled_from(list("\\\\\\uU0d8x在吗 ,\n\"{}") + ["😀", "\u00e9"]), max_size=40)


def _plain(text):
    return "\\u" in text or "\\U" in text


@settings(max_examples=400, deadline=None)
@given(text=chat)
def test_same_answer_as_the_plain_search(text):
    assert may_hold_unwritable(text) == _plain(text)


@settings(max_examples=100, deadline=None)
@given(extra=st.integers(-2, 2), tail=chat)
def test_same_answer_past_the_backslashes_looked_at(extra, tail):
    text = "\\x" * (_BACKSLASHES_LOOKED_AT + extra) + tail
    assert may_hold_unwritable(text) == _plain(text)


def test_known_answers():
    assert may_hold_unwritable('{"t": "\\u0000"}')
    assert may_hold_unwritable('{"t": "\\\\\\U0001"}')
    assert not may_hold_unwritable("在吗\\n C:\\path\\")
    assert may_hold_unwritable("\\n" * 100 + "\\u")
    assert not may_hold_unwritable("\\n" * 100 + "u")
