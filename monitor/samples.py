"""Synthetic Taobao/Tmall shops for the demo, the tests and the benchmarks.

Every shop has agents (fast and slow), a robot, buyers asking pre-sale and after-sale questions in
its category, orders, nights and weekends, unanswered buyers, and a configurable share of agent
replies that break each rule. All text is written for this project. Deterministic for a seed; big
runs are streamed to disk in chunks.

Ground truth comes from how each conversation is built, not from monitor.timing: every exchange is
"buyer block → optional robot → agent reply", with gaps kept under the 30-minute session gap, so the
expected wait of an exchange is exactly agent time − first buyer time (or unanswered).

    python -m monitor.samples --messages 1000000 --layout qianniu_web --out bench/_work/1m --seed 7
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Iterator

import pandas as pd

from .schema import COLUMNS, conform

SHOPS = [("云朵家居旗舰店", "家居"), ("小鹿美妆专营店", "美妆"), ("极客数码旗舰店", "数码"), ("山野零食铺", "食品"),
         ("暖暖童装店", "母婴"), ("城南服饰工作室", "服饰"), ("奔跑运动专营", "运动"), ("喵星人宠物馆", "宠物")]
AGENT_NICKS = ["小美", "阿强", "晓雯", "大卫", "糖糖", "小鱼", "阿杰", "木木", "星星", "豆豆"]
BUYER_STEMS = ["tb_", "tb", "jd_", ""]
CN_NICKS = ["快乐的小猫咪", "春天的风", "爱吃橘子", "夜猫子", "小王同学", "追风少年", "阳光男孩", "糖果屋", "一只鹿",
            "淡淡的茶", "北方的雪", "锦鲤本鲤", "Lily宝贝", "大橙子", "慢慢来", "微笑向暖"]

QUESTIONS = {
    "通用": ["在吗", "你好，在不在", "亲，能便宜点吗", "今天下单什么时候发货", "发什么快递", "包邮吗", "有优惠券吗",
           "能开发票吗", "支持七天无理由吗", "怎么还没发货", "物流好几天没动了", "到哪了", "可以改地址吗",
           "拍错了能退吗", "退款多久到账", "运费险有吗", "能备注一下吗", "还有货吗"],
    "家居": ["这个沙发垫防滑吗", "窗帘可以定做尺寸吗", "收纳箱承重多少", "枕芯能机洗吗", "台灯是暖光还是白光"],
    "美妆": ["敏感肌能用吗", "保质期到什么时候", "这个色号黄皮适合吗", "是正品吗，有防伪吗", "小样送几个"],
    "数码": ["充电器是原装的吗", "支持快充吗", "保修多久", "能连蓝牙耳机吗", "内存能扩展吗"],
    "食品": ["生产日期是几月的", "辣不辣", "能放多久", "有没有添加剂", "孕妇能吃吗"],
    "母婴": ["一岁宝宝穿多大码", "面料是纯棉的吗", "会起球吗", "奶瓶能消毒吗", "有没有异味"],
    "服饰": ["身高165体重110穿什么码", "会缩水吗", "有色差吗", "裤长多少", "偏大还是偏小"],
    "运动": ["鞋子偏码吗", "跑步穿可以吗", "透气吗", "瑜伽垫多厚", "适合扁平足吗"],
    "宠物": ["幼猫能吃吗", "猫砂结团吗", "狗狗过敏能用吗", "一袋能吃多久", "有试吃装吗"],
}
ANSWERS = ["亲，在的，请问有什么可以帮您", "亲亲，今天16点前下单当天发出哦", "默认中通快递，偏远地区除外", "已经给您备注啦",
           "亲，这款是包邮的呢", "可以开电子发票的，下单后联系我哦", "支持七天无理由退换的", "稍等，我帮您查一下物流",
           "物流显示明天派送，请留意电话", "地址已经帮您改好了", "退款1-3个工作日原路退回", "有运费险的，退货不花钱",
           "有货的亲，放心拍", "亲，详细尺码可以参考这个表格", "这个是正品，支持专柜验货", "已经是活动价了哦",
           "领取店铺优惠券可以减10元", "好的亲，还有其他问题随时找我", "抱歉让您久等了", "收到，马上处理",
           "亲，这个不支持定制哦，抱歉", "只支持支付宝和花呗哦", "可以扫吊牌上的二维码查防伪", "欢迎加入我们的淘宝群领福利"]
AUTO = ["[自动回复]亲，欢迎光临，客服马上为您服务~", "[自动回复]您好，现在咨询量较大，请稍等", "[自动回复]亲，夜间客服休息中，明早9点回复您"]

# Violations, composed from parts so repeats are rare. (label, openings, cores, endings)
# Contacts ({wx}, {phone}, {qq}) are filled in by _contact(), which also disguises them.
VIOLATIONS = {
    "diversion": (["亲，", "宝，", "", "这边建议", "方便的话", "跟您说哈，", "悄悄说，", "小姐姐，"],
                  ["加我微信{wx}聊", "加个薇信{wx}发你实拍图", "vx：{wx}，售后更快", "直接打我电话{phone}",
                   "扣扣{qq}找我", "平台不方便说，加V{wx}", "我的手机号{phone}微信同号", "看我头像加好友",
                   "私聊我，微信搜{wx}", "拉你进我们的微信群，有内部价", "ＶＸ {wx} 通过一下", "威❤：{wx}",
                   "🐧{qq}，上面细聊", "weixin {wx} 备注淘宝", "加企业微信{wx}，有专属客服", "打这个号{phone}，我接",
                   "Q号{qq}，发你原图", "短信发我{phone}就行", "下次直接找我，绿泡泡{wx}", "抖音搜{wx}，那边更便宜",
                   "+v {wx}，不走平台省手续费", "我号码{phone}，退款线下给你转"],
                  ["", "哦", "，给你便宜点", "，退款也走那边", "~", "，别在这说", "，秒回"]),
    "qr_lure": (["亲，", "宝子，", "", "小提示：", "温馨提示，", "亲爱的，"],
                ["好评返现5元，截图发我", "五星好评送小礼品", "扫包裹卡上的二维码领红包", "晒图评价返10元",
                 "带图好评联系客服领红包", "追评返3元现金", "好评后加微信领返现", "包裹里有卡片，扫码领福利",
                 "收到货扫卡片上的码，好评立返8元", "五星加15字评价，返2元红包", "晒买家秀送一包赠品",
                 "扫码关注公众号领无门槛红包", "评价截图发过来，支付宝给您转现金", "好评满30字返现，晒图再加5元",
                 "卡片背面有二维码，扫一扫抽免单", "给个五星，下次送您小样"],
                ["", "哦", "！", "，记得哈", "，限时的", "，先到先得"]),
    "negative": (["", "我说", "都说了，", "亲，"],
                 ["爱买不买", "自己看详情页", "烦不烦啊，说了多少遍了", "不会自己看吗", "嫌贵就别买", "你自己的问题",
                  "问那么多干嘛", "找快递去，跟我没关系", "听不懂吗", "随便你投诉", "没货就是没货，别问了",
                  "你到底买不买", "这点钱也计较", "详情页写得清清楚楚，眼睛呢", "不想买就去别家", "你爱咋咋地",
                  "我哪知道，自己查", "别催了，催也没用", "这种问题也问", "退什么退，穿过了还想退"],
                 ["", "。", "！", "，没空", "，真是的", "。。。"]),
    "harassment": (["亲，", "求求你了，", "", "宝，", "在吗？", "又来打扰了，"],
                   ["把差评改一下吧", "差评删了我给你20块", "你不改差评我就一直找你", "追评帮忙改成好评好吗",
                    "一个差评我要被扣工资，改一下吧", "为什么给中评，给个理由", "差评改了给你返现",
                    "我会天天给你打电话直到你改", "删掉评价，我转你50", "第三次找您了，差评什么时候改",
                    "不改的话我们只能去你地址那边找你了", "求您了，删个差评吧，就一分钟的事",
                    "您的手机号我们有，不改别怪我们", "中评改好评，红包马上发", "这么晚还来问，就是想请您改个评价",
                    "差评不删，以后别想在我们家买"],
                   ["", "！", "，拜托了", "？", "！！", "，求求了"]),
}
LABELS = tuple(VIOLATIONS)


@dataclass
class SampleSpec:
    shops: int = 3
    days: int = 1
    conversations_per_shop_day: int = 40
    violation_rate: float = 0.08          # share of agent replies that break a rule
    unanswered_rate: float = 0.06         # share of exchanges with no agent reply
    slow_agent_share: float = 0.4         # share of agents who are slow repliers
    order_rate: float = 0.6               # share of conversations with an order in the orders export
    seed: int = 7
    start: date = field(default_factory=lambda: date(2026, 11, 22))
    # issue 19: add scripted conversations per shop (promises kept, broken and open; pestering at night
    # and after a refusal) and the orders export's 发货时间 / 退款状态 columns (the demo's samples)
    scenarios: bool = False


@dataclass
class Sample:
    messages: pd.DataFrame     # canonical + labels (|-joined, '' for ok)
    orders: pd.DataFrame       # the orders export (Chinese headers)
    waits: pd.DataFrame        # ground truth: shop, conversation_id, start, end, wait_s, answered


_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨"


def _disguise_digits(rng: random.Random, digits: str) -> str:
    """Agents hide numbers from keyword filters: Chinese numerals, circled digits, split by symbols."""
    style = rng.random()
    if style < 0.5:
        return digits
    if style < 0.65:
        return "".join(_CN_DIGITS[int(c)] for c in digits)
    if style < 0.8:
        return "".join(_CIRCLED[int(c)] for c in digits)
    sep = rng.choice(["-", " ", ".", "*"])
    return sep.join(digits[i:i + 3] for i in range(0, len(digits), 3))


def _contact(rng: random.Random) -> dict[str, str]:
    letters = "abcdefghjkmnpqrstuvwxyz"
    wx = rng.choice(letters) + "".join(rng.choice(letters + "0123456789_") for _ in range(rng.randint(6, 10)))
    phone = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
    qq = str(rng.randint(10_000, 2_999_999_999))
    return {"wx": wx, "phone": _disguise_digits(rng, phone), "qq": _disguise_digits(rng, qq)}


def _violation(rng: random.Random, label: str) -> str:
    openings, cores, endings = VIOLATIONS[label]
    return (rng.choice(openings) + rng.choice(cores) + rng.choice(endings)).format(**_contact(rng))


def _buyer(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return rng.choice(CN_NICKS) + (str(rng.randint(1, 99)) if rng.random() < 0.5 else "")
    return rng.choice(BUYER_STEMS) + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8))


def _conversation_start(rng: random.Random, day: date) -> datetime:
    # busy afternoons and evenings, a few night owls
    hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 8, 8, 9, 10, 10, 9, 9, 10, 11, 10, 7, 3])[0]
    return datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), rng.randint(0, 59))


def iter_conversations(spec: SampleSpec) -> Iterator[tuple[list[dict], list[dict], dict | None]]:
    """(messages, truth waits, order or None) per conversation, in shop, day, start order."""
    rng = random.Random(spec.seed)
    for s_idx in range(spec.shops):
        base_name, category = SHOPS[s_idx % len(SHOPS)]
        shop = base_name if s_idx < len(SHOPS) else f"{base_name}{s_idx // len(SHOPS) + 1}号店"
        n_agents = rng.randint(2, 4)
        agents = [(f"{shop}:{nick}", rng.random() < spec.slow_agent_share)
                  for nick in rng.sample(AGENT_NICKS, n_agents)]
        robot = rng.random() < 0.7
        # labels taken in turn from a random offset, so even a small shop-night shows every label
        label_turn = rng.randrange(len(LABELS))
        for d in range(spec.days):
            day = spec.start + timedelta(days=d)
            starts = sorted(_conversation_start(rng, day) for _ in range(spec.conversations_per_shop_day))
            seen: set[str] = set()
            for c_no, t in enumerate(starts):
                buyer = _buyer(rng)
                # one conversation per buyer and day: a repeated nick would merge two threads and
                # make the ground-truth waits wrong
                while buyer in seen:
                    buyer = f"{buyer}{rng.randint(0, 9)}"
                seen.add(buyer)
                conv = f"{shop}|{buyer}"
                msgs, waits = [], []
                agent, slow = rng.choice(agents)
                order = None
                if rng.random() < spec.order_rate:
                    order = {"订单编号": str(rng.randint(10**17, 10**18 - 1)) + str(rng.randint(0, 9)),
                             "买家会员名": buyer, "买家实际支付金额": round(rng.uniform(9.9, 899), 2),
                             "订单创建时间": (t + timedelta(minutes=rng.randint(-600, 600))).strftime("%Y-%m-%d %H:%M:%S"),
                             "订单状态": rng.choice(["交易成功", "交易成功", "卖家已发货", "买家已付款", "等待买家付款", "交易关闭"]), "店铺名称": shop}

                def add(ts, sender, role, text, labels="", order_id=None):
                    msgs.append({"shop": shop, "conversation_id": conv, "buyer": buyer, "sender": sender,
                                 "role": role, "ts": ts, "text": text, "order_id": order_id, "source": "",
                                 "labels": labels})

                for ex in range(rng.randint(1, 4)):
                    first = t
                    qs = QUESTIONS["通用"] + QUESTIONS.get(category, [])
                    if ex == 0 and order and rng.random() < 0.4:
                        add(t, buyer, "buyer", f"[订单卡片] 订单号：{order['订单编号']}", order_id=order["订单编号"])
                        t += timedelta(seconds=rng.randint(2, 20))
                    add(t, buyer, "buyer", rng.choice(qs))
                    for _ in range(rng.choice([0, 0, 0, 1, 2])):     # impatient follow-ups inside the wait
                        t += timedelta(seconds=rng.randint(10, 90))
                        add(t, buyer, "buyer", rng.choice(["？", "人呢", "在吗在吗", "急", "有人吗"]))
                    if robot and ex == 0:
                        add(t + timedelta(seconds=2), f"{shop}:店小蜜", "auto", rng.choice(AUTO))
                    if rng.random() < spec.unanswered_rate:
                        waits.append({"shop": shop, "conversation_id": conv, "start": first, "end": None,
                                      "wait_s": None, "answered": False})
                        break
                    delay = rng.randint(60, 1500) if slow and rng.random() < 0.6 else rng.randint(3, 90)
                    t += timedelta(seconds=delay + 3)
                    if rng.random() < spec.violation_rate:
                        label = LABELS[label_turn % len(LABELS)]
                        label_turn += 1
                        add(t, agent, "agent", _violation(rng, label), labels=label)
                    else:
                        add(t, agent, "agent", rng.choice(ANSWERS))
                    waits.append({"shop": shop, "conversation_id": conv, "start": first, "end": t,
                                  "wait_s": (t - first).total_seconds(), "answered": True})
                    t += timedelta(seconds=rng.randint(20, 900))
                yield msgs, waits, order
            if spec.scenarios and d == 0:
                yield from _scenarios(rng, shop, agents[0][0], day, s_idx)


# ---- issue 19: scripted promise and pestering conversations (SampleSpec.scenarios) ----
ORDER_HEADERS = ["订单编号", "买家会员名", "买家实际支付金额", "订单创建时间", "订单状态", "店铺名称"]
SCENARIO_HEADERS = [*ORDER_HEADERS, "发货时间", "退款状态"]
# (buyer nick stem, [(day offset, "HH:MM:SS", role, text, truth labels)], order status, 发货时间, 退款状态, created)
SCENARIOS = [
    ("scn_broken", [(0, "10:00:00", "buyer", "什么时候发货呀", ""),
                    (0, "10:01:00", "agent", "亲，今天下午一定给您发出", "promise")],
     "买家已付款，等待卖家发货", None, None, (-1, "20:00:00")),
    ("scn_kept", [(0, "11:00:00", "buyer", "今天能发吗，急用", ""),
                  (0, "11:01:30", "agent", "好的亲，今天下午5点前给您发出", "promise")],
     "卖家已发货，等待买家确认", (0, "15:20:00"), None, (0, "10:40:00")),
    ("scn_refund", [(0, "12:00:00", "buyer", "退货你们收到了吧，钱什么时候退", ""),
                    (0, "12:01:00", "agent", "收到了亲，今天之内给您退款", "promise")],
     "交易成功", (-3, "09:00:00"), "退款成功", (-4, "18:00:00")),
    ("scn_open", [(0, "21:00:00", "buyer", "明天能发出吗", ""),
                  (0, "21:01:00", "agent", "明天上午给您发出", "promise")],
     "买家已付款，等待卖家发货", None, None, (0, "20:50:00")),
    ("scn_gift", [(0, "20:00:00", "buyer", "说好的赠品没收到", ""),
                  (0, "20:01:00", "agent", "抱歉亲，漏发的赠品明天给您补寄", "promise")],
     "交易成功", (-2, "10:00:00"), None, (-3, "15:00:00")),
    ("scn_night", [(0, "23:05:00", "agent", "亲，在吗", ""), (0, "23:20:00", "agent", "亲，收到货了吗", ""),
                   (0, "23:40:00", "agent", "亲，方便的话回一下", ""), (0, "23:55:00", "agent", "亲？", "")],
     "交易成功", (-2, "11:00:00"), None, (-3, "12:00:00")),
    ("scn_review", [(0, "14:00:00", "agent", "亲，东西还满意吗，方便的话给个好评哦", ""),
                    (0, "14:05:00", "buyer", "不想评，别再发了", ""),
                    (0, "14:30:00", "agent", "亲，评价能再考虑下吗，五星就行", "harassment")],
     "交易成功", (-3, "10:00:00"), None, (-4, "10:00:00")),
]


def _scenarios(rng: random.Random, shop: str, agent: str, day: date, s_idx: int):
    """The scripted conversations of one shop's night: (messages, truth waits, order)."""
    def at(offset, clock):
        return datetime.combine(day + timedelta(days=offset), datetime.strptime(clock, "%H:%M:%S").time())

    for stem, lines, status, shipped, refund, created in SCENARIOS:
        buyer = f"{stem}_{s_idx}"
        conv = f"{shop}|{buyer}"
        oid = str(rng.randint(10**17, 10**18 - 1)) + str(rng.randint(0, 9))
        msgs, waits, first = [], [], None
        if lines[0][2] == "buyer":
            # the buyer opens with the order card, as Qianniu shows it: every layout keeps the order number
            offset, clock = lines[0][0], lines[0][1]
            card = (at(offset, clock) - timedelta(seconds=20)).strftime("%H:%M:%S")
            lines = [(offset, card, "buyer", f"[订单卡片] 订单号：{oid}", ""), *lines]
        for k, (offset, clock, role, text, labels) in enumerate(lines):
            ts = at(offset, clock)
            msgs.append({"shop": shop, "conversation_id": conv, "buyer": buyer,
                         "sender": buyer if role == "buyer" else agent, "role": role, "ts": ts, "text": text,
                         "order_id": oid if k == 0 else None, "source": "", "labels": labels})
            if role == "buyer" and first is None:
                first = ts
            elif role == "agent" and first is not None:
                waits.append({"shop": shop, "conversation_id": conv, "start": first, "end": ts,
                              "wait_s": (ts - first).total_seconds(), "answered": True})
                first = None
        order = {"订单编号": oid, "买家会员名": buyer, "买家实际支付金额": round(rng.uniform(60, 800), 2),
                 "订单创建时间": at(*created).strftime("%Y-%m-%d %H:%M:%S"), "订单状态": status, "店铺名称": shop,
                 "发货时间": at(*shipped).strftime("%Y-%m-%d %H:%M:%S") if shipped else "",
                 "退款状态": refund or ""}
        yield msgs, waits, order
