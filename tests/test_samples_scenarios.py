"""The demo's samples script promises of every state and pestering cases (SampleSpec.scenarios)."""

import json

import pandas as pd

from fake_classifier import FixedClassifier
from monitor.samples import SCENARIOS, SampleSpec, generate, write_samples
from monitor.scan import run_scan

# the scripted promise texts, labelled as the shipped model labels them (the scan logic is under test)
CLF = FixedClassifier({t: ("promise", 0.9) for _, lines, *_ in SCENARIOS for *_, t, lab in lines if lab == "promise"})


def test_scenarios_are_off_by_default_and_on_for_the_demo():
    plain = generate(SampleSpec(shops=1, conversations_per_shop_day=3))
    assert not plain.messages["buyer"].str.startswith("scn_").any()
    assert list(plain.orders.columns)[-1] == "店铺名称"
    demo = generate(SampleSpec(shops=2, conversations_per_shop_day=3, scenarios=True))
    assert demo.messages["buyer"].str.startswith("scn_").sum() > 0
    assert {"发货时间", "退款状态"} <= set(demo.orders.columns)


def test_a_scan_of_the_scenarios_finds_every_state_and_pestering(tmp_path):
    write_samples(tmp_path / "s", SampleSpec(shops=2, conversations_per_shop_day=5, seed=11, scenarios=True),
                  layouts=("qianniu_web", "desktop_copy"), truth=False)
    out = tmp_path / "out"
    summary = run_scan([str(tmp_path / "s")], orders=str(tmp_path / "s" / "orders.csv"), out_dir=out,
                       classifier=CLF, echo=lambda m: None)
    for shop, s in summary["shops"].items():
        # kept by 发货时间 and by 退款状态; broken by 订单状态; open: due tomorrow, and a 补寄 no column settles
        assert s["promises"] == {"kept": 2, "broken": 1, "open": 2}, shop
        html = next(out.rglob("report.html")).read_text(encoding="utf-8")
        assert "明天上午给您发出" in html and "非适宜时段主动联系" in html and "连续发消息未获回复" in html
    from monitor.store import Store
    with Store(out / "chatmon.duckdb", read_only=True) as st:
        cases = st.table("pestering")
    assert sorted(cases["pattern"].value_counts().items()) == [("quiet_hours", 2), ("review", 2), ("run", 2)]
