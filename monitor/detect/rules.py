"""Evasion-proof rules: high-precision evidence, and features for the classifier.

Every rule reads the normalised view of a message (monitor.text.normalise: width, case, traditional,
noise between characters, contact-word variants, spoken digits) and reports spans of the ORIGINAL.

Strong rules: enough alone to assert a label (`find_evidence`, `rule_labels`; rules ∪ classifier):
    phone_number        a Chinese mobile number (1[3-9] + 9 digits, optional 86/0086) in any digit
                        style (13８一三⑤…, ①③⑧, 壹叁捌, spaces, dashes), unless it is read back as the
                        buyer's own number (收货电话, 核对, 您的 …) or sits in a tracking context
    landline            an area-code number (0 + 9-11 digits) next to a phone cue (电话, 座机, 打 …)
    qq_number           5-11 digits next to a QQ cue (qq, 扣扣, 🐧, 企鹅号, 群号, 扣群 …), not a
                        platform group (淘宝群, 店铺群)
    wechat_id           a WeChat-style ID (a letter then 5-19 letters/digits/-/_, or wxid_…), or 6-11
                        digits, next to a WeChat cue (微信, vx, 薇, 加, 搜, 私聊, id …)
    lexicon:<label>     a strong phrase of data/lexicons/<label>.txt (加我微信, 好评返现, 求改差评,
                        爱买不买 …), or repeated pleas (求求你 … 拜托 …) for harassment
    contact_cue         a contacting verb, up to six characters, then qq or 微信 (联系人事qq, 详询…qq,
                        关注官方微信), or ad shorthand (详情qq, 报名qq, 请qq验证, 详情微信), not
                        微信支付/红包/登录 …; counted in lexicon:diversion:strong
    review_reward       a review, a reward verb and money or a gift (评价写上名字返现五元, 好评后
                        返你10块话费); counted in the lexicon:qr_lure:strong feature
    ask_contact         staff asking for the buyer's own phone/WeChat/QQ (留下您的手机号, 私信提供您的
                        手机号码, 把你微信发我), not confirming the number on file (核对您的手机号,
                        您留的电话…对吗), the order's phone, account binding or verification codes;
                        counted in lexicon:diversion:strong
Weak cues (features for the classifier only, never a flag): lexicon:<label>:weak counts of weak
phrases (微信, 朋友圈, 红包, 差评, 随便 …; review words alone such as 好评/五星 are no qr_lure cue), a
review_offer cue counted with the weak qr_lure phrases (a review and something offered with it: 差评改一下，
我们给您免费换新的; not a benefit already given, delivery or a denial), negated_contact (a contact phrase refused: 不能加微信),
safe_phrase (微信支付, 淘宝群, 防伪码 …) and long_number (tracking / order numbers).

A diversion or qr_lure phrase does not count (only negated_contact does) when it is refused or
merely mentioned: a negation in its clause (平台规定不能加微信, 我们没有好评返现; but 要不要/能不能
ask, they do not refuse), a refusal right after it (加微信不行哦), quotation marks around it, or a
scam warning in the message (…加微信的都是骗子). A phrase inside a safe phrase does not count.

Not contacts, by design: digit runs of 12+ digits that are no phone (tracking numbers SF…/YT…/JT…,
18-19 digit order numbers), any run right after 快递/单号/运单/订单/物流 or a courier name, runs glued
to letters (SF1234567890123: an ID, left to the wechat_id rule and its cue), prices, sizes and dates
(too short to be a run), the platform's own hotlines (95188, 0571-88158198, 9510211). A brand's 400/800
service line IS diversion when named as a number to call (DESIGN.md: in a Taobao chat a brand's own
hotline is steering off the platform), rule `landline`; one without a phone or service cue (an order
number that happens to start with 400) is not.

RULE_NAMES is the classifier's feature order: stable (a change needs a retrained model).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from ..text import NormalisedText
from ..text.normalise import digit_groups, normalise_cached, normalise_text
from .batch_hits import texts_with_hits
from .lexicon import PLEA, STRONG, automata
from .types import LABELS, Evidence

STRONG_RULES = ("phone_number", "landline", "qq_number", "wechat_id")
RULE_NAMES: tuple[str, ...] = (
    *STRONG_RULES,
    *[f"lexicon:{lab}:{k}" for lab in LABELS for k in ("strong", "weak")],
    "negated_contact", "safe_phrase", "long_number",
)

NEGATIONS = re.compile(r"不能|不可以|不允许|禁止|不方便|不支持|无法|不要|别(?![的人家款处样种])|不用|没法|不会|不让|不得|请勿|勿|不搞|不做|不参与|不提供|从不|不存在")
_PLEA_MIN_WITH_REVIEW, _PLEA_MIN = 2, 3

# cues, matched in the NORMALISED text around a number (variants already folded: 扣扣 → qq, vx → 微信)
_QQ_CUE = re.compile(r"qq|q号|群号|扣群|q群|企鹅|扣我")
# a lone q or 扣 written right before the number (加q 3305821947, 扣：2748193605); q glued to a word
# (faq12345) is not one
_Q_RIGHT_BEFORE = re.compile(r"(?:(?<![a-z])q|(?<![折费款减抵实先后被要会已再就])扣)$")
_UNIT_AFTER = re.compile(r"^(?:元|块|毛|角|%|个|件|分|折|天|次)")
_PLATFORM_GROUP = re.compile(r"淘宝|店铺|旺旺|千牛|天猫|粉丝群|会员群")
# 搜 alone is a shop or product search (搜索 SKU-123, 店铺搜 …): only 搜我 / 微信搜 count
_WECHAT_CUE = re.compile(r"微信|加我|私聊|私信|搜我|联系|找我|同号|(?<![a-z])id|(?:^|[^a-z])(?:v|w)$|[薇威]$|加$")
_ID_CUE_STRONG = re.compile(r"微信|(?<![a-z])id|(?:^|[^a-z])(?:v|w)$|[薇威]$")
_PHONE_CUE = re.compile(r"电话|手机|座机|号码|打|call|tel|联系|拨")
_OWN_PHONE = re.compile(r"收货|收件|核对|您的|你的|您留的|你留的|预留|快递员|派送|配送|快递小哥")
# a number given as an example in a how-to (例如：要呼转到138…, 就在拨号盘输入 …): nobody's contact
_EXAMPLE = re.compile(r"例如|比如|举例|例:|例：|示例")
# the agent reads a number back and asks whether it is right (请问您的联系电话是：138…吗？): the
# buyer's own number, already given; asking for a NEW number is another matter (no number in it)
_READ_BACK_BEFORE = re.compile(r"您|你|请问|是$")
_READ_BACK_AFTER = re.compile(r"吗|么|对吧|是吧|没错|对不对|是不是")
# a tracking / order number: named as one just before, or right after a courier or 订单
# (订单有问题打我电话138… is still a phone: 订单 is not right before the number)
_TRACKING_CTX = re.compile(r"单号|运单|订单号|订单编号|物流单|快递单|快递号|编号|(?:顺丰|圆通|中通|申通|韵达|极兔|京东|"
                           r"邮政|ems|快递|物流|订单)(?:是|为)?$")
_PHONE = re.compile(r"(?:0086|86)?1[3-9]\d{9}")
_LANDLINE = re.compile(r"0[1-9]\d{8,10}")
_HOTLINES = frozenset({"95188", "057188158198", "9510211", "95105105"})
_QR_SAFE_CTX = re.compile(r"防伪|验真|真伪|溯源|说明书|安装视频|安装教程")
_QR_CONTEXT_WORDS = frozenset({"二维码", "扫码", "扫一扫"})

_DIGIT_RUN = re.compile(r"[0-9]{5,}")
_SERVICE_LINE = re.compile(r"[48]00\d{7}")
_HOTLINE_CUE = re.compile(r"热线|客服|售后|服务|致电|拨打|来电")
_TRAILING_LETTERS = re.compile(r"[a-z]+$")
_ID_MARK = re.compile(r"[0-9_\-]")
_HAS_LETTER = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")
_ID_RE = re.compile(r"(?<![A-Za-z0-9_\-])(wxid_[A-Za-z0-9_\-]{4,}|[A-Za-z][A-Za-z0-9_\-]{5,19})(?![A-Za-z0-9_\-])")
_TRACKING_ID = re.compile(r"^(?:sf|yt|jt|zto|yd|jd|ems|sto|dpk|ky|zt|yto|best|htky|db|tt)\d{6,}$", re.I)
_ORDINARY_WORDS = frozenset("""iphone ipad android wechat taobao tmall alipay huawei xiaomi oppo vivo
coupon online please thanks hello github typec usb-c bluetooth samsung lenovo redmi honor macbook
airpods switch nintendo playstation xbox windows office adobe photoshop shopping logistics
express service customer wifi-6 type-c sku""".split())
_ORDINARY_PREFIX = re.compile("(?:" + "|".join(sorted(map(re.escape, _ORDINARY_WORDS), key=len, reverse=True)) + ")")


def _window(t: str, a: int, b: int, before: int, after: int) -> tuple[str, str]:
    return t[max(0, a - before):a], t[b:b + after]


_CLAUSE_END = re.compile(r"[，,。.!！?？;；~～\n]")
# refusing after the phrase: 加微信不行哦, 私下联系方式给不了
_NEG_AFTER = re.compile(r"不行|不可以|不了|不能|不允许|不支持|是骗|不是我们|没有|没开|就不用|不用了|不必了|就算了")
# the message warns about contacts instead of offering one
_WARNING = re.compile(r"骗子|诈骗|谨防|冒充|陌生人|不是我们发|不是本店|请勿相信|不要相信|勿信|自称")
_QUOTES = ("“”", "\"\"", "「」", "『』", "‘’", "''")


def _negated(n: NormalisedText, start: int, s: int, e: int) -> bool:
    """Is the contact phrase at normalised `start` (original [s, e)) refused or only mentioned?

    Checked on the ORIGINAL text, whose punctuation still marks the clause: a negation word in the
    clause just before the phrase (平台规定不能加微信, 我们没有好评返现), a refusal right after it
    (加微信不行哦), quotation marks around it (您说的“加V”是指什么), or a scam warning in the
    message (任何自称客服加微信的都是骗子)."""
    t, orig = n.text, n.original
    # 要不要 / 能不能 / 可不可以 ask, they do not refuse: drop them before looking for a negation
    if NEGATIONS.search(_A_NOT_A.sub("", t[max(0, start - 5):start])) or t[start - 1:start] == "不":
        return True
    before = orig[max(0, s - 20):s]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    clause = _A_NOT_A.sub("", before[cut:])
    if _NEG_BEFORE.search(clause):
        return True
    after = orig[e:e + 8]
    m = _CLAUSE_END.search(after)
    if _NEG_AFTER.search(after[:m.start()] if m else after):
        return True
    if s and e < len(orig) and any(orig[s - 1] == q[0] and orig[e] == q[1] for q in _QUOTES):
        return True
    return bool(_WARNING.search(orig))


_NEG_BEFORE = re.compile(r"不会|没有|并没|从没|从不|没开|不要|不能|不可|不允许|禁止|谨防|不私下|不加|不走|不存在")
_A_NOT_A = re.compile(r"(.)不\1")


# 加 as the second character of a word (参加, 增加, 附加, 追加 …) is no adding: 参加微信活动
_NOT_ADDING = frozenset("参增附更追叠施外倍")


# Weak qr_lure phrases of the lexicon that name a review and nothing offered for it: not counted as a
# qr_lure cue. Pleading for five stars or a review screenshot with no benefit is harassment or ok, and
# with these counted the model read 五星五星 as a lure (out-of-fold errors of grouped CV, 2026-12-06
# evening); what makes a review a lure is the offer, counted by _review_rewards' review_offer cue.
_REVIEW_ONLY = frozenset({"好评", "五星", "晒图", "截图", "追评", "评价截图"})


def _lexicon_hits(n: NormalisedText, evidence: list, counts: dict) -> None:
    lex, safe = automata()
    t = n.text
    safe_spans = [(end - len(p) + 1, end + 1) for end, p in safe.iter(t)]
    counts["safe_phrase"] += len(safe_spans)
    qr_safe_ctx = bool(_QR_SAFE_CTX.search(t))
    pleas: list[tuple[int, int]] = []
    for end, (phrase, items) in lex.iter(t):
        start = end - len(phrase) + 1
        if safe_spans and any(a <= start and end < b for a, b in safe_spans):
            continue
        if phrase[0] == "加" and start and t[start - 1] in _NOT_ADDING:
            continue
        negated = None
        for lab, kind in items:
            if lab in ("diversion", "qr_lure"):
                if lab == "qr_lure" and qr_safe_ctx and phrase in _QR_CONTEXT_WORDS:
                    continue            # 二维码/扫码 on a tag or manual: anti-counterfeit, installation
                if negated is None:
                    s, e = n.span_to_original(start, end + 1)
                    negated = _negated(n, start, s, e)
                if negated:
                    counts["negated_contact"] += 1
                    continue
            if kind == PLEA:
                pleas.append((start, end + 1))
                counts[f"lexicon:{lab}:weak"] += 1
                continue
            if lab == "qr_lure" and kind != STRONG and phrase in _REVIEW_ONLY:
                continue            # a review word alone is no lure cue (see _REVIEW_ONLY)
            counts[f"lexicon:{lab}:{'strong' if kind == STRONG else 'weak'}"] += 1
            if kind == STRONG:
                s, e = n.span_to_original(start, end + 1)
                evidence.append(Evidence(lab, s, e, n.original[s:e], f"lexicon:{lab}"))
    if pleas:
        _repeated_pleas(n, pleas, evidence, counts)


_ASK_HINT = re.compile(r"手机|电话|联系方式|微信|qq")
_REVIEW_WORD = re.compile(r"好评|五星|评价|追评|晒图|带图|晒单|差评|中评|评论")
_AMOUNT = r"(?:\d+|[一二三四五六七八九十两]+)(?:元|块|毛)"
# a review, then within a few characters a reward verb, then money or a gift: 评价写上名字返现五元,
# 好评后返你10块话费, 带图评价的找客服领红包. Matched on the normalised text (no punctuation left).
_REVIEW_REWARD = re.compile(
    rf"(?:好评|五星|评价|追评|晒图|带图|晒单).{{0,10}}?(?:返现|返|送|领取|领)(?:你|您|给你)?.{{0,4}}?"
    rf"(?:红包|现金|话费|小样|礼品|礼物|赠品|{_AMOUNT})")
_PLATFORM_REWARD = re.compile(r"淘金币|积分|运费险|优惠券|店铺券")
# money or a gift for changing or deleting a review, either order: 删差评给你10元, 差评改了送你一双袜子,
# 给你转20块把差评删了 (DESIGN.md: a benefit for a review is qr_lure, whatever review it is about)
_CHANGE = r"(?:删|改|撤)(?:掉|了|除|销|成|一下|下)?.{0,3}?(?:差评|中评|评价|追评|评论|好评)|(?:差评|中评|评价|追评|评论).{0,4}?(?:删|改|撤)"
_GIFT = (rf"(?:给|返|送|补|转|发|退)(?:你|您|给你|给您)?(?:个|一个|一下)?.{{0,5}}?"
         rf"(?:红包|现金|话费|小样|礼品|礼物|赠品|全款|钱|{_AMOUNT}|\d+(?:元|块)?)")
_CHANGE_REWARD = re.compile(rf"(?:{_CHANGE}).{{0,12}}?{_GIFT}|{_GIFT}.{{0,10}}?(?:{_CHANGE})")
_WITHHELD = re.compile(r"不处理|拿不到|追回|不给|别想|休想|拖着|退回来|扣我|扣了|罚")


# A weak cue (a feature, never a flag): a review in the message and something offered with it, in words the
# strong rule does not take as proof (免费换, 赔您, 八折, 请你吃饭, 运费我们包, 积分, 抽奖 …). Read from the
# out-of-fold qr_lure misses of grouped CV (2026-12-06 evening): offers for changing a review in these words
# scored low, while pleading for five stars with no offer scored high on the review words alone.
_OFFER_WORD = re.compile(r"免费|赔[你您]|赔偿|补偿|请[你您](?:吃|喝)|[一二三四五六七八九\d]折|打折|对折|包邮|运费|积分|"
                         r"抽奖|送|寄|返|红包|钱|礼|券|换(?:新|一)|退[你您]|差价|立减|优惠|福利|惊喜|话费|会员")
# not an offer: delivery (送货, 送到, 送快递, 寄信), a benefit already given and cited to press (钱都给你了,
# 已经给你退了, 给你补偿还不改, 骗了补偿, 白送, 退给我), the seller's own loss (让我赔钱), or no such thing
# offered at all (不做好评返现, 和评价无关, 冒充我们)
_NOT_OFFERED = re.compile(r"送(?:货|到|达|快递|过去了)|寄信|都给|已经给|给[你您]补偿还|补偿还|骗了|白送|白给|退给我|"
                          r"赔钱|不做|没有|不搞|无关|不参与|不是我们|冒充|别相信|不要扫")


def _review_rewards(n: NormalisedText, evidence: list, counts: dict) -> None:
    """Money or gifts for a review, whatever the wording (rule `review_reward`, counted with the
    strong qr_lure phrases): the lexicon cannot list every amount."""
    t = n.text
    if _OFFER_WORD.search(t) and not _WITHHELD.search(t) and not _NOT_OFFERED.search(t):
        counts["lexicon:qr_lure:weak"] += 1           # review_offer: a review and an offer (see _OFFER_WORD)
    matches = list(_REVIEW_REWARD.finditer(t))
    if not matches and not _WITHHELD.search(t):
        matches = list(_CHANGE_REWARD.finditer(t))
    for m in matches:
        if _PLATFORM_REWARD.search(m.group(0)):
            continue
        s, e = n.span_to_original(*m.span())
        if any(ev.label == "qr_lure" and ev.start < e and s < ev.end for ev in evidence):
            continue                              # a lexicon phrase already says it (好评返现五元)
        if _negated(n, m.start(), s, e):
            counts["negated_contact"] += 1
            continue
        counts["lexicon:qr_lure:strong"] += 1
        evidence.append(Evidence("qr_lure", s, e, n.original[s:e], "review_reward"))


# a contact app named right after a contacting verb: 联系qq, 详询…qq, 加人事qq, 关注官方微信, 添加电信qq客服.
# The lexicon lists set phrases (加qq, qq联系); this catches the words people put in between.
# Paying, red packets, logging in or chatting about the app itself are no contact (微信支付 …).
# Advertising shorthand names the app right after a word of asking for details or signing up (详情qq,
# 报名qq, 请qq验证): qq after any of them, 微信 only after 详情/报名/应聘, because 请用微信扫码 (an
# anti-counterfeit check) and 找微信客服 are ordinary service.
_CONTACT_CUE = re.compile(
    r"(?:(?:联系|咨询|详询|添加|加入|请加|关注)(?:[^不没]{0,6}?)|(?<![参增附更追叠施外倍])加(?:[^不没]{0,4}?))"
    r"(?:qq|微信)(?!支付|付|红包|钱包|零钱|绑定|登录|登陆|版本|聊天|运动|小程序|卡包)"
    r"|(?:详情|报名|验证|应聘|了解|请|添|找)[^没不无]{0,2}?qq(?!软件|音乐|空间|浏览器|钱包|游戏|版本|登录|登陆|会员|秀|输入法|影音|聊天|客户端|程序|app)"
    r"|(?:详情|报名|应聘)[^没不无]{0,2}?微信(?!支付|付|红包|钱包|零钱|绑定|登录|登陆|版本|聊天|运动|小程序|群|扫)")


def _contact_cues(n: NormalisedText, evidence: list, counts: dict) -> None:
    """A contacting verb, a few characters, then qq or 微信 (rule `contact_cue`, counted with the
    strong diversion phrases)."""
    lex, _ = automata()
    for m in _CONTACT_CUE.finditer(n.text):
        last = len(m.group(0)) - 1
        if any(end == last and any(lab == "diversion" and kind == STRONG for lab, kind in items)
               for end, (_, items) in lex.iter(m.group(0))):
            continue                              # a lexicon phrase (加微信), counted there, refused or not
        s, e = n.span_to_original(*m.span())
        if any(ev.label == "diversion" and ev.start < e and s < ev.end for ev in evidence):
            continue                              # a lexicon phrase already says it (加微信)
        if _negated(n, m.start(), s, e):
            counts["negated_contact"] += 1
            continue
        counts["lexicon:diversion:strong"] += 1
        evidence.append(Evidence("diversion", s, e, n.original[s:e], "contact_cue"))


# a request for the buyer's own phone, WeChat or QQ (留下您的手机号, 私信提供您的QQ, 把微信号发我): in a
# Taobao chat staff asking for it to reach the buyer outside the chat is diversion (DESIGN.md). Not:
# confirming the number on the order (核对收货人手机号), the phone the order was placed with, an account
# bound to the order, or a request that is refused (不需要提供您的电话).
_ASK_CONTACT = re.compile(
    r"(?:(?:留下?|提供|告知|告诉|报|留个)(?:一下|下|个)?(?:给?我们?|给?客服)?(?:您|你)?|"
    r"(?:发|私信|发送|加)(?:一下|下)?(?:我们?|客服)?(?:您|你))(?:的)?"
    r"(?:手机号码?|手机联系方式|电话号码|电话|联系电话|联系方式|微信号?|qq号?)"
    r"|(?:您|你)的?(?:手机号码?|电话号码|联系电话|联系方式|微信号?|qq号?)(?:发|留|告诉|私信|提供)")
_ASK_NOT = re.compile(r"收货|收件|下单|订单上|注册|绑定|换绑|登录|验证码|骗|不需要|无需|不用")
# a number the buyer gave already (您报修时留的电话, 订购时留下的手机号, 所留电话, 是否有预留, 之前有提供):
# looking it up is not asking for a new contact
_ASK_GIVEN = re.compile(r"^(?:留下?|提供)的|^留下的")
_ASK_GIVEN_BEFORE = re.compile(r"所|预|时|之前|前期|已经?|有$")
_ASK_CONFIRM_BEFORE = re.compile(r"核对|确认|是否|[您你]$")   # 核对一下您的手机号, 您留的电话: on file
_ASK_CONFIRM_AFTER = re.compile(r"^.{0,12}?(?:是否正确|对吗|是吗|对不对|没错吧)")


def _ask_contact(n: NormalisedText, evidence: list, counts: dict) -> None:
    """Staff asking for the buyer's phone / WeChat / QQ (rule `ask_contact`, counted with the strong
    diversion phrases)."""
    t = n.text
    for m in _ASK_CONTACT.finditer(t):
        clause = t[max(0, m.start() - 8):m.end() + 8]
        before = t[max(0, m.start() - 6):m.start()]
        if _ASK_NOT.search(clause) or _ASK_CONFIRM_BEFORE.search(before) \
                or _ASK_CONFIRM_AFTER.search(t[m.end():m.end() + 12]) \
                or _ASK_GIVEN.search(m.group(0)) or _ASK_GIVEN_BEFORE.search(before[-2:]):
            continue
        s, e = n.span_to_original(*m.span())
        if any(ev.label == "diversion" and ev.start < e and s < ev.end for ev in evidence):
            continue
        if _negated(n, m.start(), s, e):
            counts["negated_contact"] += 1
            continue
        counts["lexicon:diversion:strong"] += 1
        evidence.append(Evidence("diversion", s, e, n.original[s:e], "ask_contact"))


def _repeated_pleas(n: NormalisedText, pleas: list, evidence: list, counts: dict) -> None:
    """求求你…拜托…: one plea is politeness, several (about a review) are pestering."""
    distinct: list[tuple[int, int]] = []
    for a, b in sorted(pleas, key=lambda p: (p[0], -p[1])):   # longest plea at each start
        if distinct and a < distinct[-1][1]:         # 求求 inside 求求你: one plea
            continue
        distinct.append((a, b))
    need = _PLEA_MIN_WITH_REVIEW if "评" in n.text else _PLEA_MIN
    if len(distinct) >= need:
        s, e = n.span_to_original(distinct[0][0], distinct[-1][1])
        counts["lexicon:harassment:strong"] += 1
        evidence.append(Evidence("harassment", s, e, n.original[s:e], "lexicon:harassment"))


def _phones_in(digits: str, groups: tuple[int, ...]) -> list[tuple[int, int]]:
    """Where in `digits` mobile numbers are: the whole run, or runs of its groups (two numbers
    written side by side: 13800138000/13900139000). Never splits inside a group."""
    if _PHONE.fullmatch(digits):
        return [(0, len(digits))]
    if len(groups) < 2:
        return []
    bounds = [0]
    for g in groups:
        bounds.append(bounds[-1] + g)
    found = []
    i = 0
    while i < len(bounds) - 1:
        for j in range(i + 1, len(bounds)):
            if _PHONE.fullmatch(digits, bounds[i], bounds[j]):
                found.append((bounds[i], bounds[j]))
                i = j
                break
        else:
            i += 1
    return found


def _read_back(n: NormalisedText, b: int, before: str) -> bool:
    """Is the number at normalised [.., b) read back as a question (…是13800138000吗)? Looks at the
    rest of its clause in the original text, at most 15 characters."""
    if not _READ_BACK_BEFORE.search(before) or re.search(r"加|打|拨|联系(?!电话|方式|人|号)|找我|call", before[-8:]):
        return False
    _, e = n.span_to_original(b - 1, b)
    return _asks_back(n.original[e:e + 15], _CLAUSE_END)


def _asks_back(rest: str, clause_end: re.Pattern) -> bool:
    """Does the clause that `rest` starts end as a question: a question mark, or 吗/对吧 … before its end?"""
    m = clause_end.search(rest)
    if m and rest[m.start()] in "?？":
        return True
    return bool(_READ_BACK_AFTER.search(rest[:m.start()] if m else rest))


_CLAUSE_END_NOT_DOMAIN = re.compile(r"[，,。!！?？;；~～\n]|\.(?![A-Za-z0-9])")   # HZ123@abc.gd is one value


def _read_back_clause(text: str, s: int, e: int) -> bool:
    """Does the clause around original [s, e) ask whether the buyer's own value is right: 您的/你的
    before it, a question mark or 吗 after it, no contacting verb?"""
    before = text[max(0, s - 25):s]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    before = before[cut:]
    if not re.search(r"您的|你的|您留的|你留的", before) or re.search(r"加|打|拨|找我|联系(?!电话|方式|人|号)", before):
        return False
    return _asks_back(text[e:e + 30], _CLAUSE_END_NOT_DOMAIN)


def _number_hits(n: NormalisedText, evidence: list, counts: dict) -> None:
    t = n.text
    for m in _DIGIT_RUN.finditer(t):
        a, b = m.span()
        digits = m.group(0)
        before, after = _window(t, a, b, 10, 4)
        letters = _TRAILING_LETTERS.search(before)
        if letters and letters.group(0) not in ("qq", "q", "tel", "v", "w"):
            continue                              # glued to letters: an ID (SF123…, kefu123…)
        if _TRACKING_CTX.search(before[-8:]):
            counts["long_number"] += 1
            continue
        if digits in _HOTLINES:
            continue                              # the platform's own lines (95188 …)
        if _SERVICE_LINE.fullmatch(digits):
            # a brand's 400/800 service line given to the buyer is diversion in a Taobao chat
            # (DESIGN.md), when a phone cue names it as a number to call
            if _PHONE_CUE.search(before[-8:] + "|" + after) or _HOTLINE_CUE.search(before):
                s, e = n.span_to_original(a, b)
                counts["landline"] += 1
                evidence.append(Evidence("diversion", s, e, n.original[s:e], "landline"))
            continue
        phones = _phones_in(digits, digit_groups(n, a, b))
        near = before[-8:] + "|" + after
        if phones:
            if _OWN_PHONE.search(before) or _EXAMPLE.search(before) or _read_back(n, b, before):
                continue
            for p0, p1 in phones:
                s, e = n.span_to_original(a + p0, a + p1)
                if s and n.original[s - 1] in "+＋" and digits[p0:p0 + 2] in ("86", "00"):
                    s -= 1                        # +86: the sign belongs to the number
                counts["phone_number"] += 1
                evidence.append(Evidence("diversion", s, e, n.original[s:e], "phone_number"))
            continue
        if len(digits) >= 12 and not _LANDLINE.fullmatch(digits):
            counts["long_number"] += 1            # tracking or order number
            continue
        s, e = n.span_to_original(a, b)
        if _LANDLINE.fullmatch(digits) and _PHONE_CUE.search(near):
            counts["landline"] += 1
            evidence.append(Evidence("diversion", s, e, n.original[s:e], "landline"))
        elif len(digits) <= 11 and digits[0] != "0" and (_QQ_CUE.search(near) or (_Q_RIGHT_BEFORE.search(before) and not _UNIT_AFTER.search(after))) \
                and not _PLATFORM_GROUP.search(before):
            counts["qq_number"] += 1
            evidence.append(Evidence("diversion", s, e, n.original[s:e], "qq_number"))
        elif 6 <= len(digits) <= 11 and "微信" in near:
            counts["wechat_id"] += 1
            evidence.append(Evidence("diversion", s, e, n.original[s:e], "wechat_id"))


_FULL_TO_ASCII = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


def _ascii_view(text: str) -> str:
    """Full-width letters/digits as ASCII, one character for one, so offsets stay valid."""
    return text if text.isascii() else text.translate(_FULL_TO_ASCII)


def _id_hits(n: NormalisedText, evidence: list, counts: dict) -> None:
    text = n.original
    view = _ascii_view(text)
    for m in _ID_RE.finditer(view):
        word = m.group(1)
        low = word.lower()
        if _ORDINARY_PREFIX.match(low) or _TRACKING_ID.match(word):
            continue                              # product names (iPhone15Pro), courier numbers
        s, e = m.span(1)
        a = bisect_left(n.offsets, s)            # first normalised character of the ID
        # the ten characters before the ID, searched in place so a cue's look-behind sees the
        # character before the window too (…orderid_1 | id… is no `id` cue)
        lo = max(0, a - 10)
        if low.startswith("wxid_"):
            pass
        elif _read_back_clause(text, s, e):
            continue                              # 请问您的宽带账号还是 HZ… 吗？: the buyer's own, read back
        elif _ID_MARK.search(word):
            if not _WECHAT_CUE.search(n.text, lo, a):
                continue
        elif len(word) < 8 or not _ID_CUE_STRONG.search(n.text, lo, a):
            continue                              # plain words need a WeChat cue right before them
        counts["wechat_id"] += 1
        evidence.append(Evidence("diversion", s, e, text[s:e], "wechat_id"))


# Each rule below runs only where a trigger is: a lexicon or safe phrase, qq/微信, an _ASK_HINT or
# _REVIEW_WORD word, a 5+ digit run (normalised text), an ID-like token (_ID_RE, original text). rule_rows
# skips the texts with none of them; a new rule, or a rule that starts looking at something else, needs
# its trigger added there too (_trigger_automaton, _norm_hits, _original_hits), or test_rules_one_pass fails.
@lru_cache(maxsize=200_000)
def _analyse(text: str) -> tuple[tuple[Evidence, ...], tuple[int, ...]]:
    counts = dict.fromkeys(RULE_NAMES, 0)
    evidence: list[Evidence] = []
    n = normalise_cached(text)
    if n.text:
        _lexicon_hits(n, evidence, counts)
        if "qq" in n.text or "微信" in n.text:
            _contact_cues(n, evidence, counts)
        if _ASK_HINT.search(n.text):
            _ask_contact(n, evidence, counts)
        if _REVIEW_WORD.search(n.text):
            _review_rewards(n, evidence, counts)
        _number_hits(n, evidence, counts)
        if _HAS_LETTER.search(text):
            _id_hits(n, evidence, counts)
    return tuple(_merge(evidence, text)), tuple(counts[name] for name in RULE_NAMES)


def _merge(evidence: list[Evidence], text: str) -> list[Evidence]:
    """Overlapping evidence of one label and rule becomes one span (加我薇信 + 薇信发你 → 加我薇信发你)."""
    if len(evidence) < 2:
        return evidence
    evidence = sorted(evidence, key=lambda e: (e.label, e.rule, e.start, e.end))
    merged: list[Evidence] = []
    for ev in evidence:
        last = merged[-1] if merged else None
        if last and last.label == ev.label and last.rule == ev.rule and ev.start < last.end:
            end = max(last.end, ev.end)
            merged[-1] = Evidence(last.label, last.start, end, text[last.start:end], last.rule)
        else:
            merged.append(ev)
    return sorted(merged, key=lambda e: (e.start, e.end, e.label))


def _as_text(text) -> str:
    return "" if text is None or (isinstance(text, float) and text != text) else str(text)


def find_evidence(text: str | None) -> list[Evidence]:
    """Every strong rule hit, with its span in the original text (text[start:end] == match)."""
    text = _as_text(text)
    if text in _NO_HITS:
        return []
    return list(_analyse(text)[0])


def rule_vector(text: str | None) -> list[float]:
    """One count per RULE_NAMES entry (capped at 3: a fourth hit says nothing new)."""
    text = _as_text(text)
    if text in _NO_HITS:
        return [0.0] * len(RULE_NAMES)
    return [float(min(c, 3)) for c in _analyse(text)[1]]


def rule_labels(evidence: Iterable[Evidence]) -> set[str]:
    """Labels the strong rules alone assert (every Evidence from find_evidence is strong)."""
    return {e.label for e in evidence}


# -- many texts at once ---------------------------------------------------------------------------------
# Two texts in three of real agent replies trip no rule at all: no lexicon or safe phrase, no qq/微信, no
# word that wakes the ask-contact or review-reward rules, no run of 5+ digits, no ID-like Latin token.
# For those `_analyse` returns no evidence and zero counts whatever its rules are, since each rule only
# looks where one of these triggers is. rule_rows finds the triggers of a whole batch in one pass per
# view: one Aho-Corasick automaton (every lexicon and safe phrase and the trigger words) and one digit
# regex over the batch's normalised texts joined, one ID regex over the original texts joined; a hit
# anywhere in a text sends that text through `_analyse` as before, the rest get the zero row. Joining
# cannot hide a hit (no trigger matches across the separator, and the ID regex treats it like the
# string's edge); a hit made of two texts' ends would only send both through `_analyse`.
# tests/test_rules_one_pass.py checks rule_rows and find_evidence against `_analyse` on the corpus, the
# eval texts and hand-written cases.

def _literal_words(pattern: re.Pattern) -> list[str]:
    """The words of a regex that is a plain alternation of literals (checked: a pattern with any regex
    syntax in it is refused, so a change to one of them cannot make the trigger automaton miss)."""
    words = pattern.pattern.split("|")
    if any(re.escape(w) != w or not w for w in words):
        raise ValueError(f"not a plain alternation of words: {pattern.pattern!r}")
    return words


@lru_cache(maxsize=1)
def _trigger_automaton():
    import ahocorasick

    lex, safe = automata()
    words = set(lex.keys()) | set(safe.keys()) | {"qq", "微信"}   # _lexicon_hits, _contact_cues
    words |= set(_literal_words(_ASK_HINT)) | set(_literal_words(_REVIEW_WORD))
    trigger = ahocorasick.Automaton()
    for w in words:
        trigger.add_word(w, len(w))
    trigger.make_automaton()
    return trigger


_NO_HITS: dict[str, None] = {}    # texts a batch found no trigger in (bounded: cleared when full)
_NO_HITS_MAX = 200_000


def _hit_texts(texts: list[str], norms: list[str]) -> np.ndarray:
    """Per text: does any rule trigger occur in it (True: analyse it)?"""
    return texts_with_hits(norms, _norm_hits) | texts_with_hits(texts, _original_hits)


def _norm_hits(joined: str) -> np.ndarray:
    """Start positions of the triggers found in the normalised view (any position inside a hit will do)."""
    starts = [end - size + 1 for end, size in _trigger_automaton().iter(joined)]
    starts += [m.start() for m in _DIGIT_RUN.finditer(joined)]
    return np.asarray(starts, dtype=np.int64)


def _widen(pattern: str) -> str:
    """An ASCII pattern that also matches the full-width forms _ascii_view folds (Ａ-Ｚ ａ-ｚ ０-９ ＿ －):
    matching it on a text is matching the pattern on the text's _ascii_view, without the translate."""
    return (pattern.replace(r"A-Za-z0-9_\-", r"A-Za-z0-9_\-Ａ-Ｚａ-ｚ０-９＿－")
            .replace("[A-Za-z]", "[A-Za-zＡ-Ｚａ-ｚ]")
            .replace("wxid_", "[wｗ][xｘ][iｉ][dｄ][_＿]"))


