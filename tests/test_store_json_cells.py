"""List and dict cells are stored as the JSON text json.dumps(ensure_ascii=False, default=str) gives
(store._jsonable: one encoder made once), and only object columns are sampled for them."""

import json

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.store import _json_columns, _jsonable

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                     st.text(), st.just(pd.Timestamp("2026-11-22 10:00:00")), st.just(float("nan")))
_CELLS = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner),
    st.dictionaries(st.text(max_size=5), inner, max_size=4)), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(_CELLS, max_size=4), st.dictionaries(st.text(max_size=5), _CELLS, max_size=4),
                 st.tuples(_CELLS)))
def test_a_list_or_dict_cell_is_the_text_json_dumps_gives(value):
    assert _jsonable(value) == json.dumps(value, ensure_ascii=False, default=str)


def test_chinese_and_times_are_written_as_they_are():
    value = [{"rule": "引流", "at": pd.Timestamp("2026-11-22 10:00:00"), "p": float("nan")}]
    assert _jsonable(value) == '[{"rule": "引流", "at": "2026-11-22 10:00:00", "p": NaN}]'
    assert _jsonable("引流") == "引流" and _jsonable(None) is None


def test_only_object_columns_holding_lists_or_dicts_are_json():
    df = pd.DataFrame({
        "causes": pd.Series([None, ["slow"], ["negative"]], dtype=object),     # None before the lists
        "reasons": pd.Series([{"cause": "slow"}, None, None], dtype=object),
        "text": pd.Series(["[1]", "{}", "好"], dtype=object),                  # JSON-looking text stays text
        "shop": pd.Series(["甲店", "甲店", None], dtype="str"),
        "n": [1, 2, 3]})
    assert _json_columns(df) == {"causes", "reasons"}
