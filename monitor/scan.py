"""The nightly job: read exports, flag seller messages, time replies, score, store, report.

run_scan() is what `chatmon scan` calls; each step is a function of its own module, so tests can call
any step alone. The order of side effects makes an interrupted scan harmless: reports are written
atomically file by file, the night is saved to history in one transaction, and summary.json, the
marker a scheduler looks at, is written last.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .atomic import write_text
from .config import Config, load_config
from .detect.types import LABELS
from .errors import ChatmonError, InputError, Rejection, UsageError
from .schema import COLUMNS, conform, is_unreadable
from .shopnight import ShopNight
from .store import Store, jsonable_records, message_keys
from .timing import sort_messages

# Roles whose messages are the seller's and so can break the rules (robots' canned texts included).
SELLER_ROLES = ("agent", "auto")
FLAG_COLUMNS = ["labels", *[f"p_{lab}" for lab in LABELS], "evidence"]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def model_id(classifier) -> str:
    """Identifies the model whose flags are stored, so a new model re-classifies old files."""
    card = getattr(classifier, "card", None) or {}
    return str(card.get("model_id") or card.get("training_data_sha256") or card.get("trained_at") or "unknown")


def flag_messages(messages: pd.DataFrame, classifier, progress: bool = False) -> pd.DataFrame:
    """Add labels, p_<label> and evidence columns; only readable seller messages are classified.

    Each distinct text is classified once: service chats repeat greetings and quick phrases.
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
            results = classifier.classify(list(uniques), progress=progress)
            lab_u = np.array(["|".join(r.labels) for r in results], dtype=object)
            ev_u = np.array([json.dumps([e.to_dict() for e in r.evidence], ensure_ascii=False) for r in results],
                            dtype=object)
            labels[rows] = lab_u[order_codes]
            evidence[rows] = ev_u[order_codes]
            for lab in LABELS:
                p_u = np.array([float(r.scores.get(lab, np.nan)) for r in results], dtype=float)
                probs[lab][rows] = p_u[order_codes]
    # the same dtypes as columns set to "" / NaN / "[]" get (str, float64, str)
    out["labels"] = pd.Series(labels, index=out.index, dtype="str")
    for lab in LABELS:
        out[f"p_{lab}"] = probs[lab]
    out["evidence"] = pd.Series(evidence, index=out.index, dtype="str")
    return out


def _read_inputs(paths, *, shop, config, store: Store, model: str, echo) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                                   pd.DataFrame, list[Rejection]]:
    """Read every export; files already in the history (same sha256, same model) come from the store.

    Returns (fresh messages to classify, stored messages with flags, files table, rejections).
    """
    from .ingest import expand_paths, read_file

    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        tqdm = None

    files = expand_paths(paths)
    if not files:
        raise UsageError("no export files found in " + ", ".join(map(str, paths)))
    known = store.scanned_files(model)
    fresh, reused_sha, file_rows, rejected = [], [], [], []
    seen: dict[str, str] = {}
    bar = tqdm(files, desc="reading exports", unit="file", disable=len(files) < 5, file=None) if tqdm else files
    for path in bar:
        try:
            sha = file_sha256(path)
        except OSError as exc:
            rejected.append(Rejection(str(path), f"cannot read: {exc.strerror or exc}"))
            continue
        if sha in seen:
            echo(f"skipping {path}: same content as {seen[sha]}")
            continue
        seen[sha] = str(path)
        if sha in known:
            reused_sha.append(sha)
            file_rows.append({"sha256": sha, "path": str(path), **{k: known[sha][k] for k in ("rows", "reader", "encoding")},
                              "status": "ok", "reason": "already scanned (same content)", "model": model})
            continue
        try:
            df, info = read_file(path, shop=shop, config=config)
        except InputError as exc:
            rejected.append(exc.to_rejection())
            file_rows.append({"sha256": sha, "path": str(path), "rows": 0, "reader": None, "encoding": None,
                              "status": "rejected", "reason": str(exc), "model": model})
            continue
        df = df.assign(file_sha256=sha)
        fresh.append(df)
        file_rows.append({"sha256": sha, "path": str(path), "rows": len(df), "reader": info.reader,
                          "encoding": info.encoding, "status": "ok", "reason": None, "model": model})
    fresh_df = pd.concat(fresh, ignore_index=True) if fresh else pd.DataFrame(columns=[*COLUMNS, "file_sha256"])
    stored = store.file_messages(reused_sha)
    if reused_sha:
        echo(f"{len(reused_sha)} file(s) already scanned: their messages and flags come from the history")
    return fresh_df, stored, pd.DataFrame(file_rows), rejected


def split_by_shop(df: pd.DataFrame, shops) -> dict:
    """{shop: df[df["shop"] == shop]} for every shop, in one grouping pass (rows keep their order and index)."""
    if df.empty:
        return {s: df.iloc[0:0] for s in shops}
    groups = df.groupby("shop", sort=False).indices
    empty = df.iloc[0:0]
    return {s: (df.take(groups[s]) if s in groups else empty) for s in shops}


def _night_of(messages: pd.DataFrame, night: str | None) -> str:
    if night:
        try:
            return datetime.strptime(night, "%Y-%m-%d").strftime("%Y-%m-%d")
        except ValueError:
            raise UsageError(f"--night {night!r} is not a date of the form YYYY-MM-DD") from None
    if messages.empty:
        return datetime.now().strftime("%Y-%m-%d")
    # the day most of the chats happened: a night's export often runs a little past midnight
    return pd.Timestamp(messages["ts"].astype("int64").median(), unit="s").strftime("%Y-%m-%d")


