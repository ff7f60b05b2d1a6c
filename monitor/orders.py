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
from .ingest.encoding import decode_bytes, is_xlsx

ORDER_HEADERS = {
    "order_id": ("订单编号", "订单号", "订单id", "主订单编号", "order_id"),
    "buyer": ("买家会员名", "买家昵称", "买家账号", "买家", "会员名", "buyer"),
    "amount": ("买家实际支付金额", "实付金额", "实际支付金额", "支付金额", "订单金额", "总金额", "amount"),
    "created": ("订单创建时间", "创建时间", "下单时间", "订单付款时间", "付款时间", "created"),
    "status": ("订单状态", "交易状态", "status"),
    "shop": ("店铺名称", "店铺", "店铺名", "shop"),
}
REQUIRED = ("order_id", "buyer", "created")
ORDER_COLUMNS = ["order_id", "buyer", "shop", "amount", "created", "status", "source"]
_SCI = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")


def _key(h) -> str:
    return "".join(str(h or "").split()).lower().lstrip("\ufeff")


_LOOKUP = {_key(n): field for field, names in ORDER_HEADERS.items() for n in names}


def clean_order_id(value) -> str | None:
    """Undo Excel's text tricks; None for an empty cell. Raises ValueError for lost digits."""
    if value is None:
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return None
        raise ValueError(f"order id {value!r} was stored as a number and lost digits")
    s = str(value).strip().strip("\t").strip()
    if s.startswith('="') and s.endswith('"'):
        s = s[2:-1]
    s = s.lstrip("'`").strip()
    if not s:
        return None
    if _SCI.match(s):
        raise ValueError(f"order id {s!r} is in scientific notation (Excel dropped its last digits)")
    return s


def _rows_from_file(path: Path) -> tuple[list, list[tuple[str, list]]]:
    data = path.read_bytes()
    if is_xlsx(data):
        import openpyxl
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            it = ws.iter_rows(values_only=True)
            header = list(next(it, []))
            # a long order id typed as a number comes back as int (exact) or float (digits lost)
            return header, [(f"{ws.title}!{i}", list(r)) for i, r in enumerate(it, start=2)]
        finally:
            wb.close()
    text, _ = decode_bytes(data, str(path))
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
    out = {c: [] for c in ORDER_COLUMNS}
    rejected: list[Rejection] = []

    def cell(row, f):
        i = cols.get(f)
        return row[i] if i is not None and i < len(row) else None

    for line, row in rows:
        if not any(c not in (None, "") for c in row):
            continue
        try:
            oid = clean_order_id(cell(row, "order_id") if not isinstance(cell(row, "order_id"), int)
                                 else str(cell(row, "order_id")))
            if oid is None:
                raise ValueError("no order id")
            created = pd.Timestamp(cell(row, "created"))
            if pd.isna(created):
                raise ValueError("no creation time")
            amount_raw = cell(row, "amount")
            amount = float(str(amount_raw).replace(",", "").replace("¥", "").strip()) if amount_raw not in (None, "") else np.nan
        except (ValueError, TypeError) as exc:
            rejected.append(Rejection(str(path), str(exc), line=line))
            continue
        out["order_id"].append(oid)
        out["buyer"].append(str(cell(row, "buyer") or "").strip())
        shop = cell(row, "shop")
        out["shop"].append(str(shop).strip() if shop not in (None, "") else None)
        out["amount"].append(amount)
        out["created"].append(created.tz_localize(None) if created.tzinfo else created)
        status = cell(row, "status")
        out["status"].append(str(status) if status is not None else None)
        out["source"].append(f"{path}:{line}")
    df = pd.DataFrame(out, columns=ORDER_COLUMNS)
    df["created"] = pd.to_datetime(df["created"]).astype("datetime64[s]")
    df["amount"] = df["amount"].astype(float)
    df.attrs["rejected"] = rejected
    return df


def link_orders(sessions: pd.DataFrame, messages: pd.DataFrame, orders: pd.DataFrame | None,
                config: Config) -> pd.DataFrame:
    """session_id -> order_id with `link` = text | buyer_time | consult."""
    if sessions.empty:
        return pd.DataFrame(columns=["session_id", "order_id", "link"])
    links = sessions[["session_id", "shop", "buyer", "start", "end"]].copy()
    # 1. an order id in the session's own messages (the latest one mentioned)
    with_id = messages[messages["order_id"].notna()]
    by_text = with_id.groupby("session_id")["order_id"].last() if not with_id.empty else pd.Series(dtype=object)
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
            window = cand["shop"].map(lambda s: config.for_shop(s).orders["link_window_hours"]).astype(float) * 3600
            mid = cand["start"] + (cand["end"] - cand["start"]) / 2
            cand["dist"] = (cand["created"] - mid).abs().dt.total_seconds()
            cand = cand[cand["dist"] <= window]
            if not cand.empty:
                best = cand.sort_values(["index", "dist"]).groupby("index").first()["cand"]
                links.loc[best.index, "order_id"] = best.values
                links.loc[best.index, "link"] = "buyer_time"
    # 3. a consultation of its own
    rest = links["order_id"].isna()
    links.loc[rest, "order_id"] = "consult:" + links.loc[rest, "session_id"]
    links.loc[rest, "link"] = "consult"
    return links[["session_id", "order_id", "link"]].reset_index(drop=True)