_ID_RE_WIDE = re.compile(_widen(_ID_RE.pattern))


def _original_hits(joined: str) -> np.ndarray:
    """Start positions of ID-like tokens in the original view (what _id_hits looks at)."""
    return np.asarray([m.start() for m in _ID_RE_WIDE.finditer(joined)], dtype=np.int64)


def rule_rows(texts: Sequence) -> np.ndarray:
    """(n, len(RULE_NAMES)) float64: rule_vector of each text, the batch's triggers found in one pass."""
    texts = [_as_text(t) for t in texts]
    out = np.zeros((len(texts), len(RULE_NAMES)), dtype=np.float64)
    if not texts:
        return out
    hit = _hit_texts(texts, [normalise_text(t) for t in texts])
    rows = np.flatnonzero(hit)
    if len(rows):
        counts = np.array([_analyse(texts[i])[1] for i in rows.tolist()], dtype=np.int64)
        out[rows] = np.minimum(counts, 3)
    if len(_NO_HITS) + len(texts) - len(rows) > _NO_HITS_MAX:
        _NO_HITS.clear()
    _NO_HITS.update(dict.fromkeys(t for t, h in zip(texts, hit.tolist()) if not h))
    return out


class RuleCounts:
    """rule_rows as a stateless transformer's transform and feature names. RuleFeatures (training,
    monitor.detect.estimators) and its inference stand-in (monitor.detect.standins) are both one, so
    a model predicts the same with either."""

    def transform(self, X: Sequence[str]):
        return sp.csr_matrix(rule_rows(list(X)))

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"rule={n}" for n in RULE_NAMES], dtype=object)


def __getattr__(name: str):
    # RuleFeatures, these rows as a scikit-learn transformer, is defined in monitor.detect.estimators so
    # that predicting, which needs this module, imports no scikit-learn; it keeps this module's name
    # (in pickled models too) and is imported from there on first use
    if name == "RuleFeatures":
        from .estimators import RuleFeatures

        return RuleFeatures
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