def _shop_summary(shop_row: dict) -> dict:
    keys = ("messages", "sessions", "orders", "flagged", "slow_orders", "unanswered_orders",
            "exposure_expected_yuan", "exposure_worst_yuan")
    out = {k: shop_row.get(k) for k in keys}
    for k in ("messages", "sessions", "orders", "slow_orders", "unanswered_orders"):
        out[k] = int(out[k] or 0)
    for k in ("exposure_expected_yuan", "exposure_worst_yuan"):
        out[k] = round(float(out[k] or 0.0), 2)
    flagged = out["flagged"]
    if isinstance(flagged, str):
        flagged = json.loads(flagged)
    out["flagged"] = {lab: int((flagged or {}).get(lab, 0)) for lab in LABELS}
    return out


def analyse(messages: pd.DataFrame, config: Config, orders: pd.DataFrame | None):
    """Timing, order linking and scoring of flagged canonical messages (no I/O)."""
    from .score import score_exposure
    from .orders import link_orders
    from .timing import compute_latency, platform_metrics

    latency = compute_latency(messages, config)
    links = link_orders(latency.sessions, latency.messages, orders, config)
    exposure = score_exposure(latency.messages, latency, links, config, orders=orders)
    metrics = pd.concat([
        platform_metrics(latency, by=["shop", "agent"]),
        platform_metrics(latency, by=["shop"]).assign(agent="(全店)"),
    ], ignore_index=True)
    return latency, exposure, metrics


def run_scan(paths: list[str], *, orders: str | None = None, config_path: str | None = None,
             model_dir: str | None = None, shop: str | None = None, db_path: str | None = None,
             out_dir: Path = Path("out"), night: str | None = None,
             echo: Callable[[str], None] = print, classifier=None) -> dict:
    """Scan exports into reports and history; returns the summary.json content."""
    from .detect import load_model
    from .orders import read_orders
    from .parallel import render_shops
    from .report import render_index

    out_dir = Path(out_dir)
    config = load_config(config_path)
    classifier = classifier or load_model(model_dir)
    model = model_id(classifier)
    db = Path(db_path) if db_path else out_dir / "chatmon.duckdb"
    orders_df = read_orders(orders) if orders else None
    order_rejections = list(orders_df.attrs.get("rejected", [])) if orders_df is not None else []

    with Store(db) as store:
        fresh, stored, files, rejected = _read_inputs(paths, shop=shop, config=config, store=store,
                                                      model=model, echo=echo)
        echo(f"read {len(fresh) + len(stored)} messages from {len(files) - len(rejected)} file(s)"
             + (f", {len(rejected)} rejected" if rejected else ""))
        if not fresh.empty:
            fresh = conform(fresh).assign(file_sha256=fresh["file_sha256"].values)
            fresh = flag_messages(fresh, classifier, progress=len(fresh) > 50_000)
            fresh["msg_key"] = message_keys(fresh).values
        keep = [*COLUMNS, "file_sha256", "msg_key", *FLAG_COLUMNS]
        if not stored.empty:
            stored = stored[[c for c in keep if c in stored.columns]]
            stored["ts"] = pd.to_datetime(stored["ts"]).astype("datetime64[s]")
        parts = [p[keep] for p in (fresh, stored) if not p.empty]
        messages = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=keep)
        # A file copied twice into the night's folder must not count its messages twice.
        # (sorted on integer codes; the timing then finds the rows in order and does not copy them)
        messages = sort_messages(messages.drop_duplicates("msg_key"))
        del fresh, stored, parts          # a big night: hold one copy of the messages, not three
        the_night = _night_of(messages, night)
        shops = sorted(messages["shop"].unique()) if not messages.empty else []

        latency, exposure, metrics = analyse(messages, config, orders_df)
        del messages                      # latency.messages carries them on
        shop_rows = {r["shop"]: r for r in exposure.shops.to_dict("records")} if not exposure.shops.empty else {}
        summaries = {s: _shop_summary(shop_rows.get(s, {})) for s in shops}

        nights = pd.DataFrame([{"shop": s, **{k: (json.dumps(v, ensure_ascii=False) if k == "flagged" else v)
                                              for k, v in summaries[s].items()}} for s in shops])
        flagged_messages = latency.messages      # canonical + flags + file_sha256 + msg_key + session_id
        store.save_night(the_night, shops, files=files, messages=flagged_messages,
                         tables={"sessions": latency.sessions, "waits": latency.waits, "orders": exposure.orders,
                                 "agents": exposure.agents, "metrics": metrics},
                         nights=nights if not nights.empty else pd.DataFrame(columns=["shop"]))

        # one pass per table, not one boolean mask per shop and table
        parts = {name: split_by_shop(df, shops) for name, df in (
            ("messages", flagged_messages), ("sessions", latency.sessions), ("waits", latency.waits),
            ("orders", exposure.orders), ("agents", exposure.agents), ("metrics", metrics))}
        del flagged_messages, latency, exposure, metrics
        shop_nights = []
        for s in shops:
            shop_nights.append(ShopNight(
                shop=s, night=the_night, summary=summaries[s], history=store.history(s, the_night),
                **{name: parts[name][s] for name in parts}))

    render_shops(shop_nights, out_dir)
    render_index(shop_nights, out_dir)
    summary = {
        "night": the_night,
        "shops": summaries,
        "rejected": [{"file": r.file, "reason": (f"line {r.line}: " if r.line else "") + r.reason}
                     for r in [*rejected, *order_rejections]],
        "files": jsonable_records(files) if not files.empty else [],
        "model": model,
        "db": str(db),
    }
    write_text(out_dir / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    echo(f"report: {out_dir / 'index.html'}")
    return summary
