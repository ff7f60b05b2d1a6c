"""Property: whatever messages we write in a supported layout read back identically."""

from datetime import datetime, timedelta

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from monitor.ingest import read_file
from monitor.ingest.writers import LAYOUTS, write_export
from monitor.schema import conform

# Text layouts delimit messages by lines, so their bodies cannot hold lines that look like a time,
# a header or a system notice; the alphabet below cannot form one (no ':' '-' '>' and none of the
# characters system notices start with). Tables and JSON carry any text, newlines and tabs included.
SAFE = "亲在的吗好货发快递谢谢请问尺码颜色包邮优惠券一二三abcXYZ0123456789，。！？ "
ANY = SAFE + ":-\t\n\"',;=>《》😀"
BUYERS = st.sampled_from(["tb_alpha", "tb_beta9", "快乐小猫", "buyer_x"])
AGENTS = st.sampled_from(["甲店:小美", "甲店:阿强"])


def messages(alphabet, multiline):
    line = st.text(alphabet=alphabet, min_size=1, max_size=30).map(str.strip).filter(bool)
    body = st.lists(line, min_size=1, max_size=3 if multiline else 1).map("\n".join)

    @st.composite
    def build(draw):
        rows = []
        t0 = datetime(2026, 11, 22, 8, 0, 0)
        for buyer in draw(st.lists(BUYERS, min_size=1, max_size=3, unique=True)):
            t = t0 + timedelta(seconds=draw(st.integers(0, 40000)))
            for _ in range(draw(st.integers(1, 5))):
                is_buyer = draw(st.booleans())
                t += timedelta(seconds=draw(st.integers(1, 20000)))
                rows.append({"shop": "甲店", "conversation_id": f"甲店|{buyer}", "buyer": buyer,
                             "sender": buyer if is_buyer else draw(AGENTS),
                             "role": "buyer" if is_buyer else "agent", "ts": t, "text": draw(body),
                             "order_id": None, "source": ""})
        return conform(pd.DataFrame(rows))
    return build()


CMP = ["shop", "conversation_id", "buyer", "sender", "role", "ts", "text"]


NO_SHOP = ("pdd", "jd", "hdd7", "qianniu_exporter_xlsx", "qianniu_cells_xlsx", "qianniu_cells_csv")


def _roundtrip(tmp_path_factory, df, layout, encoding, date=None):
    path = tmp_path_factory.mktemp("rt") / ("x.xlsx" if layout.endswith("xlsx") else "x.txt")
    write_export(df, path, layout, encoding)
    # Pinduoduo's 消息明细, JD's response, the batch page exporter and the page exporters' workbooks name
    # no shop: users pass --shop, and so does this test
    got, _ = read_file(path, shop="甲店" if layout.startswith(NO_SHOP) else None, date=date)
    want = df.sort_values(["conversation_id", "ts"], kind="stable").reset_index(drop=True)
    got = got.sort_values(["conversation_id", "ts"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got[CMP], want[CMP])


_settings = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_settings
@given(df=messages(SAFE, multiline=True), layout=st.sampled_from(["qianniu_web", "desktop_copy", "message_manager"]),
       encoding=st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-8-sig"]))
def test_text_layouts_round_trip(tmp_path_factory, df, layout, encoding):
    _roundtrip(tmp_path_factory, df, layout, encoding)


@_settings
@given(df=messages(ANY, multiline=True),
       layout=st.sampled_from(["table_csv", "table_xlsx", "pdd_csv", "pdd_xlsx", "json_api", "canonical"]),
       encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_structured_layouts_round_trip(tmp_path_factory, df, layout, encoding):
    _roundtrip(tmp_path_factory, df, layout, encoding)


@_settings
@given(df=messages(ANY, multiline=True),
       layout=st.sampled_from(["top_chatlog", "top_logquery", "jd_chatlog", "sainiu", "hdd7_json"]),
       encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_platform_json_layouts_round_trip(tmp_path_factory, df, layout, encoding):
    _roundtrip(tmp_path_factory, df, layout, encoding)


@_settings
@given(df=messages(SAFE, multiline=True), layout=st.sampled_from(["qianniu_cells_csv", "desktop_copy_arrows"]),
       encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_page_text_layouts_with_their_dates_round_trip(tmp_path_factory, df, layout, encoding):
    _roundtrip(tmp_path_factory, df, layout, encoding)


@_settings
@given(df=messages(SAFE, multiline=True), layout=st.sampled_from(["qianniu_exporter_xlsx", "qianniu_cells_xlsx"]))
def test_time_of_day_layouts_round_trip_with_the_date_given(tmp_path_factory, df, layout):
    # the date given is each conversation's first day; a conversation may run past midnight (the
    # strategy's gaps are under a day, so every new day shows as a time going backwards)
    first_days = df.groupby("conversation_id")["ts"].min().dt.strftime("%Y-%m-%d")
    assume(set(first_days) == {"2026-11-22"})
    _roundtrip(tmp_path_factory, df, layout, "utf-8", date="2026-11-22")


def test_every_layout_is_covered():
    assert set(LAYOUTS) == {"qianniu_web", "desktop_copy", "message_manager", "table_csv", "table_xlsx", "pdd_csv", "pdd_xlsx", "json_api",
                            "canonical", "top_chatlog", "top_logquery", "jd_chatlog", "sainiu", "hdd7_json",
                            "qianniu_exporter_xlsx", "qianniu_cells_xlsx", "qianniu_cells_csv", "desktop_copy_arrows"}
