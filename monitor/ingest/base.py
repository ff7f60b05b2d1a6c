"""What every reader shares: the raw rows it collects and their assembly into canonical messages."""

from __future__ import annotations

from collections import Counter
from operator import itemgetter
from dataclasses import dataclass, field
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Protocol

import numpy as np
import pandas as pd

from ..config import Config
from ..errors import InputError
from ..schema import conform
from .roles import RoleResolver, order_id_of, seller_shop

# Date and time as exporters write them: 2024-01-15 14:30:25, 2024/1/15 14:30, 2024.01.15 14:30:25,
# 2024年01月15日 14:30:25, ISO 2024-01-15T14:30:25(.123)(+08:00|Z). Minutes and seconds must have two
# digits, so a line cut off mid-time (`2024-01-15 10:0`) is rejected instead of read as 10:00.
_TEXT_TS_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+|\s*)(\d{1,2}):(\d{2})"
                         r"(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_EPOCH_RE = re.compile(r"^\d{10}(?:\d{3})?(?:\.\d+)?$")
_SERIAL_RE = re.compile(r"^\d{5}(?:\.\d+)?$")
_EXCEL_EPOCH = datetime(1899, 12, 30)


def parse_ts(value, path: str, line) -> datetime:
    """Parse one export timestamp; an unparseable one names the file, the line and the text.

    Accepted: a datetime (xlsx cells); epoch seconds (10 digits) or milliseconds (13 digits), which
    count from UTC and become Asia/Shanghai wall time; an Excel serial day number (a date cell saved
    as a plain number, 5 digits before the point), already Beijing time; text in the usual Chinese
    and ISO forms, which is Beijing time unless it names its own offset.
    """
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else _to_shanghai(pd.Timestamp(value))
    s = str(value).strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        s = repr(value) if isinstance(value, float) else str(value)
    if _EPOCH_RE.match(s):
        v = float(s)
        ts = pd.Timestamp(v, unit="ms" if v > 1e11 else "s", tz="UTC")
        return _to_shanghai(ts).replace(microsecond=0)
    if _SERIAL_RE.match(s):
        # round to the second: Excel stores times as binary fractions of a day
        return _EXCEL_EPOCH + timedelta(seconds=round(float(s) * 86400))
    m = _TEXT_TS_RE.match(s)
    if m:
        y, mo, d, h, mi, se, _frac, tz = m.groups()
        try:
            dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(se or 0))
        except ValueError:
            dt = None
        if dt is not None:
            if tz:   # an explicit offset (ISO text from an API): convert to Beijing wall time
                return _to_shanghai(pd.Timestamp(dt).tz_localize(_offset(tz)))
            return dt
    raise InputError(path, f"unparseable timestamp {s[:40]!r}", line=line)


def _offset(tz: str):
    from datetime import timezone
    if tz == "Z":
        return timezone.utc
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _to_shanghai(ts: pd.Timestamp) -> datetime:
    return ts.tz_convert("Asia/Shanghai").tz_localize(None).to_pydatetime()


@dataclass
class RawRows:
    """Columns collected by a reader, one entry per message, before roles and shop are settled."""

    sender: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    ts: list[datetime] = field(default_factory=list)
    line: list[str] = field(default_factory=list)           # "12" or "Sheet1!12"
    buyer: list[str | None] = field(default_factory=list)
    role_hint: list[str | None] = field(default_factory=list)
    shop: list[str | None] = field(default_factory=list)
    order_id: list[str | None] = field(default_factory=list)
    conversation: list[str | None] = field(default_factory=list)
    # a reader may collect `ts` as whole seconds since 1970-01-01 (naive) instead of datetimes:
    # building a datetime per message was a tenth of reading a big export
    ts_seconds: bool = False
    # what the reader had to assume, in plain words (parties from --shop/--buyer or the file name ...):
    # read_file puts them in df.attrs["assumptions"]
    assumptions: list[str] = field(default_factory=list)
    # what the layout is more precisely, for `--explain` (the page exporter's workbook, ...)
    layout_detail: str | None = None

    def add(self, *, sender: str, text: str, ts: datetime, line, buyer: str | None = None,
            role_hint: str | None = None, shop: str | None = None, order_id: str | None = None,
            conversation: str | None = None) -> None:
        self.sender.append(sender)
        self.text.append(text)
        self.ts.append(ts)
        self.line.append(str(line))
        self.buyer.append(buyer)
        self.role_hint.append(role_hint)
        self.shop.append(shop)
        self.order_id.append(order_id)
        self.conversation.append(conversation)

    def __len__(self) -> int:
        return len(self.text)


