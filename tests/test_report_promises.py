"""The shop page lists open promises due within 24 hours, broken promises and pestering cases, masked."""

import pandas as pd

from monitor.report.html import render_shop_html
from report_fixtures import shop_night


def _promise(i, ts, deadline, state, text, order="123456789012345678", fine=0.0, reason=""):
    return {"shop": "示例旗舰店", "session_id": "c1#1", "conversation_id": "c1", "buyer": "tb_88213489",
            "agent": "示例旗舰店:小美", "ts": pd.Timestamp(ts), "text": text, "source": f"chat.txt:{i}", "p": 0.9,
            "kind": "发货", "deadline": pd.Timestamp(deadline) if deadline else pd.NaT, "deadline_phrase": None,
            "order_id": order, "amount": 199.0, "state": state, "reason": reason, "evidence": None,
            "fine": fine, "fined": fine > 0}


def test_due_list_shows_open_promises_due_in_the_next_24_hours_only():
    sn = shop_night()          # its latest message is 2026-11-22 23:20: "now"
    sn.promises = pd.DataFrame([
        _promise(7, "2026-11-22 21:00", "2026-11-23 12:00", "open", "明天上午给您发出，有事打13800138000"),
        _promise(8, "2026-11-22 21:05", "2026-11-25 23:59:59", "open", "周三前给您补寄"),      # later than 24 h
        _promise(9, "2026-11-22 10:01", "2026-11-22 18:00", "broken", "今天下午一定给您发出", fine=9.95,
                 reason="期限 2026-11-22 18:00 已过；罚 9.95 元"),
    ])
    sn.summary["promises"] = {"kept": 0, "broken": 1, "open": 2}
    html = render_shop_html(sn)
    due = html[html.index("小时内到期"):html.index("未兑现的承诺（")]
    assert "11-23 12:00" in due and "123456789012345678" in due and "示例旗舰店:小美" in due
    assert "周三前给您补寄" not in due
    assert "13800138000" not in html                       # the message is masked as the report masks
    assert "服务承诺（已兑现 0 ｜ 未兑现 1 ｜ 待定 2）" in html
    assert "期限 2026-11-22 18:00 已过；罚 9.95 元" in html


def test_pestering_cases_are_shown_with_their_messages_and_times():
    sn = shop_night()
    sn.pestering = pd.DataFrame([{
        "shop": "示例旗舰店", "session_id": "c2#1", "conversation_id": "c2", "buyer": "快乐的小猫咪",
        "agent": "示例旗舰店:阿强", "pattern": "quiet_hours", "reason": "23:05 在非适宜时段（22:00-08:00）主动联系买家",
        "ts": pd.Timestamp("2026-11-22 23:05"), "source": "chat.txt:20",
        "messages": ["11-22 23:05 亲，在吗", "11-22 23:20 亲？"]}])
    html = render_shop_html(sn)
    part = html[html.index('id="pestering"'):]
    assert "非适宜时段主动联系" in part and "11-22 23:05 亲，在吗" in part and "快乐的小猫咪" not in part
