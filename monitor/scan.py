"""The nightly job: read exports, flag seller messages, time replies, score, store, report.

run_scan() is what `chatmon scan` calls; each step is a function of its own module, so tests can call
any step alone. The order of side effects makes an interrupted scan harmless: reports are written
atomically file by file, the night is saved to history in one transaction, and summary.json, the
marker a scheduler looks at, is written last.

Memory is bounded by a batch of shops, not the night: a first pass reads every export once (each
fresh file is conformed, keyed and staged as a pickle in a temporary folder) and keeps 24 bytes per
message, enough for the night's date (the median message, duplicates removed). Then batches of whole
shops (about CHATMON_BATCH_MESSAGES messages) are classified, analysed, staged as parquet files
(store.stage_files: the rows the history will hold, not yet part of it) and rendered; shops whose
analysis meets (a file holding both, a shared conversation id or order id) share a batch, so every
table comes out as one pass over the whole night makes it. The night is saved at the end, in one
transaction that moves the staged files in (Store.save_night(staged_files=...)). Reports of a batch
are written before that commit.

Both passes run in worker processes (monitor/scan_workers.py; CHATMON_WORKERS, by default one per
core): exports and batches are independent, and the work is Python, which threads would not spread
over cores. The first pass's workers start before the model is loaded (it loads here meanwhile), the
second pass's are forked from this process once it holds the model. Every side effect on the history
stays in this process, in the order one process makes them.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .atomic import write_text
from .config import Config, load_config
from .detect.model_id import card_model_id, model_id
from .detect.types import LABELS
from .errors import ChatmonError, InputError, Rejection, UsageError
from .filehash import file_sha256  # noqa: F401 - scan's name for it (tests, bench)
from .gcpause import paused
from .ingest.limits import display_name, limits_of
from .schema import COLUMNS, conform, is_unreadable
from .shop_summary import shop_summary as _shop_summary
from .shopnight import ShopNight
from .staging import clean_stale, staging_folder
from .history_backup import Backup, InThread, damage_named, record_checked, start_backup
from .store import Store, jsonable_records, message_keys
from .scan_workers import Workers, as_if_known, read_export, scan_batch, worker_count
from .timing import sort_messages

# Roles whose messages are the seller's and so can break the rules (robots' canned texts included).
SELLER_ROLES = ("agent", "auto")
FLAG_COLUMNS = ["labels", *[f"p_{lab}" for lab in LABELS], "evidence"]


# Distinct seller texts whose flags a process keeps for its later batches (quick phrases and robot
# replies recur in every shop and batch). A flag is a function of the text alone for a given
# classifier, so a kept one is what classifying the text again gives. An entry (text, labels,
# evidence JSON, 4 floats) is well under 1 KB: the bound keeps a worker's cache under ~60 MB
# however varied a night's texts are.
FLAG_CACHE_TEXTS = 60_000
_FLAGS: dict = {"classifier": None, "texts": {}}


def _flag_cache(classifier) -> dict:
    """{text: (labels, evidence JSON, probabilities)} kept for `classifier` (emptied for another one,
    or for the same one given other thresholds: an operating point set on a loaded model)."""
    thresholds = repr(getattr(classifier, "thresholds", None))
    if _FLAGS["classifier"] is not classifier or _FLAGS.get("thresholds") != thresholds:
        _FLAGS["classifier"] = classifier
        _FLAGS["thresholds"] = thresholds
        _FLAGS["texts"] = {}
    return _FLAGS["texts"]


def _cut_note(text: str, max_chars: int | None) -> dict | None:
    """The evidence note of a message classified on its first max_chars characters only (an empty
    span, so no report highlights it), or None for a message short enough."""
    if max_chars is None or len(text) <= max_chars:
        return None
    return {"label": "note", "start": max_chars, "end": max_chars, "match": "",
            "rule": f"消息过长（{len(text):,} 字），只检查了前 {max_chars:,} 字"}


def flag_messages(messages: pd.DataFrame, classifier, progress: bool = False,
                  max_chars: int | None = None, context: bool = True) -> pd.DataFrame:
    """Add labels, p_<label> and evidence columns; only readable seller messages are classified.

    Each distinct text is classified once: service chats repeat greetings and quick phrases. A text
    longer than max_chars ([limits] message_chars) is classified on its first max_chars characters,
    with a note in its evidence; the message itself is kept whole. Then, with `context`, each seller
    message is read with its conversation (a contact split over several messages, the buyer's
    question it answers, a buyer's complaint of pestering).
    """
    out = messages.copy()
    n = len(out)
    labels = np.full(n, "", dtype=object)
    probs = {lab: np.full(n, np.nan) for lab in LABELS}
    evidence = np.full(n, "[]", dtype=object)
    text = out["text"].astype(str)
    seller = out["role"].isin(SELLER_ROLES).to_numpy()
    if seller.any():
        # every test below is a function of the text alone: run it once per distinct seller text
        rows = np.flatnonzero(seller)
        codes, texts = pd.factorize(text.to_numpy()[rows])
        readable = np.fromiter(((t.strip() != "") and not is_unreadable(t) for t in texts), dtype=bool,
                               count=len(texts))
        keep = readable[codes]
        rows, codes = rows[keep], codes[keep]
        if len(rows):
            # distinct texts in order of appearance (what pd.unique(text[mask]) lists)
            order_codes, uniques = pd.factorize(texts[codes])
            uniques = list(uniques)
            known = _flag_cache(classifier)
            new = [t for t in uniques if t not in known]
            if new:
                cut = max_chars is not None and any(len(t) > max_chars for t in new)
                # (one 10 MB message took 14 s and gigabytes to classify whole)
                results = classifier.classify([t[:max_chars] for t in new] if cut else new, progress=progress)
                room = FLAG_CACHE_TEXTS - len(known)
                fresh = {t: ("|".join(r.labels),
                             json.dumps([e.to_dict() for e in r.evidence] + ([n] if (n := _cut_note(t, max_chars)) else []),
                                        ensure_ascii=False),
                             tuple(float(r.scores.get(lab, np.nan)) for lab in LABELS))
                         for t, r in zip(new, results)}
                if room > 0:
                    known.update(fresh if len(fresh) <= room else dict(list(fresh.items())[:room]))
            else:
                fresh = {}
            flags = [known.get(t) or fresh[t] for t in uniques]
            lab_u = np.array([f[0] for f in flags], dtype=object)
            ev_u = np.array([f[1] for f in flags], dtype=object)
            p_all = np.array([f[2] for f in flags], dtype=float).reshape(len(flags), len(LABELS))
            labels[rows] = lab_u[order_codes]
            evidence[rows] = ev_u[order_codes]
            for j, lab in enumerate(LABELS):
                probs[lab][rows] = p_all[:, j][order_codes]
    # the same dtypes as columns set to "" / NaN / "[]" get (str, float64, str)
    out["labels"] = pd.Series(labels, index=out.index, dtype="str")
    for lab in LABELS:
        out[f"p_{lab}"] = probs[lab]
    out["evidence"] = pd.Series(evidence, index=out.index, dtype="str")
    if context and seller.any():
        # the conversation around each seller message (monitor.detect.context): applied per row after
        # the per-text flags above, so the kept flags stay a function of the text alone
        from .detect.context import apply_context
        out = apply_context(out, getattr(classifier, "thresholds", {}) or {})
    return out


# messages per batch of shops: a batch is read, classified, analysed, saved and rendered, then freed.
# 500k measured at 1M messages in one process: 50 s and 1.46 GB peak (250k: 55 s, 1.13 GB; whole
# night: 41 s, 2.35 GB).
BATCH_MESSAGES = 500_000
# the same in worker processes, where each worker holds a batch at once: a batch of 125k messages
# took about 350-450 MB above a worker's baseline at 5M messages (2 workers: 2.0 GB summed PSS at
# peak), so batches are smaller; small batches also keep the workers evenly busy to the end
WORKER_BATCH_MESSAGES = 80_000


def _batch_messages(default: int = BATCH_MESSAGES) -> int:
    try:
        return max(1, int(os.environ.get("CHATMON_BATCH_MESSAGES", "") or default))
    except ValueError:
        return default


# DuckDB's memory limit during a scan (CHATMON_DUCKDB_MEMORY, e.g. "1GB")
DUCKDB_MEMORY = "512MB"


# ... and while batches are still being scanned in the workers (their messages moving in meanwhile)
DUCKDB_MEMORY_WHILE_SCANNING = "128MB"


def _duckdb_memory(default: str = DUCKDB_MEMORY) -> str:
    """The limit the user chose (CHATMON_DUCKDB_MEMORY), else `default`."""
    value = os.environ.get("CHATMON_DUCKDB_MEMORY", "").strip() or default
    return value.replace("'", "")


@dataclass
class _Input:
    """One export file that holds messages: its shops, and where its messages wait for their batch."""
    sha256: str
    rows: int
    shops: list
    staged: Path | None = None          # fresh file: its conformed, keyed messages (pickle)
    reused: bool = False                # already scanned: its messages and flags come from the store


class _Shops:
    """Union-find over shops: shops that must be analysed in the same batch."""

    def __init__(self):
        self.parent: dict = {}

    def find(self, s):
        self.parent.setdefault(s, s)
        while self.parent[s] != s:
            self.parent[s] = self.parent[self.parent[s]]
            s = self.parent[s]
        return s

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _Night:
    """What the first pass keeps of every message: enough for the night's date and the batches.

    The night is the date of the median message over the whole night after duplicates are removed;
    a duplicate has the same msg_key (which hashes the time), so (key, time) pairs suffice, held as
    128 bits of the key and the time as an integer: 24 bytes a message, not the message.
    """

    def __init__(self, orders: pd.DataFrame | None = None):
        self.keys: list = []
        self.ts: list = []
        self.shops = _Shops()
        self.conv_shop: dict = {}
        self.order_shop: dict = {}
        self.buyer_shop: dict = {}
        self.shopless_buyers: set = set()
        if orders is not None and not orders.empty:
            self.shopless_buyers = set(orders.loc[orders["shop"].isna(), "buyer"].dropna().tolist())
        self.rows = 0
        self.file_nights: dict = {}     # report-nights: {file: its working night}, see file_night

    def file_night(self, path, ts) -> None:
        """Record the working night of one file's messages: the date of their median time, less
        NIGHT_ENDS_H hours (a night's export runs past midnight), for the one-night check."""
        if ts is not None and len(ts):
            median = pd.Timestamp(float(np.median(ts)), unit="s") - pd.Timedelta(hours=NIGHT_ENDS_H)
            self.file_nights[str(path)] = median.strftime("%Y-%m-%d")

    def add(self, df: pd.DataFrame, keys: pd.Series) -> list:
        """Record a file's messages (canonical columns); returns its shops."""
        from .scan_workers import night_part

        return self.merge(night_part(df, keys, self.shopless_buyers))

    def merge(self, part) -> list:
        """Record a file's messages, summarised by scan_workers.night_part; returns its shops."""
        self.rows += part.rows
        if part.rows:
            self.keys.append(part.keys)
            self.ts.append(part.ts)
        shops = part.shops
        for s in shops:
            self.shops.find(s)
            self.shops.union(shops[0], s)       # a file's shops are analysed together
        # Shops whose analysis meets must be in one batch, for the tables to come out as a whole-night
        # scan makes them: timing prefixes the shop to session ids where one conversation id occurs in
        # two shops; an order id mentioned in two shops, or an order without a shop whose buyer chats in
        # two shops, is one order linked from both (its buyer and link are its first session's).
        self._meet(part.conv_pairs, self.conv_shop)
        self._meet(part.order_pairs, self.order_shop)
        self._meet([(b, shop) for b, shop in part.buyer_pairs if b in self.shopless_buyers], self.buyer_shop)
        return shops

    def _meet(self, pairs: list, owner: dict) -> None:
        for c, s in pairs:
            other = owner.setdefault(c, s)
            if other != s:
                self.shops.union(other, s)

    def median_ts(self):
        """messages["ts"].astype("int64").median() over the distinct messages; None if there are none."""
        if not self.ts:
            return None
        keys = np.concatenate(self.keys)
        ts = np.concatenate(self.ts)
        dup = pd.DataFrame({"a": keys[:, 0], "b": keys[:, 1]}).duplicated().to_numpy()
        return pd.Series(ts[~dup]).median()


def _read_inputs(files: list, results: list, *, store: Store, model: str, echo, orders=None):
    """Merge the first pass over every export (scan_workers.read_export, one result per file, in the
    order the files were found); files already in the history (same sha256, same model) were not read
    again, their messages come from the store in their batch.

    Returns (inputs holding messages, files table, rejections, night statistics).
    """
    inputs, file_rows, rejected = [], [], []
    reused = 0
    night = _Night(orders)
    seen: dict[str, str] = {}
    known: dict = {}
    for path, res in zip(files, results):
        path = display_name(path)       # a file name that is not UTF-8 could not be stored or printed
        if "oserror" in res:
            rejected.append(Rejection(str(path), f"cannot read: {res['oserror']}"))
            continue
        sha = res["sha"]
        if sha in seen:
            echo(f"skipping {path}: same content as {seen[sha]}")
            if res.get("staged") is not None:
                Path(res["staged"]).unlink(missing_ok=True)
            continue
        seen[sha] = str(path)
        if res.get("explain"):
            echo(res["explain"])        # what the file was read as, one line (ingest/explain.py)
        if res.get("known"):
            echo(f"= {Path(path).name}: 已扫描过（内容相同），沿用历史记录 (already scanned)")
            known = known or store.scanned_files(model)
            file_rows.append({"sha256": sha, "path": str(path), **{k: known[sha][k] for k in ("rows", "reader", "encoding")},
                              "status": "ok", "reason": "already scanned (same content)", "model": model})
            reused += 1
            stored = store.file_messages([sha])
            if not stored.empty:
                night.file_night(path, pd.to_datetime(stored["ts"]).astype("datetime64[s]").astype("int64").to_numpy())
                shops = night.add(stored, stored["msg_key"])
                inputs.append(_Input(sha, len(stored), shops, reused=True))
            del stored
            continue
        if "rejection" in res:
            rejected.append(res["rejection"])
            file_rows.append({"sha256": sha, "path": str(path), "rows": 0, "reader": None, "encoding": None,
                              "status": "rejected", "reason": res["reason"], "model": model})
            continue
        file_rows.append({"sha256": sha, "path": str(path), "rows": res["rows"], "reader": res["reader"],
                          "encoding": res["encoding"], "status": "ok", "reason": None, "model": model})
        rejected += res.get("member_rejections", [])     # members of a zip that could not be read
        if res["rows"]:
            night.file_night(path, res["part"].ts)
            shops = night.merge(res["part"])
            inputs.append(_Input(sha, res["rows"], shops, staged=res["staged"]))
    if reused:
        echo(f"{reused} file(s) already scanned: their messages and flags come from the history")
    return inputs, pd.DataFrame(file_rows), rejected, night


def _batches(inputs: list, night: _Night, limit: int, workers: int = 1) -> list[list]:
    """Inputs in batches of whole shops (every file of a shop, every shop of a file in one batch), in
    the order of their first shop's name, at most `limit` messages each (unless one group of shops
    alone holds more).

    As many batches as `limit` asks, rounded up to a whole number per worker, of about equal size:
    the workers then end together. Filled to `limit` each, the night's last batch was scanned by one
    worker while the other waited (a 40k-message batch alone at the end of the 1M benchmark night,
    ~3 s of one idle core)."""
    groups: dict = {}
    for inp in inputs:
        groups.setdefault(night.shops.find(inp.shops[0]), []).append(inp)
    roots = sorted(groups)
    sizes = [sum(i.rows for i in groups[r]) for r in roots]
    total = sum(sizes)
    k = -(-max(total, 1) // limit)
    k = -(-k // workers) * workers
    target = total / k
    out, rows, at, done = [], 0, None, 0
    for root, n in zip(roots, sizes):
        # a group goes to the batch its middle message falls in: cuts near each k-th of the night
        b = min(k - 1, int((done + n / 2) // target)) if target else 0
        if b != at or rows + n > limit:
            out.append([])
            rows, at = 0, b
        out[-1].extend(groups[root])
        rows += n
        done += n
    # a batch's files in the order they were found, as one whole-night scan would concatenate them
    order = {id(i): j for j, i in enumerate(inputs)}
    return [sorted(b, key=lambda i: order[id(i)]) for b in out]


def _second_pass_order(sizes: list) -> list:
    """The order batches start in: one well above the typical size (a big shop alone) first, so no
    worker is left with it at the end; the rest in their order, so each batch's messages move into
    the history (in batch order) while the later ones still run, not all at the end."""
    typical = float(np.median(sizes)) if sizes else 0.0
    return sorted(range(len(sizes)), key=lambda i: (-sizes[i] if sizes[i] > 1.25 * typical else 0, i))


def split_by_shop(df: pd.DataFrame, shops) -> dict:
    """{shop: df[df["shop"] == shop]} for every shop, in one grouping pass (rows keep their order and index)."""
    if df.empty:
        return {s: df.iloc[0:0] for s in shops}
    groups = df.groupby("shop", sort=False).indices
    empty = df.iloc[0:0]
    return {s: (df.take(groups[s]) if s in groups else empty) for s in shops}


# ---- report-nights: which night a scan is (one night per scan) -------------------------------------

# a message before this hour belongs to the night before (a night's export runs a little past midnight)
NIGHT_ENDS_H = 6
_DATE_NAME = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")


def folder_night(path) -> str | None:
    """The date in the name of the nearest folder above `path` (or of `path` itself) named like a
    night, YYYY-MM-DD or YYYYMMDD (exports/2026-11-22/shop.txt -> 2026-11-22); None if none is."""
    for part in reversed(Path(path).parts):
        m = _DATE_NAME.match(part)
        if m:
            try:
                return datetime(int(m[1]), int(m[2]), int(m[3])).strftime("%Y-%m-%d")
            except ValueError:
                continue
    return None


def files_night(files: list) -> str | None:
    """The night the files were written in: the earliest modification time, less NIGHT_ENDS_H
    hours (a file written at 02:00 belongs to the night before); None without readable files."""
    times = []
    for f in files:
        try:
            times.append(Path(f).stat().st_mtime)
        except OSError:
            continue
    if not times:
        return None
    # local time, as the exports' own times are: the scanning box's clock is the shop's
    return (datetime.fromtimestamp(min(times)) - pd.Timedelta(hours=NIGHT_ENDS_H)).strftime("%Y-%m-%d")


def _checked_night(night: str) -> str:
    try:
        return datetime.strptime(night, "%Y-%m-%d").strftime("%Y-%m-%d")
    except ValueError:
        raise UsageError(f"--night {night!r} is not a date of the form YYYY-MM-DD") from None


def night_and_source(median_ts, night: str | None, *, folder: str | None = None,
                     files: list = ()) -> tuple[str, str]:
    """(the night, how it was found): --night; else the date of the median message; with no message
    read, the date in the export folder's name; else the files' dates. Never today's date silently:
    with none of these, a UsageError."""
    if night:
        return _checked_night(night), "--night"
    if median_ts is not None:
        # the day most of the chats happened: a night's export often runs a little past midnight
        return pd.Timestamp(median_ts, unit="s").strftime("%Y-%m-%d"), "messages"
    if folder:
        return folder, "folder"
    dated = files_night(files)
    if dated:
        return dated, "file dates"
    raise UsageError("no message could be read and no date is known for this night: "
                     "pass --night YYYY-MM-DD or put the exports in a folder named by date (exports/2026-11-22/)")


class SpansNights(Exception):
    """Raised by the first pass when the files of an undated scan hold different nights' chats:
    run_scan then scans each night's files in turn. files: {file: its working night}."""

    def __init__(self, files: dict):
        super().__init__(f"exports of {len(set(files.values()))} nights")
        self.files = files


def check_one_night(file_nights: dict) -> None:
    """SpansNights when the files of one scan hold different nights' chats (asked only without
    --night and without dated folders, which say which night each file belongs to)."""
    if len(set(file_nights.values())) > 1:
        raise SpansNights(dict(file_nights))


def analyse(messages: pd.DataFrame, config: Config, orders: pd.DataFrame | None):
    """Timing, order linking and scoring of flagged canonical messages (no I/O)."""
    from .score import score_exposure
    from .orders import link_orders
    from .timing import compute_latency, platform_metrics

    # ---- issue 19: the shop's own rules, then promises and pestering ----
    from .pestering import find_pestering
    from .promises.check import check_promises, find_promises
    from .shop_rules import apply_shop_rules

    messages = apply_shop_rules(messages, getattr(config, "rules", []))
    latency = compute_latency(messages, config)
    links = link_orders(latency.sessions, latency.messages, orders, config)
    promises = check_promises(find_promises(latency.messages, config), links, orders, latency.messages, config)
    pestering = find_pestering(latency.messages, config)
    exposure = score_exposure(latency.messages, latency, links, config, orders=orders, promises=promises,
                              pestering=pestering)
    # ---- end issue 19 ----
    metrics = pd.concat([
        platform_metrics(latency, by=["shop", "agent"]),
        platform_metrics(latency, by=["shop"]).assign(agent="(全店)"),
    ], ignore_index=True)
    return latency, exposure, metrics


def _progress(batches):
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return batches
    return tqdm(batches, desc="scanning shops", unit="batch", disable=len(batches) < 2, file=None)


def orders_for(orders: pd.DataFrame | None, messages: pd.DataFrame) -> pd.DataFrame | None:
    """The rows of the orders export that the analysis of `messages` can reach, in their order.

    Analysis looks orders up by the ids the messages mention and by the buyers who chat (link_orders),
    and takes an order's amount from the first row of its id (score); so the rows whose id is
    mentioned, or belongs to a row of a buyer who chats, give every batch what the whole export
    gives it, without each batch of a big night going over every order of the night.
    """
    if orders is None or orders.empty:
        return orders
    mine = orders["buyer"].isin(pd.unique(messages["buyer"]))
    ids = set(messages["order_id"].dropna()) | set(orders.loc[mine, "order_id"].dropna())
    return orders[mine | orders["order_id"].isin(ids)]


# the collector paused for the batch (monitor/gcpause.py): a batch allocates millions of small objects
# while the caches hold hundreds of thousands; the cycles it leaves are collected after it
@paused
def scan_batch_messages(batch_no: int, staged: list, stored: pd.DataFrame, the_night: str, *, classifier,
                        config: Config, orders_df, scanned_at, out_dir: Path, stage: Path,
                        prior_nights: Path | None, failures: dict | None = None) -> tuple[list, dict]:
    """Classify, analyse, stage and render one batch of whole shops.

    staged: the batch's fresh files' messages (conformed and keyed, in the order the files were found);
    stored: its already-scanned files' messages with their flags (Store.file_messages). The batch's
    history rows are written as parquet files under `stage` (store.stage_files) for the night's one
    transaction. Returns ([(shop, summary, history)], {table: staged file}): what the index page needs.
    """
    from .parallel import render_shops
    from .report import render_shop
    from .store import stage_files

    from .detect.caches import clear_text_caches

    clear_text_caches()     # the previous batch's texts: memory, not speed (monitor/detect/caches.py)
    fresh = pd.concat(staged, ignore_index=True) if staged else pd.DataFrame(columns=[*COLUMNS, "file_sha256"])
    del staged
    if not fresh.empty:
        fresh = flag_messages(fresh, classifier, progress=False, max_chars=limits_of(config).message_chars)
    keep = [*COLUMNS, "file_sha256", "msg_key", *FLAG_COLUMNS]
    if not stored.empty:
        stored = stored[[c for c in keep if c in stored.columns]]
        stored["ts"] = pd.to_datetime(stored["ts"]).astype("datetime64[s]")
    parts = [p[keep] for p in (fresh, stored) if not p.empty]
    messages = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=keep)
    # A file copied twice into the night's folder must not count its messages twice (a message
    # repeats only within its shop, and a shop's files are all in this batch).
    messages = sort_messages(messages.drop_duplicates("msg_key"))
    del fresh, stored, parts
    shops = sorted(messages["shop"].unique()) if not messages.empty else []

    latency, exposure, metrics = analyse(messages, config, orders_for(orders_df, messages))
    del messages
    shop_rows = {r["shop"]: r for r in exposure.shops.to_dict("records")} if not exposure.shops.empty else {}
    summaries = {s: _shop_summary(shop_rows.get(s, {})) for s in shops}
    # dicts (flagged, penalties, exposure_by_rule, issue 19's promises) are stored as JSON text
    nights = pd.DataFrame([{"shop": s, **{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v)
                                          for k, v in summaries[s].items()}} for s in shops])
    flagged_messages = latency.messages      # canonical + flags + file_sha256 + msg_key + session_id
    files, histories = stage_files(
        stage, batch_no, the_night, messages=flagged_messages,
        tables={"sessions": latency.sessions, "waits": latency.waits, "orders": exposure.orders,
                "agents": exposure.agents, "metrics": metrics,
                "promises": exposure.promises, "pestering": exposure.pestering},
        nights=nights if not nights.empty else pd.DataFrame(columns=["shop"]), scanned_at=scanned_at,
        prior_nights=prior_nights, history_of=shops)

    # one pass per table, not one boolean mask per shop and table
    parts = {name: split_by_shop(df, shops) for name, df in (
        ("messages", flagged_messages), ("sessions", latency.sessions), ("waits", latency.waits),
        ("orders", exposure.orders), ("agents", exposure.agents), ("metrics", metrics),
        ("promises", exposure.promises), ("pestering", exposure.pestering))}
    del flagged_messages, latency, exposure, metrics
    shop_nights = [ShopNight(shop=s, night=the_night, summary=summaries[s], history=histories[s],
                             failures=failures or {}, **{name: parts[name][s] for name in parts}) for s in shops]
    del parts
    render_shops(shop_nights, out_dir, render=render_shop, workers=1)    # this batch's process is one of the scan's workers
    return [(sn.shop, sn.summary, sn.history) for sn in shop_nights], files


def _return_freed_memory() -> None:
    """Hand memory freed by Python back to the system (glibc keeps it for reuse otherwise), so this
    process does not sit on the first pass's high-water mark while the workers scan."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):     # not glibc: nothing to do
        pass


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _first_pass(files: list, workers):
    """Start the first pass (scan_workers.read_export of every file, the largest first) and return at
    once; calling what it returns waits for the results, one per file in the order of `files`."""
    sizes = [_size(f) for f in files]
    return workers.start(read_export, list(enumerate(files)), order=np.argsort(sizes, kind="stable")[::-1])


def _scan_night(files: list, results: list, workers, *, store: Store, model: str, echo, orders_df, night,
                stage: Path, folder: str | None = None, expect_nights: int = 7, order_rejections=(),
                replace_night: bool = False, backup: Backup | None = None) -> tuple:
    """The first pass's results merged, the second pass and the night's one transaction; returns (the
    night, the index page's light ShopNights, rejections, files table, the shops that failed,
    report-nights' NightInfo). `backup`: the history's backup copy (start_backup), maybe still
    running: nothing is written to the history before it is whole."""
    # DuckDB buffers the night's final move up to its memory limit (80% of RAM by default): bound
    # it, spilling to the scan's temporary folder instead
    store.con.execute(f"SET memory_limit = '{_duckdb_memory()}'")
    store.con.execute(f"SET temp_directory = '{stage / 'duckdb'}'")
    inputs, files_table, rejected, stats = _read_inputs(files, results, store=store, model=model, echo=echo,
                                                        orders=orders_df)
    del results
    echo(f"read {stats.rows} messages from {len(files_table) - len(rejected)} file(s)"
         + (f", {len(rejected)} rejected" if rejected else ""))
    # the night is the date of the median message of the whole night (duplicates removed)
    the_night, source = night_and_source(stats.median_ts(), night, folder=folder, files=files)
    if not night and not folder:
        check_one_night(stats.file_nights)
    info = NightInfo(the_night, source, rows=stats.rows, shops=sorted(stats.shops.parent))
    # what every shop page of the night shows in red at the top (failed shops are known only at the end)
    failures = _failures_for_pages(store, the_night, info, [*rejected, *order_rejections], expect_nights)
    limit = _batch_messages() if workers.n == 1 else _batch_messages(WORKER_BATCH_MESSAGES)
    batches = _batches(inputs, stats, limit, workers.n)
    del stats
    _return_freed_memory()     # the night's statistics, while the workers hold their batches
    scanned_at = pd.Timestamp.now().floor("s")
    prior = None
    if store.con.execute("SELECT count(*) FROM nights WHERE night <> ? AND night <= ?",
                         [the_night, the_night]).fetchall()[0][0]:
        # the history's earlier nights, for each shop's trend chart (staged_history in the workers)
        prior = stage / "prior_nights.parquet"
        store.con.execute("COPY (SELECT * FROM nights WHERE night <> ? AND night <= ?) TO "
                          f"'{str(prior).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)", [the_night, the_night])
    tasks = []
    for k, batch in enumerate(batches):
        stored_path = None
        reused = [i.sha256 for i in batch if i.reused]
        if reused:      # workers cannot open the history: hand them what it holds of these files
            stored_path = stage / f"stored{k}.pkl"
            store.file_messages(reused).to_pickle(stored_path)
        shops_of = list(dict.fromkeys(s for i in batch for s in i.shops))
        tasks.append((k, [i.staged for i in batch if i.staged is not None], stored_path, the_night, scanned_at, prior,
                      shops_of, failures))
    sizes = [sum(i.rows for i in b) for b in batches]
    # Batches are analysed and rendered (reports written atomically file by file) in the workers and
    # staged as files; the night is saved once, at the end, in one transaction that moves them in:
    # a scan killed before leaves no partial night.
    try:
        # while the workers hold their batches, the messages moved in need little of DuckDB's
        # buffer (they are written to the file as they come): keep it small until the workers end
        # (a limit the user chose stays)
        store.con.execute(f"SET memory_limit = '{_duckdb_memory(DUCKDB_MEMORY_WHILE_SCANNING)}'")
        # Each batch's messages (most of what the history stores), sessions and waits move into the
        # night's one transaction as soon as it and every earlier batch are done, while the workers
        # scan the later ones, instead of all after the last batch (store.BATCH_TABLES; orders and
        # metrics, sorted across the night, at the end). It commits only at the end. While the
        # backup copy still runs (a history of weeks copies for longer than the first pass reads),
        # done batches wait with their staged files: the workers never wait for the copy.
        moving = _NightMoves(store, backup)
        done, failed = [], []
        for shop_rows, staged, failed_here in workers.imap(scan_batch, tasks, order=_second_pass_order(sizes)):
            moving.add(staged)
            done.append((shop_rows, {k: v for k, v in staged.items() if k != "messages"}))
            failed += failed_here
        moving.finish()
        files_table = _mark_failed_files(files_table, inputs, failed, echo)
        # the workers hold the heaps of their last batches: let them go before DuckDB fills its own
        workers.close()
        store.con.execute(f"SET memory_limit = '{_duckdb_memory()}'")
        index_nights = [ShopNight(shop=s, night=the_night, summary=summary, history=history, messages=_EMPTY,
                                  sessions=_EMPTY, waits=_EMPTY, orders=_EMPTY, agents=_EMPTY, metrics=_EMPTY)
                        for shops, _ in done for s, summary, history in shops]
        shops = sorted(sn.shop for sn in index_nights)
        moved = store.save_night(the_night, shops, files=files_table, messages=pd.DataFrame(), tables={},
                                 nights=pd.DataFrame(columns=["shop"]), staged_files=[f for _, f in done], begun=True,
                                 # a night nothing could be read from never wipes what the history holds
                                 whole_night=replace_night and not info.failed)
        for other, shop in moved:
            echo(f"night {other}, shop {shop}: its messages in these exports moved to {the_night}; its numbers "
                 f"for {other} were removed (scan {other}'s remaining exports again to recount them)")
    except BaseException:
        try:
            store.con.execute("ROLLBACK")
        except Exception:
            pass
        raise
    return the_night, index_nights, rejected, files_table, failed, info


class _NightMoves:
    """The night's transaction and its batch by batch moves (Store.begin_night, Store.move_batch),
    opened at the first move once the history's backup copy is whole: nothing writes to the history
    before (DuckDB writes a big insert's rows to the file before its commit)."""

    def __init__(self, store: Store, backup: Backup | None):
        self.store, self.backup = store, backup
        self.pending: list[dict] = []
        self.begun = False

    def add(self, staged: dict) -> None:
        self.pending.append(staged)
        if self.begun or self.backup is None or self.backup.done():
            self._move()

    def finish(self) -> None:
        """Move what waits (waiting for the backup copy if it still runs); the transaction is open."""
        self._move()

    def _move(self) -> None:
        if not self.begun:
            if self.backup is not None:
                # raises the copy's error, or HistoryDamaged: then nothing of the night is written
                self.backup.wait(self.store)
            # a scan killed earlier by an older chatmon may have left staging tables
            self.store.clear_stage()
            self.store.begin_night()
            self.begun = True
        for staged in self.pending:
            self.store.move_batch(staged)
        self.pending.clear()


def _mark_failed_files(files_table: pd.DataFrame, inputs: list, failed: list, echo) -> pd.DataFrame:
    """Files holding a failed shop's messages are recorded as failed, not ok, so the next scan reads
    them again instead of reusing messages the history never got."""
    if not failed:
        return files_table
    bad = {f["shop"] for f in failed}
    for f in failed:
        echo(f"shop {f['shop']} failed: {f['reason']} (the rest of the night goes on)")
    shas = {i.sha256 for i in inputs if bad & set(i.shops)}
    if files_table.empty:
        return files_table
    hit = files_table["sha256"].isin(shas)
    out = files_table.copy()
    out.loc[hit, "status"] = "failed"
    out.loc[hit, "reason"] = "a shop of this file failed: " + ", ".join(sorted(bad))
    return out


@dataclass
class NightInfo:
    """report-nights: what a scan learnt about its night (its date and how it was found, messages read)."""
    night: str
    source: str
    rows: int = 0
    shops: list | None = None

    @property
    def failed(self) -> bool:
        """A night with no readable input: nothing on its pages may read as a clean ¥0 night."""
        return self.rows == 0


def _rejection_dicts(rejected) -> list[dict]:
    return [{"file": r.file, "reason": (f"line {r.line}: " if r.line else "") + r.reason} for r in rejected]


def _failures_for_pages(store: Store, night: str, info: NightInfo, rejected, expect_nights: int) -> dict:
    """The night's failures as the shop pages rendered during the scan show them."""
    from .report.nights import expected_shops, night_failures

    held = [r[0] for r in store.con.execute("SELECT DISTINCT shop FROM nights WHERE night = ?", [night]).fetchall()]
    summary = {"status": "failed" if info.failed else "ok", "night_source": info.source,
               "rejected": _rejection_dicts(rejected), "failed_shops": []}
    return night_failures(summary, expected=expected_shops(store, night, expect_nights),
                          present=sorted(set(held) | set(info.shops or [])))


_EMPTY = pd.DataFrame()

# below this size (bytes) an orders export is read faster than a process forks
ORDERS_ASIDE_BYTES = 2_000_000


def _orders_aside(path):
    """A future of read_orders(path) in a forked process, or None to read it here (a small export,
    CHATMON_WORKERS=1, or no fork)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .orders import read_orders
    from .scan_workers import die_with_parent

    if (os.environ.get("CHATMON_WORKERS", "").strip() == "1" or _size(Path(path)) < ORDERS_ASIDE_BYTES
            or "fork" not in multiprocessing.get_all_start_methods()):
        return None
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent,
                               initargs=(os.getpid(),))
    future = pool.submit(read_orders, path)
    pool.shutdown(wait=False)       # the process ends once its one task is done
    return future


def _orders_result(future, path) -> pd.DataFrame:
    """The orders read aside; anything that went wrong there (a bad export's InputError does not
    cross processes intact) is read again here, so errors and rejections come out as they always did."""
    from .orders import read_orders

    if future is not None:
        try:
            return future.result()
        except Exception:
            pass
    try:
        return read_orders(path)
    except ChatmonError:
        raise
    except Exception as exc:        # noqa: BLE001 - a broken orders export is rejected, the chats still scanned
        from .scan_workers import failure_reason, machine_fault

        if machine_fault(exc):
            raise
        from .orders import ORDER_COLUMNS

        # what read_orders gives for an export without usable rows
        empty = pd.DataFrame({c: [] for c in ORDER_COLUMNS}, columns=ORDER_COLUMNS)
        empty["created"] = pd.to_datetime(empty["created"]).astype("datetime64[s]")
        empty["amount"] = empty["amount"].astype(float)
        empty.attrs["rejected"] = [Rejection(str(path), f"cannot be read: {failure_reason(exc)}")]
        return empty


def _orders_or_rejection(reading, orders, echo) -> tuple:
    """(the orders, their rejections): a bad orders export is a rejection like a bad chat export
    (README: exit 3, listed); the chats are still scanned, every session scored as a consultation
    of its own."""
    if not orders:
        return None, []
    try:
        orders_df = _orders_result(reading, orders)
    except InputError as exc:
        echo(f"orders export left out: {exc}")
        return None, [exc.to_rejection()]
    return orders_df, list(orders_df.attrs.get("rejected", []))


def run_scan(paths: list[str], *, orders: str | None = None, config_path: str | None = None,
             model_dir: str | None = None, shop: str | None = None, db_path: str | None = None,
             out_dir: Path = Path("out"), night: str | None = None, buyer: str | None = None,
             echo: Callable[[str], None] = print, classifier=None, columns=None, date=None,
             replace_night: bool = False) -> dict:
    """Scan exports into reports and history; returns the summary.json content.

    Exports in folders named by date (exports/2026-11-21/, exports/2026-11-22/) are scanned one night
    per folder, in date order (the summary returned is the last night's, its `rejected` every
    night's); without dated folders, files holding different nights' chats are split by each file's
    night the same way (check_one_night). --night scans everything as that one night.

    columns: a header mapping (as `ingest --columns`); date: the chats' date for exports holding only
    the time of day, else --night is (never the median of the other files: no silent guess).
    A re-scan of a night replaces exactly the shops it read (their changed exports' old messages
    go); the night's other shops stay. replace_night=True makes the scan the whole night: shops it
    did not read are removed from the night.
    """
    from .detect import load_model

    from .ingest import expand_paths

    config = load_config(config_path)       # a bad setting is refused before any export is looked at
    files = expand_paths(paths)
    groups = {None: files} if night else _by_folder_night(files)
    if len(groups) > 1 and None in groups:
        undated = groups[None]
        raise UsageError(f"{len(undated)} file(s) outside a folder named by date (e.g. {undated[0]}) among dated "
                         "folders: move them into their night's folder, or scan them alone with --night")
    if len(groups) <= 1:
        folder = next(iter(groups), None) if not night else None
        try:
            return _run_one_night(paths, files, orders=orders, config=config, model_dir=model_dir,
                                  shop=shop, buyer=buyer, db_path=db_path, out_dir=out_dir, night=night, echo=echo,
                                  classifier=classifier, folder=folder or _given_folder_night(paths),
                                  columns=columns, date=date, replace_night=replace_night)
        except SpansNights as spans:
            groups = _by_file_night(files, spans.files)
            how = "by the date of each file's messages"
    else:
        how = "by folder name"
    classifier = classifier or load_model(model_dir)
    echo(f"the exports hold {len(groups)} nights ({how}): {', '.join(sorted(groups))}; scanning each night in turn")
    summaries = []
    for one in sorted(groups):
        echo(f"night {one}: {len(groups[one])} file(s)")
        summaries.append(_run_one_night(paths, groups[one], orders=orders, config=config,
                                        model_dir=model_dir, shop=shop, buyer=buyer, db_path=db_path,
                                        out_dir=out_dir, night=None, echo=echo, classifier=classifier, folder=one,
                                        columns=columns, date=date, replace_night=replace_night))
    last = dict(summaries[-1])
    last["rejected"] = [r for s in summaries for r in s.get("rejected", [])]
    last["nights_scanned"] = [{"night": s["night"], "status": s.get("status"), "rejected": len(s.get("rejected", []))}
                              for s in summaries]
    return last


def _by_folder_night(files: list) -> dict:
    """{night named by the file's folder, or None: files}, files in the order found."""
    groups: dict = {}
    for f in files:
        groups.setdefault(folder_night(f), []).append(f)
    return groups


def _by_file_night(files: list, nights: dict) -> dict:
    """{night: files} from each file's working night; files without messages (rejected, empty) go
    with the night holding most files, so their rejection is listed once."""
    groups: dict = {}
    for f in files:
        if str(f) in nights:
            groups.setdefault(nights[str(f)], []).append(f)
    main = max(sorted(groups), key=lambda n: len(groups[n]))
    groups[main] += [f for f in files if str(f) not in nights]
    return groups


def _given_folder_night(paths) -> str | None:
    """The night named by the folder(s) given on the command line, when they agree (an empty
    exports/2026-11-22/ is still that night, a failed one)."""
    named = {folder_night(p) for p in paths}
    return named.pop() if len(named) == 1 else None


def _scanned_files(db: Path, model: str, date) -> set:
    """The files the history holds as scanned with `model`, which the first pass need not read again.
    With a date given (--date, or --night standing in for it), time-of-day-only exports take their
    dates from it: a file scanned before under another date must be read again, so none counts."""
    if date is not None:
        return set()
    with Store(db) as store:
        return set(store.scanned_files(model))


def _run_one_night(paths, files, *, orders, config: Config, model_dir, shop, buyer, db_path, out_dir, night, echo,
                   classifier, folder, columns=None, date=None, replace_night=False) -> dict:
    from .detect import load_model
    from .ingest import table
    from .ingest.dates import given_date
    from .orders import read_orders

    out_dir = Path(out_dir)
    date = given_date(date) or (given_date(night, "--night") if night else None)
    if columns is not None:
        try:
            columns = table.load_user_columns(columns)
        except InputError as exc:       # the user's mapping, not an export: a usage error
            raise UsageError(str(exc)) from None
    # a big orders export is read in a forked process while the first pass starts and this one loads
    # the model (each about a second at 1M messages)
    reading = _orders_aside(orders) if orders else None
    # The model's id from its card, when the card tells it: the first pass (which skips exports
    # already scanned with this model) then reads the exports while this process loads the model,
    # instead of one core waiting ~1.5 s for scikit-learn's imports and the unpickling first.
    model = model_id(classifier) if classifier is not None else card_model_id(model_dir)
    if model is None:
        classifier = load_model(model_dir)
        model = model_id(classifier)
    db = Path(db_path) if db_path else out_dir / "chatmon.duckdb"

    if not files and not (night or folder):
        classifier = classifier or load_model(model_dir)    # a broken model is said first, as ever
        raise UsageError("no export files found in " + ", ".join(map(str, paths)))
    # a damaged history is refused before anything is written to it, and only a checked one becomes
    # the backup (HISTORY.bak, the history before this night), copied while the first pass runs
    backup = start_backup(db)
    n_workers = worker_count(sum(_size(f) for f in files))

    # staged files and DuckDB's spills go next to the reports, not to /tmp (which may be memory)
    out_dir.mkdir(parents=True, exist_ok=True)
    clean_stale(out_dir, echo)         # what scans killed earlier left
    # (the history is read from here on while the backup copy may still be checking its bytes)
    with damage_named(backup), staging_folder(out_dir) as stage:
        known = _scanned_files(db, model, date)
        # The first pass's workers are forked before the model is loaded, the second pass's after,
        # from this process holding it (they share its pages); both before the history is opened
        # for the night: a worker must not inherit an open DuckDB database.
        readers = Workers(n_workers, {"known": known, "shop": shop, "buyer": buyer, "config": config,
                                      "columns": columns, "date": date, "orders_given": bool(orders),
                                      "stage": stage})
        workers = None
        try:
            try:
                first_pass = _first_pass(files, readers)
                classifier = classifier or load_model(model_dir)
                # (the report package is imported here, after the first pass has started)
                report_kw = _report_settings(config)
                orders_df, order_rejections = _orders_or_rejection(reading, orders, echo)
                # what classifying builds on first use (lookup tables, automata, evidence weights),
                # built once here for the workers to share, not once in each (a caller's stand-in
                # classifier may have nothing to build)
                if callable(getattr(classifier, "prepare", None)):
                    classifier.prepare()
                # Forked now, before the first pass's results arrive here (at 5M messages ~150 MB of
                # keys, times and id pairs): forked after, each worker would hold its own copy of the
                # pages its collector touches. The workers are handed the batch step itself:
                # scan_workers does not import this module.
                workers = Workers(n_workers, {"scan_batch_messages": scan_batch_messages, "config": config,
                                              "classifier": classifier, "orders": orders_df, "stage": stage,
                                              "out_dir": out_dir})
                results = first_pass()
                if model_id(classifier) != model:
                    # load_model gave another model than its card named (a caller's stand-in): the
                    # files already scanned are the loaded model's, as if known at the start
                    model = model_id(classifier)
                    results = as_if_known(results, files, _scanned_files(db, model, date), readers)
            finally:
                readers.close()
            # the backup copy goes on while the history is read; _scan_night waits for it before the
            # night's first write
            with Store(db) as store:
                nights_before = set(history_nights_of(store, out_dir))
                the_night, index_nights, rejected, files_table, failed, info = _scan_night(
                    files, results, workers, store=store, model=model, echo=echo, orders_df=orders_df,
                    night=night, stage=Path(stage), folder=folder, expect_nights=report_kw["expect_nights"],
                    order_rejections=order_rejections, replace_night=replace_night, backup=backup)
        finally:
            if workers is not None:
                workers.close()

    index_nights.sort(key=lambda sn: sn.shop)
    if info.failed:
        echo(f"night {the_night} FAILED: no message could be read ({len(rejected)} file(s) rejected)")
    base = {
        "night": the_night,
        "night_source": info.source,
        "status": "failed" if info.failed else "ok",
        "scanned_shops": [sn.shop for sn in index_nights],
        "rejected": _rejection_dicts([*rejected, *order_rejections]),
        "failed_shops": sorted(failed, key=lambda f: f["shop"]),
        "files": jsonable_records(files_table) if not files_table.empty else [],
        "model": model,
        "db": str(db),
    }
    # The committed, closed history's record (its digest, for the next scan's check) is taken in a
    # thread while the night's pages are written from it, opened read-only so its bytes stay the ones
    # hashed (the digest: 0.6 s on two cores at 28 nights, 1.7 GB, growing with the history).
    hashing = InThread(record_checked, db, name="chatmon-history-hash")
    try:
        with Store(db, read_only=True) as store:
            summary = write_night_pages(store, out_dir, base, scanned=[sn.shop for sn in index_nights],
                                        was_known=the_night in nights_before, echo=echo, **report_kw)
    finally:
        hashing.wait()
    echo(f"report: {out_dir / the_night / 'index.html'} (latest night: {out_dir / 'index.html'})")
    # the push to the team's group chat, if configured: after everything is written, never failing the scan
    from .notify import notify_scan
    notify_scan(summary, config.base.get("notify", {}), echo)
    return summary


def history_nights_of(store: Store, out_dir: Path) -> list:
    from .report.nights import history_nights

    return history_nights(store, out_dir)


def _report_settings(config: Config) -> dict:
    from .report import _overview_settings

    return _overview_settings(config)


def write_night_pages(store: Store, out_dir: Path, base: dict, *, scanned: list, was_known: bool,
                      echo=print, fleet_nights: int, expect_nights: int) -> dict:
    """report-nights: after a night is saved, its summary.json and overview from the history, the
    other nights' overviews it changes, later nights' pages of the re-scanned shops (their trend
    holds this night), and the landing page (the latest night's, whichever night this was).
    Returns the night's summary."""
    from .parallel import render_shops
    from .report import load_shop_night, render_shop
    from .report.nights import (expected_shops, night_failures, night_summary, refresh_nights, render_overview,
                                update_landing, write_night_summary)

    kw = {"fleet_nights": fleet_nights, "expect_nights": expect_nights}
    night = base["night"]
    summary = night_summary(store, night, base, expect_nights)
    write_night_summary(out_dir, summary)
    render_overview(store, out_dir, night, **kw)
    refresh_nights(store, out_dir, night, was_known=was_known, **kw)
    later = [n for n in store.nights() if n > night][:max(fleet_nights - 1, 0)]
    if later and scanned:
        from .report.nights import read_summary

        wanted = set(scanned)
        for other in later:
            present = list(store.table("nights", night=other)["shop"].unique())
            shops = [s for s in present if s in wanted]
            if not shops:
                continue
            other_summary = read_summary(out_dir, other)
            failures = night_failures(other_summary, expected=expected_shops(store, other, expect_nights),
                                      present=present)
            sns = [load_shop_night(store, other, s) for s in sorted(shops)]
            for sn in sns:
                sn.failures = failures
            render_shops(sns, out_dir, render=render_shop)
            echo(f"re-rendered {len(sns)} shop page(s) of {other}: their trend holds {night}")
    update_landing(store, out_dir, **kw)
    return summary
