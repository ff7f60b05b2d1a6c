"""scan_workers._first_of_equal (pandas' hash table) gives what the one-value-at-a-time dict gave:
equal values, each the first object equal to it, for any text column; non-text columns take the dict."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.scan_workers import _first_of_equal


def _by_dict(values: list) -> list:
    seen: dict = {}
    return [seen.setdefault(v, v) for v in values]


def _fresh(texts: list) -> np.ndarray:
    # new str objects, so equal values are distinct objects until they are shared
    return np.array(["".join(list(t)) for t in texts] if texts else [], dtype=object)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="在吗好的亲 a1\x00\u200b😀", max_size=4), max_size=30))
def test_text_column_same_values_and_same_objects_as_the_dict(texts):
    values = _fresh(texts)
    fast = _first_of_equal(values)
    ref = _by_dict(values.tolist())
    assert fast.dtype == object and fast.shape == (len(texts),)
    assert fast.tolist() == ref
    assert all(a is b for a, b in zip(fast.tolist(), ref))


def test_column_with_missing_values_keeps_them():
    a, b = "".join(["在", "吗"]), "".join(["在吗"])
    out = _first_of_equal(np.array([a, None, b, float("nan"), "x"], dtype=object))
    assert out[0] == "在吗" and out[2] is a
    assert out[1] is None and out[3] != out[3] and out[4] == "x"


def test_empty_column():
    out = _first_of_equal(np.array([], dtype=object))
    assert out.dtype == object and len(out) == 0
