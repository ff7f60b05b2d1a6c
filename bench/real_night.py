"""A benchmark night whose wording is real: chats built from the real public text in ../shared/eval.

    .venv/bin/python bench/real_night.py --messages 300000 --out bench/_work/real_300000

The sample generator (monitor.samples) repeats a few thousand templates, so at 1M messages it holds
about 15k distinct seller texts and the classifier's per-distinct-text cache does nearly all the work.
Real agents type. This night takes its seller turns from real customer-service agents' replies
(real_cs_agent_replies.csv: JD, Taobao, Weibo helpdesks) and its buyer turns from real customer turns
(real_cs_customer_turns.csv), so the classifier, the segmenter and the rules meet real wording at a
real rate of distinct texts:

- each shop has its quick phrases (120 replies drawn once per shop) that its agents send half the time;
- the other half is "typed": a fresh real reply, and once the pool is used up, two real replies sent
  as one message (agents often type two sentences at once), in an order fixed by the seed, so about
  half the seller messages are distinct texts at any size;
- buyers type: a fresh customer turn, then pairs the same way.

Times: chats start through the day (08:00-23:30), buyer turns 10-120 s apart, agent replies after
an exponential wait (median about 35 s, 4% over 3 minutes). Every 7th chat mentions an order id.

The eval files are used here as benchmark INPUT only (shared/eval/README.md allows it): nothing from
them is trained on or copied into data/. The night is written as canonical csv, one file per shop
(the layout chatmon's own ingest writes), into a folder under bench/_work/ that is not committed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
QUICK_PHRASES = 120          # per shop
QUICK_SHARE = 0.5            # share of seller messages that are quick phrases
MESSAGES_PER_SHOP = 5_000    # 300k messages -> 60 shops, as in the measurement


class _Typed:
    """Distinct texts in a fixed order: each text of the pool once, then pairs of pool texts."""

    def __init__(self, pool: list[str], rng: np.random.Generator):
        self.pool = pool
        self.order = rng.permutation(len(pool))
        self.pairs = rng.permutation(len(pool))
        self.k = 0

    def next(self) -> str:
        n = len(self.pool)
        k = self.k
        self.k += 1
        if k < n:
            return self.pool[self.order[k]]
        k -= n
        # pair k: text a = the k-th of the order, b = a stride away; strides grow as the pairs run out
        a = self.order[k % n]
        b = self.pairs[(k // n + 1 + k) % n]
        return self.pool[a] + " " + self.pool[b]


def _pool(path: Path) -> list[str]:
    df = pd.read_csv(path, usecols=["text"], dtype=str, keep_default_na=False)
    texts = [t.strip() for t in df["text"].tolist()]
    # the night's texts: what a chat window could hold (no empty rows, no pages of text)
    return list(dict.fromkeys(t for t in texts if t and len(t) <= 300))


def make_night(n_messages: int, out: Path, seed: int = 11, day: str = "2026-11-22") -> dict:
    """Write the night of `day` to `out` (one canonical csv per shop); returns what it holds."""
    from monitor.schema import write_messages

    rng = np.random.default_rng(seed)
    agent_pool = _pool(EVAL / "real_cs_agent_replies.csv")
    buyer_pool = _pool(EVAL / "real_cs_customer_turns.csv")
    typed_agent = _Typed(agent_pool, rng)
    typed_buyer = _Typed(buyer_pool, rng)
    n_shops = max(1, round(n_messages / MESSAGES_PER_SHOP))
    per_shop = np.full(n_shops, n_messages // n_shops)
    per_shop[: n_messages - per_shop.sum()] += 1
    out.mkdir(parents=True, exist_ok=True)
    day = pd.Timestamp(day)
    seller_texts: set = set()
    seller_n = 0
    for s in range(n_shops):
        shop = f"实测店{s + 1:03d}"
        quick = [agent_pool[i] for i in rng.choice(len(agent_pool), QUICK_PHRASES, replace=False)]
        agents = [f"{shop}:客服{a}" for a in range(1, 4 + s % 5)]
        rows = []
        conv = 0
        while len(rows) < per_shop[s]:
            conv += 1
            buyer = f"tb_real_{s:03d}_{conv:05d}"
            agent = agents[conv % len(agents)]
            t = day + pd.Timedelta(seconds=int(rng.integers(8 * 3600, 23 * 3600 + 1800)))
            order = f"{4_100_000_000_000_000 + s * 1_000_000 + conv}" if conv % 7 == 0 else None
            turns = int(rng.integers(2, 7))
            for _ in range(turns):
                if len(rows) >= per_shop[s]:
                    break
                rows.append((shop, buyer, buyer, "buyer", t, typed_buyer.next(), order))
                t += pd.Timedelta(seconds=int(rng.integers(10, 120)))
                if len(rows) >= per_shop[s]:
                    break
                wait = rng.exponential(50.0) if rng.random() > 0.04 else rng.uniform(181, 900)
                t += pd.Timedelta(seconds=int(wait) + 2)
                text = quick[int(rng.integers(len(quick)))] if rng.random() < QUICK_SHARE else typed_agent.next()
                rows.append((shop, buyer, agent, "agent", t, text, order))
                seller_texts.add(text)
                seller_n += 1
                t += pd.Timedelta(seconds=int(rng.integers(5, 90)))
        df = pd.DataFrame(rows, columns=["shop", "buyer", "sender", "role", "ts", "text", "order_id"])
        df["conversation_id"] = df["shop"] + "|" + df["buyer"]
        path = out / f"shop{s + 1:03d}.csv"
        df["source"] = [f"{path.name}:{i + 2}" for i in range(len(df))]
        write_messages(df, path, fmt="csv")
    info = {"messages": int(n_messages), "shops": n_shops, "seller_messages": seller_n,
            "distinct_seller_texts": len(seller_texts),
            "distinct_share": round(len(seller_texts) / max(seller_n, 1), 3),
            "agent_pool": len(agent_pool), "buyer_pool": len(buyer_pool), "seed": seed, "day": str(day.date())}
    (out / "night.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return info


def seller_texts(night: Path, n: int) -> list[str]:
    """The first `n` seller texts of a night written by make_night (classify benchmark input)."""
    texts: list[str] = []
    for f in sorted(night.glob("shop*.csv")):
        df = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        texts += df.loc[df["role"] == "agent", "text"].tolist()
        if len(texts) >= n:
            break
    return texts[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=300_000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--day", default="2026-11-22", help="the night's date (several nights: a history that grows)")
    args = ap.parse_args()
    if not EVAL.is_dir():
        sys.exit(f"real_night: {EVAL} not found (the eval files sit beside the repository)")
    print(json.dumps(make_night(args.messages, args.out, args.seed, args.day), ensure_ascii=False))


if __name__ == "__main__":
    main()