def file_shop(raw: RawRows, path: Path, shop_option: str | None) -> str:
    """The export's main shop: --shop; else its shop column / `店铺：` line; else the 店铺名 prefix of
    its sub-accounts (`店铺名:小美`, seller-side senders only: a buyer's nick never names the shop);
    else the file name (stem; for a zip member, the zip's)."""
    if shop_option:
        return shop_option
    named = Counter(s for s in raw.shop if s)
    if named:
        return named.most_common(1)[0][0]
    prefixes: dict = {}
    # each distinct (sender, role cell, buyer) once, in order of appearance
    for (sender, hint, buyer), n in Counter(zip(raw.sender, raw.role_hint, _thread_buyers(raw))).items():
        p = seller_shop(sender, hint, buyer)
        if p:
            prefixes[p] = prefixes.get(p, 0) + n
    if prefixes:
        return _most_common(prefixes)
    # a zip member (`batch.zip!tb_abc.json`) takes the archive's name: the member's is often the buyer's
    return Path(str(path).split("!", 1)[0]).stem


def _thread_buyers(raw: RawRows) -> list:
    """The buyer each row names (its buyer cell, else its conversation header), None where neither."""
    return [b if b is not None else c for b, c in zip(raw.buyer, raw.conversation)]


def _most_common(tally: dict):
    """Counter(tally).most_common(1)[0][0]: the first key with the highest count."""
    if len(tally) == 1:
        return next(iter(tally))
    return max(tally.items(), key=itemgetter(1))[0]


def conversation_shops(raw: RawRows, buyers: list[str], fallback: str) -> list[str]:
    """One shop per conversation (buyer, plus the shop column where there is one), so that an agency
    file mixing shops keeps them apart and every message of a thread carries the same shop: its shop
    column, else the 店铺名 prefix of its seller-side senders (never a buyer's nick: `竞品店:x` is a
    nick), else the file's shop."""
    keys = list(zip(buyers, raw.shop))
    prefix: dict = {}
    column: dict = {}
    # count each distinct (thread, sender, shop cell, role cell) once: a thread repeats its few
    # senders. Distinct tuples come in order of first appearance, so every tally sees its keys in the
    # order a pass over the rows would; _most_common breaks ties by that order, as Counter.most_common does.
    for (key, snd, col, hint), n in Counter(zip(keys, raw.sender, raw.shop, raw.role_hint)).items():
        if col:
            votes = column.get(key)
            if votes is None:
                column[key] = {col: n}
            else:
                votes[col] = votes.get(col, 0) + n
            continue        # the export names this row's shop: a sender's prefix does not override it
        p = seller_shop(snd, hint, key[0])
        if p:
            votes = prefix.get(key)
            if votes is None:
                prefix[key] = {p: n}
            else:
                votes[p] = votes.get(p, 0) + n
    chosen = {}
    for key in set(keys):
        votes = column.get(key) or prefix.get(key)
        chosen[key] = _most_common(votes) if votes else fallback
    return [chosen[k] for k in keys]


def _resolve_all(resolver: RoleResolver, senders: list, texts: list, hints: list) -> list[str]:
    """resolver.resolve for every row, once per distinct (sender, text, hint): chats repeat them."""
    cache: dict = {}
    out = []
    for key in zip(senders, texts, hints):
        try:
            role = cache.get(key)
            if role is None:
                role = cache[key] = resolver.resolve(*key)
        except TypeError:           # an unhashable cell
            role = resolver.resolve(*key)
        out.append(role)
    return out


def _order_ids(given: list, texts: list) -> list:
    """The order id column, else the one the text mentions (searched once per distinct text)."""
    found: dict = {}
    out = []
    for o, t in zip(given, texts):
        if not o:
            try:
                o = found[t]
            except KeyError:
                o = found[t] = order_id_of(t)
            except TypeError:       # an unhashable cell
                o = order_id_of(t)
        out.append(o)
    return out


