"""The Taobao/Tmall orders export, and linking chat sessions to orders.

Orders: csv or xlsx with Chinese headers (订单编号, 买家会员名, 买家实际支付金额, 订单创建时间, 订单状态 and
their usual variants), GBK/GB18030 or UTF-8. Excel mangles long order ids: `="123…"`, a leading tab
or quote are undone; scientific notation (1.23457E+17) has lost digits for good, so such a row is
left out and reported (file, line, reason) instead of being linked to the wrong order.

Linking, per session: an order id written in the session's messages (order cards, "订单号：…") first;
else the same buyer's order created closest to the session within `link_window_hours`; else the
session is a consultation of its own, order_id `consult:<session_id>`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .config import Config
from .errors import InputError, Rejection
from .csv_safety import allow_long_fields
from .ingest.encoding import decode_bytes, is_xlsx
from .ingest.limits import limits_of, read_bytes
from .ingest.xlsx_guard import open_workbook

ORDER_HEADERS = {
    "order_id": ("订单编号", "订单号", "订单id", "主订单编号", "order_id"),
    "buyer": ("买家会员名", "买家昵称", "买家账号", "买家", "会员名", "buyer"),
    "amount": ("买家实际支付金额", "实付金额", "实际支付金额", "支付金额", "订单金额", "总金额", "amount"),
    "created": ("订单创建时间", "创建时间", "下单时间", "订单付款时间", "付款时间", "created"),
    "status": ("订单状态", "交易状态", "status"),
    "shop": ("店铺名称", "店铺", "店铺名", "shop"),
    # the columns that settle a promise (monitor/promises/check.py), read only when the export has them.
    # Taobao's order report (卖家中心 → 已卖出的宝贝 → 批量导出, ExportOrderList*.csv) carries 订单状态 and
    # 订单付款时间 in every version seen; newer versions add 退款金额, 确认收货时间 and 发货时间; the item
    # report (ExportOrderDetailList*.csv) carries 退款状态 and 退款金额 per item (README: "The orders
    # export" cites the scripts these lists come from).
    "shipped": ("发货时间", "卖家发货时间", "物流发货时间", "shipped"),
    "confirmed": ("确认收货时间", "交易成功时间", "收货时间", "confirmed"),
    "refund_amount": ("退款金额", "卖家实退金额", "退款金额(元)", "refund_amount"),
    "refund_status": ("退款状态", "售后状态", "退款/售后状态", "refund_status"),
}
# optional columns kept only when the export has them (a missing column is "not known", never "not done")
PROMISE_FIELDS = ("shipped", "confirmed", "refund_amount", "refund_status")
REQUIRED = ("order_id", "buyer", "created")
ORDER_COLUMNS = ["order_id", "buyer", "shop", "amount", "created", "status", "source"]
_SCI = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")


def _key(h) -> str:
    # "买家实际支付金额（元）" and "订单编号 " are the same columns as without the unit or the space
    k = "".join(str(h or "").split()).lower().lstrip("\ufeff")
    for unit in ("(元)", "（元）"):
        k = k.removesuffix(unit)
    return k


_LOOKUP = {_key(n): field for field, names in ORDER_HEADERS.items() for n in names}


def clean_order_id(value) -> str | None:
    """Undo Excel's text tricks; None for an empty cell. Raises ValueError for lost digits."""
    if value is None:
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return None
        # a float holds every integer below 2**53 exactly; Taobao's 18-19 digit ids are far above it
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        raise ValueError(f"order id {value!r} was stored as a number and lost digits")
    if isinstance(value, int):
        return str(value)
    s = str(value).strip().strip("\t").strip()
    if s.startswith('="') and s.endswith('"'):
        s = s[2:-1]
    s = s.lstrip("'`").strip()
    if not s:
        return None
    if _SCI.match(s):
        raise ValueError(f"order id {s!r} is in scientific notation (Excel dropped its last digits)")
    return s


