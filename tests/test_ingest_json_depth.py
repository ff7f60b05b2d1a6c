"""A hostile JSON nesting (issue 18 item 2) is rejected with a reason, never a RecursionError."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.config import load_config
from monitor.errors import InputError
from monitor.ingest import read_file, read_paths, sniff
from monitor.ingest.json_api import json_depth

DEEP = '[{"content":"hi","time":1705284000,"buyer_nick":"b","x":' + "[" * 5000 + "]" * 5000 + "}]"
REASON = "JSON nested 5002 levels deep, more than the limit of 100 ([limits] json_max_depth): not a chat export"


def test_sniffing_and_reading_reject_it_with_a_reason(tmp_path):
    p = tmp_path / "deep.json"
    p.write_text(DEEP, encoding="utf-8")
    assert len(DEEP) == 10_058      # the 10 KB reproduction
    for call in (sniff, read_file):
        with pytest.raises(InputError) as exc:
            call(p)
        assert exc.value.reason == REASON


def test_a_canonical_looking_first_line_is_checked_before_it_is_parsed(tmp_path):
    p = tmp_path / "deep.jsonl"
    p.write_text('{"shop": "a", "x": ' + "[" * 3000 + "]" * 3000 + "}\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_file(p)
    assert exc.value.reason.startswith("JSON nested 3001 levels deep")


def test_the_good_files_beside_it_still_read(tmp_path):
    (tmp_path / "a_deep.json").write_text(DEEP, encoding="utf-8")
    (tmp_path / "b_ok.json").write_text(json.dumps([{"content": "在吗", "time": 1705284000, "buyer_nick": "b",
                                                     "sender_nick": "b"}], ensure_ascii=False), encoding="utf-8")
    result = read_paths([tmp_path])
    assert result.messages["text"].tolist() == ["在吗"]
    assert [(r.file.rsplit("/", 1)[1], r.reason) for r in result.rejected] == [("a_deep.json", REASON)]


def test_the_limit_is_a_setting(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[limits]\njson_max_depth = 3\n", encoding="utf-8")
    p = tmp_path / "m.json"
    p.write_text('{"messages": [{"content": "在吗", "time": 1705284000, "x": [[1]]}]}', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_file(p, config=load_config(cfg))
    assert exc.value.reason.startswith("JSON nested 5 levels deep, more than the limit of 3")
    assert len(read_file(p)[0]) == 1


json_values = st.recursive(st.none() | st.integers() | st.text(alphabet='[]{}"\\ab,:好'),
                           lambda children: st.lists(children) | st.dictionaries(st.text(alphabet='[]{}"\\ab'), children),
                           max_leaves=30)


def _true_depth(v) -> int:
    if isinstance(v, list):
        return 1 + max((_true_depth(x) for x in v), default=0)
    if isinstance(v, dict):
        return 1 + max((_true_depth(x) for x in v.values()), default=0)
    return 0


@given(json_values, st.sampled_from([1, 2, 3, 7, 1 << 23]))
def test_depth_counts_brackets_outside_strings_only(value, chunk):
    # counted in chunks of bytes: an escape or a string may straddle two chunks
    from monitor.ingest import json_api
    saved, json_api._CHUNK = json_api._CHUNK, chunk
    try:
        assert json_depth(json.dumps(value, ensure_ascii=False)) == _true_depth(value)
    finally:
        json_api._CHUNK = saved