# ---- end issue 19 ----


def iter_message_chunks(spec: SampleSpec, chunk_messages: int = 100_000) -> Iterator[pd.DataFrame]:
    """The same messages as generate(spec), as canonical chunks (plus `labels`), never all in memory."""
    buf: list[dict] = []
    for msgs, _, _ in iter_conversations(spec):
        buf += msgs
        if len(buf) >= chunk_messages:
            yield _frame(buf)
            buf = []
    if buf:
        yield _frame(buf)


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    labels = df["labels"]
    out = conform(df)
    out["labels"] = labels.values
    return out


def generate(spec: SampleSpec) -> Sample:
    msgs, waits, orders = [], [], []
    for m, w, o in iter_conversations(spec):
        msgs += m
        waits += w
        if o:
            orders.append(o)
    return Sample(messages=_frame(msgs) if msgs else conform(pd.DataFrame(columns=COLUMNS)).assign(labels=""),
                  orders=pd.DataFrame(orders, columns=SCENARIO_HEADERS if spec.scenarios else ORDER_HEADERS),
                  waits=pd.DataFrame(waits, columns=["shop", "conversation_id", "start", "end", "wait_s", "answered"]))


def write_samples(out_dir, spec: SampleSpec, layouts=("qianniu_web",), encodings=("utf-8",),
                  truth: bool = True, progress: bool = False) -> list[Path]:
    """One export per shop and day, cycling through `layouts` and `encodings`; orders.csv (GBK, as
    Taobao exports it); truth_messages.csv and truth_waits.csv. Streams shop-day by shop-day."""
    from .atomic import atomic_open
    from .ingest.writers import write_export

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    ext = {"table_xlsx": "xlsx", "pdd_xlsx": "xlsx", "json_api": "json", "table_csv": "csv", "pdd_csv": "csv",
           "canonical": "csv", "message_manager": "txt"}
    orders, truth_msgs, truth_waits = [], [], []
    group: list[dict] = []
    key = None
    k = 0
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(unit="msg", desc="generating", file=sys.stderr)

    def flush():
        nonlocal group, k
        if not group:
            return
        df = _frame(group)
        layout = layouts[k % len(layouts)]
        enc = encodings[k % len(encodings)] if not layout.endswith("xlsx") else "utf-8"
        shop, day = key
        path = out / f"{shop}_{day}_{layout}.{ext.get(layout, 'txt')}"
        write_export(df, path, layout, enc)
        written.append(path)
        if truth:
            truth_msgs.append(df[["shop", "conversation_id", "sender", "role", "ts", "text", "labels"]])
        if bar is not None:
            bar.update(len(df))
        group = []
        k += 1

    for msgs, waits, order in iter_conversations(spec):
        this = (msgs[0]["shop"], msgs[0]["ts"].strftime("%Y%m%d"))
        if key is not None and this != key:
            flush()
        key = this
        group += msgs
        if truth:
            truth_waits += waits
        if order:
            orders.append(order)
    flush()
    if bar is not None:
        bar.close()
    orders_path = out / "orders.csv"
    with atomic_open(orders_path, "w", encoding="gb18030", newline="") as fh:
        pd.DataFrame(orders, columns=SCENARIO_HEADERS if spec.scenarios else ORDER_HEADERS).to_csv(fh, index=False)
    written.append(orders_path)
    if truth:
        for name, frame in (("truth_messages.csv", pd.concat(truth_msgs, ignore_index=True) if truth_msgs else None),
                            ("truth_waits.csv", pd.DataFrame(truth_waits))):
            if frame is not None:
                with atomic_open(out / name, "w", encoding="utf-8-sig", newline="") as fh:
                    frame.to_csv(fh, index=False)
                written.append(out / name)
    return written


def spec_for_messages(n: int, seed: int = 7, shops: int | None = None) -> SampleSpec:
    """A spec producing about n messages (≈7 per conversation), spread over shops and one night."""
    shops = shops or max(1, min(200, n // 20_000))
    per = max(1, round(n / 7.0 / shops))
    return SampleSpec(shops=shops, days=1, conversations_per_shop_day=per, seed=seed)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m monitor.samples", description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=2000, help="about how many messages to write")
    ap.add_argument("--shops", type=int, help="number of shops (default: one per 20k messages)")
    ap.add_argument("--layout", action="append", help="layout(s) to write, cycled per file (default qianniu_web)")
    ap.add_argument("--encoding", action="append", help="encoding(s), cycled per file (default utf-8)")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-truth", action="store_true", help="skip the ground-truth files (faster for benchmarks)")
    args = ap.parse_args(argv)
    spec = spec_for_messages(args.messages, args.seed, args.shops)
    paths = write_samples(args.out, spec, layouts=tuple(args.layout or ["qianniu_web"]),
                          encodings=tuple(args.encoding or ["utf-8"]), truth=not args.no_truth, progress=True)
    print(f"wrote {len(paths)} files to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