def parse_created(value) -> pd.Timestamp:
    """A creation time from text, a datetime cell or an Excel serial day number (45618.42)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 20_000 < value < 100_000:        # 1954..2173: anything else is not a date
            raise ValueError(f"creation time {value!r} is not a date")
        return (pd.Timestamp("1899-12-30") + pd.to_timedelta(float(value), unit="D")).round("s")
    try:
        ts = pd.Timestamp(str(value).strip()) if isinstance(value, str) else pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"creation time {value!r} is not a date") from None
    if pd.isna(ts):
        raise ValueError("no creation time")
    return ts.tz_localize(None) if ts.tzinfo else ts


def parse_amount(value) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return np.nan
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).replace(",", "").replace("¥", "").replace("￥", "").replace("元", "").strip()
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"amount {value!r} is not a number") from None


def _optional_time(value):
    """A time cell of an optional column: NaT when empty or unreadable (an unreadable shipping time
    is "not known", and nothing is called broken without evidence)."""
    if value is None:
        return pd.NaT
    try:
        return parse_created(value)
    except ValueError:
        return pd.NaT


def _optional_amount(value) -> float:
    try:
        return parse_amount(value)
    except ValueError:
        return np.nan


def _fill_formula_text(data: bytes, rows: list[tuple[str, list]]) -> None:
    """Cells written as ="123…" by a tool that saved no computed value read as None; take the formula.

    clean_order_id() then undoes the ="…" wrapper, the same way as in a csv.
    """
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        formulas = wb.worksheets[0].iter_rows(min_row=2, values_only=True)
        for (_, row), raw in zip(rows, formulas):
            for j, v in enumerate(raw):
                if j < len(row) and row[j] is None and isinstance(v, str) and v.startswith('="'):
                    row[j] = v
    finally:
        wb.close()


def _rows_from_file(path: Path) -> tuple[list, list[tuple[str, list]]]:
    # a regular file within [limits] (defaults), an xlsx only once its cost is checked (issue 18)
    data = read_bytes(path, limits_of(None))
    if is_xlsx(data):
        wb = open_workbook(data, path)
        try:
            ws = wb.worksheets[0]
            it = ws.iter_rows(values_only=True)
            header = list(next(it, []))
            # Excel keeps numbers as doubles (15 significant digits): a long order id typed as a number
            # comes back as a float and is rejected by clean_order_id unless it is short enough to be exact
            rows = [(f"{ws.title}!{i}", list(r)) for i, r in enumerate(it, start=2)]
        finally:
            wb.close()
        if any(v is None for _, r in rows for v in r):
            _fill_formula_text(data, rows)
        return header, rows
    text, _ = decode_bytes(data, str(path))
    allow_long_fields()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader, [])
    rows = []
    start = reader.line_num + 1
    for row in reader:
        rows.append((str(start), row))
        start = reader.line_num + 1
    return header, rows


def read_orders(path) -> pd.DataFrame:
    """Orders as order_id, buyer, shop, amount, created, status, source.

    Rows that cannot be used are left out and listed in `df.attrs["rejected"]` (Rejection objects).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "orders file not found")
    header, rows = _rows_from_file(path)
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        f = _LOOKUP.get(_key(h))
        if f and f not in cols:
            cols[f] = i
    missing = [f for f in REQUIRED if f not in cols]
    if missing:
        raise InputError(str(path), f"orders export lacks {', '.join(ORDER_HEADERS[f][0] for f in missing)}; "
                                    f"columns found: {', '.join(map(str, header[:15]))}", line=1)
    extra = [f for f in PROMISE_FIELDS if f in cols]
    out = {c: [] for c in [*ORDER_COLUMNS, *extra]}
    rejected: list[Rejection] = []

    def cell(row, f):
        i = cols.get(f)
        return row[i] if i is not None and i < len(row) else None

    for line, row in rows:
        if not any(c not in (None, "") for c in row):
            continue
        try:
            oid = clean_order_id(cell(row, "order_id"))
            if oid is None:
                raise ValueError("no order id")
            if cell(row, "created") in (None, ""):
                raise ValueError("no creation time")
            created = parse_created(cell(row, "created"))
            amount = parse_amount(cell(row, "amount"))
        except (ValueError, TypeError) as exc:
            rejected.append(Rejection(str(path), str(exc), line=line))
            continue
        out["order_id"].append(oid)
        out["buyer"].append(str(cell(row, "buyer") or "").strip())
        shop = cell(row, "shop")
        out["shop"].append(str(shop).strip() if shop not in (None, "") else None)
        out["amount"].append(amount)
        out["created"].append(created)
        status = cell(row, "status")
        out["status"].append(str(status) if status is not None else None)
        out["source"].append(f"{path}:{line}")
        for f in extra:
            value = cell(row, f)
            out[f].append(None if value is None or (isinstance(value, str) and not value.strip()) else value)
    df = pd.DataFrame(out, columns=[*ORDER_COLUMNS, *extra])
    df["created"] = pd.to_datetime(df["created"]).astype("datetime64[s]")
    for f in ("shipped", "confirmed"):
        if f in df:
            df[f] = df[f].map(_optional_time).astype("datetime64[s]")
    if "refund_amount" in df:
        df["refund_amount"] = df["refund_amount"].map(_optional_amount).astype(float)
    if "refund_status" in df:
        df["refund_status"] = df["refund_status"].map(lambda v: None if v is None else str(v).strip())
    df["amount"] = df["amount"].astype(float)
    df.attrs["rejected"] = rejected
    return df


