"""xlsx._display_width: the ASCII shortcut counts what the per-character east-asian-width count does."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from monitor.xlsx import _display_width


def _reference(v) -> int:
    text = v if isinstance(v, str) else ("" if v is None else str(v))
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text[:80])


def test_examples():
    assert _display_width("abc") == 3
    assert _display_width("中文abc") == 7
    assert _display_width("x" * 100) == 80
    assert _display_width("中" * 100) == 160
    assert _display_width(None) == 0 and _display_width(12.5) == 4


@given(st.one_of(st.text(max_size=120), st.text(alphabet=st.characters(max_codepoint=127), max_size=120),
                 st.none(), st.integers(), st.floats()))
def test_equals_the_per_character_count(v):
    assert _display_width(v) == _reference(v)
