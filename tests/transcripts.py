"""Build canonical messages from literal transcript lines (timing, scoring and scan tests).

    "b 10:00:00 在吗"          buyer
    "a 10:02:30 在的"          agent (甲店:小美); "a:阿强 ..." names another agent
    "auto 10:00:02 欢迎"       auto-reply robot; "sys ..." a system notice
A time may carry a date: "b 2026-11-23 00:01:00 好". Keyword args set shop, buyer and the day.
"""

import pandas as pd

from monitor.schema import conform


def transcript(*lines, shop="甲店", buyer="tb_a", day="2026-11-22", order_id=None):
    rows = []
    for i, line in enumerate(lines, start=1):
        who, rest = line.split(" ", 1)
        if rest[:4].isdigit() and rest[4] == "-":
            date, clock, text = rest.split(" ", 2)
        else:
            date = day
            clock, text = rest.split(" ", 1)
        kind, _, name = who.partition(":")
        role = {"b": "buyer", "a": "agent", "auto": "auto", "sys": "system"}[kind]
        sender = {"buyer": buyer, "agent": f"{shop}:{name or '小美'}", "auto": f"{shop}:店小蜜",
                  "system": "系统"}[role]
        rows.append({"shop": shop, "conversation_id": f"{shop}|{buyer}", "buyer": buyer, "sender": sender,
                     "role": role, "ts": pd.Timestamp(f"{date} {clock}"), "text": text,
                     "order_id": order_id if i == 1 else None, "source": f"t.txt:{i}"})
    return conform(pd.DataFrame(rows))


def concat(*frames):
    return conform(pd.concat(frames, ignore_index=True))
