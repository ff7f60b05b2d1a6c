"""JSON message lists from chat APIs."""

import json

from ingest_helpers import read_text, rows


def test_direction_and_epoch_seconds(tmp_path):
    data = [{"content": "在吗", "direction": 0, "time": 1705284000, "buyer_nick": "tb_a", "sender_nick": "tb_a"},
            {"content": "在的", "direction": 1, "time": 1705284060000, "buyer_nick": "tb_a", "sender_nick": "店:小美"}]
    df, info = read_text(tmp_path, json.dumps(data, ensure_ascii=False), name="m.json")
    assert info.reader == "json_api"
    # 1705284000 is 2024-01-15 02:00:00 UTC = 10:00:00 in Beijing
    assert rows(df) == [("tb_a", "buyer", "2024-01-15 10:00:00", "在吗"),
                        ("店:小美", "agent", "2024-01-15 10:01:00", "在的")]


def test_wrapped_list_with_text_times(tmp_path):
    data = {"code": 0, "data": [{"sender_nick": "tb_b", "time": "2024-01-15 11:00:00", "content": "发货了吗"}]}
    df, _ = read_text(tmp_path, json.dumps(data, ensure_ascii=False), name="m.json", shop="甲店")
    assert rows(df, "shop", "buyer", "role", "text") == [("甲店", "tb_b", "buyer", "发货了吗")]


def test_json_lines(tmp_path):
    # direction as TOP documents it: 1 = the buyer (to_id) writing to the shop, 0 = the shop writing
    lines = "\n".join(json.dumps(m, ensure_ascii=False) for m in (
        {"content": "a", "direction": 1, "time": "2024-01-15 11:00:00", "buyer_nick": "x"},
        {"content": "b", "direction": 0, "time": "2024-01-15 11:00:05", "buyer_nick": "x"}))
    df, _ = read_text(tmp_path, "[" + lines.replace("\n", ",") + "]", name="m.json")
    assert df["role"].tolist() == ["buyer", "agent"]
