"""End-to-end scan vs the read-and-parse floor, at several sizes, plus a per-stage profile.

    .venv/bin/python bench/bench_scan.py --sizes 100000 1000000 5000000 --repeats 3

Input (--input): `generated`, the sample generator (seed 7) in the Qianniu web-page text layout, one
file per shop, with its orders export; or `real`, a night whose texts are real agent replies and
customer turns (bench/real_night.py: canonical csv, one file per shop, about half the seller texts
distinct, no orders export). Say which on every figure.
Contenders: `chatmon scan` (fresh history each run, so nothing is skipped as already scanned) and
the floor, reading and parsing the same files alone (monitor.ingest.read_paths).
The profile runs the scan's steps in-process once per size and times each.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PY, REPO, WORK, Contender, results_payload, run_alternating, save, table  # noqa: E402


def make_input(n: int, kind: str = "generated") -> Path:
    if kind == "real":
        from real_night import make_night

        d = WORK / f"real_{n}"
        if not (d / ".done").exists():
            make_night(n, d)
            (d / ".done").write_text("ok")
        return d
    d = WORK / f"scan_{n}"
    if not (d / ".done").exists():
        subprocess.run([PY, "-m", "monitor.samples", "--messages", str(n), "--layout", "qianniu_web",
                        "--out", str(d), "--seed", "7", "--no-truth"], check=True, cwd=REPO)
        (d / "orders.csv").rename(WORK / f"orders_{n}.csv")
        (d / ".done").write_text("ok")
    return d


def profile(d: Path) -> dict:
    """Seconds per stage, in-process."""
    import pandas as pd

    from monitor.config import load_config
    from monitor.detect import load_model
    from monitor.detect.features import transform as transform_features
    from monitor.detect.features import words
    from monitor.ingest import read_paths
    from monitor.report import render_index, render_shop
    from monitor.scan import analyse, flag_messages
    from monitor.store import message_keys
    from monitor.text import normalise_text

    t = {}
    s = time.perf_counter()
    cfg = load_config()
    res = read_paths([d])
    m = res.messages
    t["read+parse"] = time.perf_counter() - s
    model = load_model()
    seller = m.loc[m["role"].isin(["agent", "auto"]), "text"]
    uniq = pd.unique(seller)
    s = time.perf_counter()
    for x in uniq:
        normalise_text(x)
    t["normalise (distinct seller texts)"] = time.perf_counter() - s
    s = time.perf_counter()
    for x in uniq:
        words(x)
    t["tokenise (jieba)"] = time.perf_counter() - s
    # the two model steps alone, on the distinct non-empty seller texts (what the classifier scores)
    texts = [x for x in uniq if isinstance(x, str) and x.strip()]
    s = time.perf_counter()
    X = transform_features(model.pipeline.named_steps["features"], texts).tocsr()   # as Classifier does
    t["vectorise (distinct seller texts, cached normalise/tokens)"] = time.perf_counter() - s
    s = time.perf_counter()
    model.pipeline.named_steps["clf"].predict_proba(X)
    t["predict (distinct seller texts)"] = time.perf_counter() - s
    s = time.perf_counter()
    flagged = flag_messages(m, model)
    t["classify every message (vectorise+predict+rules+evidence, cached normalise/tokens)"] = time.perf_counter() - s
    flagged["file_sha256"] = "x"
    flagged["msg_key"] = message_keys(flagged).values
    s = time.perf_counter()
    latency, exposure, metrics = analyse(flagged, cfg, None)
    t["timing+linking+scoring"] = time.perf_counter() - s
    import tempfile

    from monitor.store import Store
    with tempfile.TemporaryDirectory() as tmp:
        s = time.perf_counter()
        with Store(Path(tmp) / "h.duckdb") as st:
            st.save_night("2026-11-22", sorted(m["shop"].unique()), files=pd.DataFrame(), messages=latency.messages,
                          tables={"sessions": latency.sessions, "waits": latency.waits, "orders": exposure.orders,
                                  "agents": exposure.agents, "metrics": metrics}, nights=pd.DataFrame(columns=["shop"]))
        t["store"] = time.perf_counter() - s
        from monitor.scan import _shop_summary, split_by_shop
        from monitor.shopnight import ShopNight
        s = time.perf_counter()
        sns = []
        shops = list(exposure.shops["shop"])
        # one grouping pass per table, as the scan does (not one filter of every table per shop)
        parts = {name: split_by_shop(df, shops) for name, df in
                 {"messages": latency.messages, "sessions": latency.sessions, "waits": latency.waits,
                  "orders": exposure.orders, "agents": exposure.agents, "metrics": metrics}.items()}
        for shop, sm in exposure.shops.set_index("shop").iterrows():
            sn = ShopNight(shop=shop, night="2026-11-22", summary=_shop_summary(sm.to_dict()),
                           **{name: part[shop] for name, part in parts.items()})
            render_shop(sn, Path(tmp) / "out")
            sns.append(sn)
        render_index(sns, Path(tmp) / "out")
        t["report"] = time.perf_counter() - s
    return {k: round(v, 2) for k, v in t.items()} | {"messages": int(len(m)), "distinct_seller_texts": int(len(uniq))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--input", choices=["generated", "real"], default="generated",
                    help="generated: the sample generator's chats; real: bench/real_night.py (real wording)")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    report = {}
    for n in args.sizes:
        d = make_input(n, args.input)
        out = WORK / f"scan_out_{args.input}_{n}"
        orders = f' --orders "{WORK}/orders_{n}.csv"' if args.input == "generated" else ""
        cs = [
            Contender("chatmon scan", ["sh", "-c", f'rm -rf "{out}" && "{REPO}/.venv/bin/chatmon" scan "{d}"'
                                                   f'{orders} --out "{out}"'], n),
            Contender("floor: read+parse", [PY, "-c", f"from monitor.ingest import read_paths; "
                                                      f"r = read_paths(['{d}'], progress=False); print(len(r.messages))"], n),
        ]
        print(f"== {n:,} messages ({args.input} input)")
        results = run_alternating(cs, repeats=args.repeats)
        print(table(results, baseline="floor: read+parse"))
        report[n] = results_payload(results) | {"input": args.input}
        if not args.no_profile:
            report[n]["profile_s"] = profile(d)
            print(report[n]["profile_s"])
    print("saved", save("scan", report))


if __name__ == "__main__":
    main()