# words that make a chat about a review (a buyer's or the seller's), whatever was flagged
REVIEW_WORDS = re.compile(r"差评|中评|好评|追评|晒图|评价|评论|改评|删评|五星|5星")
REVIEW_LABELS = ("harassment", "qr_lure")


def review_sessions(messages: pd.DataFrame) -> set:
    """Sessions about a review: a harassment or qr_lure flag, or review words in any message."""
    if messages.empty or "session_id" not in messages:
        return set()
    hit = messages["text"].astype(str).str.contains(REVIEW_WORDS, na=False)
    if "labels" in messages:
        labels = messages["labels"].astype(str)
        for lab in REVIEW_LABELS:
            hit |= labels.str.contains(lab, regex=False, na=False)
    return set(messages.loc[hit, "session_id"].dropna())


def link_orders(sessions: pd.DataFrame, messages: pd.DataFrame, orders: pd.DataFrame | None,
                config: Config) -> pd.DataFrame:
    """session_id -> order_id, with `link` saying how: 'text' | 'buyer_time' | 'consult'.

    1. 'text': an order id in the session's messages (`order_id` column). An id the export knows wins
       over one it does not (a tracking number read as an order id); among equals the last mentioned.
       An id unknown to the export is still an order (the export may cover other days).
    2. 'buyer_time': the same buyer's order (same shop, when the export names shops) created closest to
       the session, at most `link_window_hours` away; distance is 0 when the order was created during
       the session, else the distance to the session's nearer end. A review-related session (a
       harassment or qr_lure flag, or review words: 差评, 好评, 追评, 晒图 …) comes days after the
       order, once the buyer has received it: it also reaches back to orders created up to
       `review_link_window_days` before it (the review period; see defaults.toml).
    3. 'consult': none of these; the session is a consultation of its own, order_id 'consult:<session_id>'.
    """
    if sessions.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ("session_id", "order_id", "link")})
    links = sessions[["session_id", "shop", "buyer", "start", "end"]].copy()
    known = set(orders["order_id"]) if orders is not None and not orders.empty else set()
    # 1. an order id in the session's own messages
    with_id = messages.loc[messages["order_id"].notna(), ["session_id", "order_id"]].copy()
    with_id["_known"] = with_id["order_id"].isin(known)
    with_id["_pos"] = np.arange(len(with_id))
    by_text = with_id.sort_values(["_known", "_pos"]).groupby("session_id")["order_id"].last()
    # object dtype: an all-missing column would be float and refuse the ids filled in below
    links["order_id"] = links["session_id"].map(by_text).astype(object)
    links["link"] = pd.Series(np.where(links["order_id"].notna(), "text", None), index=links.index, dtype=object)
    # 2. the same buyer's order created closest to the session, within the window
    if orders is not None and not orders.empty:
        todo = links[links["order_id"].isna()]
        if not todo.empty:
            cand = todo.reset_index().merge(orders[["order_id", "buyer", "shop", "created"]].rename(
                columns={"order_id": "cand", "shop": "order_shop"}), on="buyer")
            cand = cand[cand["order_shop"].isna() | (cand["order_shop"] == cand["shop"])]
            hours = {s: float(config.for_shop(s).orders["link_window_hours"]) for s in cand["shop"].unique()}
            days = {s: float(config.for_shop(s).orders.get("review_link_window_days", 0)) for s in cand["shop"].unique()}
            window = cand["shop"].map(hours).astype(float) * 3600
            # review chats reach back over the review period, to orders created before them only
            review = cand["session_id"].isin(review_sessions(messages)).to_numpy() & (cand["created"] <= cand["end"]).to_numpy()
            window = np.where(review, np.maximum(window, cand["shop"].map(days).astype(float) * 86400), window)
            before = (cand["start"] - cand["created"]).dt.total_seconds().clip(lower=0)
            after = (cand["created"] - cand["end"]).dt.total_seconds().clip(lower=0)
            cand["dist"] = before + after          # at most one of them is non-zero
            cand = cand[cand["dist"] <= window]
            if not cand.empty:
                best = cand.sort_values(["index", "dist", "created"], kind="stable").groupby("index").first()["cand"]
                links.loc[best.index, "order_id"] = best.values
                links.loc[best.index, "link"] = "buyer_time"
    # 3. a consultation of its own
    rest = links["order_id"].isna()
    links.loc[rest, "order_id"] = "consult:" + links.loc[rest, "session_id"]
    links.loc[rest, "link"] = "consult"
    return links[["session_id", "order_id", "link"]].reset_index(drop=True)
