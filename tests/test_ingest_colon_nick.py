"""Issue 18: a buyer's nick with a colon (`竞品店:x`) never names the shop of the conversation.

Only a seller-side sender `店铺名:昵称` names the shop, and only when the export names none.
"""

from fake_classifier import FixedClassifier
from ingest_helpers import read_text, rows
from monitor.scan import run_scan

WITH_SHOP_AND_ROLE = ("店铺,客户名,发送时间,发送内容,发送账号,账号类型\n"
                      "店A,竞品店:x,2026-11-22 10:00:00,在吗,竞品店:x,买家\n"
                      "店A,竞品店:x,2026-11-22 10:00:20,滚，爱买不买,店A:小美,客服\n"
                      "店A,竞品店:x,2026-11-22 10:01:00,什么态度,竞品店:x,买家\n")


def test_the_shop_column_and_role_column_win_over_a_buyer_nick(tmp_path):
    df, _ = read_text(tmp_path, WITH_SHOP_AND_ROLE, name="a.csv")
    assert rows(df, "shop", "conversation_id", "buyer", "role") == [
        ("店A", "店A|竞品店:x", "竞品店:x", "buyer"),
        ("店A", "店A|竞品店:x", "竞品店:x", "agent"),
        ("店A", "店A|竞品店:x", "竞品店:x", "buyer")]


def test_without_a_shop_column_the_agents_prefix_names_the_shop_not_the_buyers(tmp_path):
    # no shop column, no role column: the buyer writes more than the agent, so counting every
    # `x:y` sender would have chosen 竞品店
    text = ("客户名,发送时间,发送内容,发送账号\n"
            "竞品店:x,2026-11-22 10:00:00,在吗,竞品店:x\n"
            "竞品店:x,2026-11-22 10:00:05,在不在,竞品店:x\n"
            "竞品店:x,2026-11-22 10:00:20,在的亲,店A:小美\n")
    df, _ = read_text(tmp_path, text, name="b.csv")
    assert rows(df, "shop", "role") == [("店A", "buyer"), ("店A", "buyer"), ("店A", "agent")]


def test_a_file_of_one_thread_takes_its_shop_from_the_agent(tmp_path):
    text = ("客户名,发送时间,发送内容,发送账号,账号类型\n"
            "竞品店:x,2026-11-22 10:00:00,在吗,竞品店:x,买家\n"
            "竞品店:x,2026-11-22 10:00:01,在吗?,竞品店:x,买家\n"
            "竞品店:x,2026-11-22 10:00:20,在的,店A:小美,客服\n")
    df, _ = read_text(tmp_path, text, name="c.csv")
    assert set(df["shop"]) == {"店A"}


def test_a_rude_reply_from_shop_as_agent_is_charged_to_shop_a(tmp_path):
    d = tmp_path / "exports"
    d.mkdir()
    # the buyer's last message left out: an unanswered order would be fined 20 yuan whatever the flag
    (d / "a.csv").write_text(WITH_SHOP_AND_ROLE.rsplit("店A,", 1)[0], encoding="utf-8")
    s = run_scan([str(d)], out_dir=tmp_path / "out", classifier=FixedClassifier({"爱买不买": ("negative", 0.9)}),
                 echo=lambda m: None)
    assert list(s["shops"]) == ["店A"]
    assert s["shops"]["店A"]["flagged"]["negative"] == 1
    assert s["shops"]["店A"]["exposure_expected_yuan"] == 18.0     # 0.9 of the 20 yuan negative-reply fine
