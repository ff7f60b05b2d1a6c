"""A small hand-built ShopNight for report tests (tables shaped as monitor.timing/score produce them)."""

import json

import numpy as np
import pandas as pd

from monitor.shopnight import ShopNight


def _msg(i, ts, role, sender, text, labels="", p=None, evidence=None, buyer="tb_88213489", conv="c1"):
    p = p or {}
    return {"shop": "示例旗舰店", "conversation_id": conv, "buyer": buyer, "sender": sender, "role": role,
            "ts": pd.Timestamp(ts), "text": text, "order_id": None, "source": f"chat.txt:{i}",
            "msg_key": f"k{i}", "session_id": f"{conv}#1", "labels": labels,
            "p_diversion": p.get("diversion", np.nan), "p_qr_lure": p.get("qr_lure", np.nan),
            "p_negative": p.get("negative", np.nan), "p_harassment": p.get("harassment", np.nan),
            "evidence": json.dumps(evidence or [], ensure_ascii=False)}


def shop_night(history_nights=("2026-11-21",)) -> ShopNight:
    text = "亲，加我微信 ab_shop2024 发你实拍图，电话13800138000"
    start = text.index("ab_shop2024")
    messages = pd.DataFrame([
        _msg(1, "2026-11-22 10:00:00", "buyer", "tb_88213489", "这件有实拍吗"),
        _msg(2, "2026-11-22 10:00:05", "auto", "示例旗舰店:店小蜜", "亲，稍等马上为您服务"),
        _msg(3, "2026-11-22 10:04:00", "agent", "示例旗舰店:小美", text, "diversion",
             {"diversion": 0.97, "qr_lure": 0.02, "negative": 0.01, "harassment": 0.01},
             [{"label": "diversion", "start": start, "end": start + 11, "match": "ab_shop2024", "rule": "wechat_id"}]),
        _msg(4, "2026-11-22 10:05:00", "buyer", "tb_88213489", "好的"),
        _msg(5, "2026-11-22 23:10:00", "buyer", "快乐的小猫咪", "怎么还不发货", conv="c2", buyer="快乐的小猫咪"),
        _msg(6, "2026-11-22 23:20:00", "agent", "示例旗舰店:阿强", "爱买不买，自己看详情页", "negative",
             {"diversion": 0.01, "qr_lure": 0.01, "negative": 0.8, "harassment": 0.05}, [], conv="c2",
             buyer="快乐的小猫咪"),
    ])
    waits = pd.DataFrame({"shop": "示例旗舰店", "conversation_id": ["c1", "c2"], "wait_s": [240.0, 600.0],
                          "answered": [True, True], "agent": ["示例旗舰店:小美", "示例旗舰店:阿强"]})
    orders = pd.DataFrame([
        {"shop": "示例旗舰店", "order_id": "123456789012345678", "buyer": "tb_88213489", "amount": 199.0,
         "agents": "示例旗舰店:小美", "causes": ["slow", "diversion"], "expected_yuan": 39.4, "worst_yuan": 40.0,
         "reasons": [{"cause": "slow", "wait_s": 240.0}, {"cause": "diversion", "text": text, "probability": 0.97}]},
        {"shop": "示例旗舰店", "order_id": "consult:c2#1", "buyer": "快乐的小猫咪", "amount": None,
         "agents": "示例旗舰店:阿强", "causes": ["slow", "negative"], "expected_yuan": 20.0, "worst_yuan": 20.0,
         "reasons": [{"cause": "negative", "text": "爱买不买，自己看详情页", "probability": 0.8}]},
    ])
    agents = pd.DataFrame([
        {"shop": "示例旗舰店", "agent": "示例旗舰店:小美", "expected_yuan": 39.4, "worst_yuan": 40.0,
         "diversion": 1, "qr_lure": 0, "negative": 0, "harassment": 0, "slow_waits": 1, "unanswered": 0},
        {"shop": "示例旗舰店", "agent": "示例旗舰店:阿强", "expected_yuan": 20.0, "worst_yuan": 20.0,
         "diversion": 0, "qr_lure": 0, "negative": 1, "harassment": 0, "slow_waits": 1, "unanswered": 0},
    ])
    metrics = pd.DataFrame([
        {"shop": "示例旗舰店", "agent": "(全店)", "咨询人数": 2, "接待人数": 2, "3分钟人工响应率": 0.0,
         "平均响应时长": 420.0, "答问比": 1.0},
        {"shop": "示例旗舰店", "agent": "示例旗舰店:小美", "咨询人数": 1, "接待人数": 1, "3分钟人工响应率": 0.0,
         "平均响应时长": 240.0, "答问比": 0.5},
    ])
    summary = {"messages": 6, "sessions": 2, "orders": 2,
               "flagged": {"diversion": 1, "qr_lure": 0, "negative": 1, "harassment": 0},
               "slow_orders": 2, "unanswered_orders": 0, "exposure_expected_yuan": 59.4, "exposure_worst_yuan": 60.0}
    history = pd.DataFrame([{"night": n, "shop": "示例旗舰店", "exposure_expected_yuan": 30.0 + i * 5,
                             "exposure_worst_yuan": 40.0 + i * 5} for i, n in enumerate(history_nights)]
                           + [{"night": "2026-11-22", "shop": "示例旗舰店", "exposure_expected_yuan": 59.4,
                               "exposure_worst_yuan": 60.0}])
    return ShopNight(shop="示例旗舰店", night="2026-11-22", summary=summary, messages=messages,
                     sessions=pd.DataFrame(), waits=waits, orders=orders, agents=agents, metrics=metrics,
                     history=history)
