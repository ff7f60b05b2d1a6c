"""The sample generator: deterministic, streamable, and its ground truth agrees with the definition."""

import pandas as pd

from monitor.config import load_config
from monitor.ingest import read_file
from monitor.samples import SampleSpec, generate, iter_message_chunks, write_samples
from monitor.timing import compute_latency

SMALL = SampleSpec(shops=2, conversations_per_shop_day=25, seed=3)


def test_same_seed_same_output_other_seed_differs():
    a, b = generate(SMALL), generate(SMALL)
    pd.testing.assert_frame_equal(a.messages, b.messages)
    c = generate(SampleSpec(shops=2, conversations_per_shop_day=25, seed=4))
    assert not a.messages["text"].equals(c.messages["text"])


def test_chunks_stream_the_same_messages():
    whole = generate(SMALL).messages
    chunks = list(iter_message_chunks(SMALL, chunk_messages=50))
    assert len(chunks) > 2
    streamed = pd.concat(chunks, ignore_index=True)
    # None and NaN both mean "no order id"; concat may turn one into the other
    pd.testing.assert_frame_equal(streamed.fillna({"order_id": ""}), whole.fillna({"order_id": ""}))


def test_violation_share_is_near_the_spec():
    spec = SampleSpec(shops=3, conversations_per_shop_day=300, violation_rate=0.1, seed=5)
    m = generate(spec).messages
    agent = m[m["role"] == "agent"]
    share = (agent["labels"] != "").mean()
    n = len(agent)
    # within 4 standard errors of 0.1
    assert abs(share - 0.1) < 4 * (0.1 * 0.9 / n) ** 0.5
    assert set(agent.loc[agent["labels"] != "", "labels"]) == {"diversion", "qr_lure", "negative", "harassment"}


def test_truth_waits_agree_with_the_timing_definition():
    s = generate(SMALL)
    lat = compute_latency(s.messages.drop(columns="labels"), load_config())
    got = lat.waits[["conversation_id", "start", "wait_s", "answered"]].sort_values(["conversation_id", "start"])
    want = s.waits[["conversation_id", "start", "wait_s", "answered"]].sort_values(["conversation_id", "start"])
    assert len(got) == len(want)
    assert got["answered"].tolist() == want["answered"].tolist()
    assert got["wait_s"].fillna(-1).tolist() == want["wait_s"].fillna(-1).astype(float).tolist()


def test_written_exports_read_back(tmp_path):
    paths = write_samples(tmp_path, SMALL, layouts=("qianniu_web", "desktop_copy"), encodings=("gb18030", "utf-8"))
    exports = [p for p in paths if p.name.endswith(".txt")]
    assert len(exports) == 2
    total = sum(len(read_file(p)[0]) for p in exports)
    assert total == len(generate(SMALL).messages)
    truth = pd.read_csv(tmp_path / "truth_messages.csv", encoding="utf-8-sig")
    assert len(truth) == total
    orders = pd.read_csv(tmp_path / "orders.csv", encoding="gb18030", dtype=str)
    assert list(orders.columns[:5]) == ["订单编号", "买家会员名", "买家实际支付金额", "订单创建时间", "订单状态"]


def test_read_back_texts_equal_the_generated_texts(tmp_path):
    paths = write_samples(tmp_path, SMALL, layouts=("qianniu_web", "desktop_copy"), encodings=("gb18030", "utf-8"),
                          truth=False)
    read = pd.concat([read_file(p)[0] for p in paths if p.suffix == ".txt"], ignore_index=True)
    want = generate(SMALL).messages
    assert sorted(read["text"]) == sorted(want["text"])
    assert sorted(read["role"]) == sorted(want["role"])