# seconds since 1970 that datetime64[ns] holds (what the datetime path accepts)
_NS_RANGE = (-9_223_372_036, 9_223_372_036)
# the same range as datetimes, whole seconds inside it, to name in an error
_TS_FIRST, _TS_LAST = datetime(1677, 9, 22), datetime(2262, 4, 11)


def _ts_column(raw: RawRows, path: Path) -> pd.Series:
    """The send times as a datetime column. A time outside what pandas holds (a date header of 1500
    or 3000) is an InputError naming the file and the line of the first such message."""
    if raw.ts and raw.ts_seconds:
        secs = np.array(raw.ts, dtype=np.int64)
        outside = np.flatnonzero((secs < _NS_RANGE[0]) | (secs > _NS_RANGE[1]))
        if not len(outside):
            return pd.Series(secs.astype("datetime64[s]"))
        i = int(outside[0])
        _out_of_range(path, raw.line[i], datetime(1970, 1, 1) + timedelta(seconds=int(secs[i])))
    if not raw.ts:
        return pd.Series([], dtype="datetime64[ns]")
    try:
        return pd.to_datetime(pd.Series(raw.ts, dtype="datetime64[ns]"))
    except pd.errors.OutOfBoundsDatetime:
        # found only once it failed: no per-message check on the path every good file takes
        i = next(i for i, t in enumerate(raw.ts) if not (_TS_FIRST <= t.replace(tzinfo=None) <= _TS_LAST))
        _out_of_range(path, raw.line[i], raw.ts[i])


def _out_of_range(path: Path, line: str, when) -> None:
    # RawRows keeps lines as text (the `source` column's); InputError numbers them
    raise InputError(str(path), f"time {when} is outside the supported range "
                                f"({_TS_FIRST:%Y-%m-%d} to {_TS_LAST:%Y-%m-%d})",
                     line=int(line) if line.isdigit() else line)


def assemble(raw: RawRows, path: Path, *, shop: str | None, config: Config | None) -> pd.DataFrame:
    """Canonical messages from raw rows: shop, roles, buyers, conversation ids, order ids, sources."""
    the_shop = file_shop(raw, path, shop)
    resolver = RoleResolver(the_shop, config)
    roles = _resolve_all(resolver, raw.sender, raw.text, raw.role_hint)
    buyers = []
    current = None
    # Text layouts name the buyer only on the buyer's own messages: an agent's reply belongs to the
    # buyer of the conversation it sits in (explicit conversation header, else the latest buyer).
    pending: list[int] = []
    for i, (b, role, snd, conv) in enumerate(zip(raw.buyer, roles, raw.sender, raw.conversation)):
        if b:
            buyers.append(b)
            continue
        if conv:
            buyers.append(conv)
            continue
        if role == "buyer":
            current = snd
            for j in pending:
                buyers[j] = current
            pending.clear()
            buyers.append(current)
        else:
            buyers.append(current)
            if current is None:
                pending.append(i)
    buyers = [b if b else "(未知买家)" for b in buyers]
    shops = [shop] * len(buyers) if shop else conversation_shops(raw, buyers, the_shop)
    # An agency file can mix shops: rows of another shop get that shop's agents and auto-reply lists.
    others: dict[str, RoleResolver] = {}
    for i, sh in enumerate(shops):
        if sh != the_shop:
            res = others.get(sh) or others.setdefault(sh, RoleResolver(sh, config))
            roles[i] = res.resolve(raw.sender[i], raw.text[i], raw.role_hint[i])
    src = str(path)
    df = pd.DataFrame({
        "shop": shops,
        "conversation_id": [f"{s}|{b}" for s, b in zip(shops, buyers)],
        "buyer": buyers,
        "sender": raw.sender,
        "role": roles,
        "ts": _ts_column(raw, path),
        "text": raw.text,
        "order_id": _order_ids(raw.order_id, raw.text),
        "source": [f"{src}:{ln}" for ln in raw.line],
    })
    return conform(df)


class Reader(Protocol):
    name: str

    def sniff(self, text_head: str) -> bool: ...

    def read(self, text: str, path: Path, *, columns: dict | None) -> RawRows: ...


READERS: dict[str, "Reader"] = {}


def register(reader_cls: Callable) -> Callable:
    inst = reader_cls()
    READERS[inst.name] = inst
    return reader_cls
