"""Choose a model's default operating point, `live`, for real prevalence, on the DEV half of ../shared/eval.

The corpus thresholds (`balanced`, `quiet`) are chosen at the corpus's prevalence (about 40% violations);
real shop chats hold well under 1%. This script picks per-label thresholds on the dev half only (the
test half stays for reporting, `chatmon evaluate --half test`) and writes them into the model's card as
operating point `live`, and `default_point: live` so that `load_model()` (classify, scan, evaluate with
no --operating-point) uses them:

- diversion: the highest threshold whose recall on the dev half of real_contact_spam.csv is at least
  SPAM_RECALL (a margin over the 0.88 target);
- qr_lure, negative, harassment: the lowest threshold (never under the label's `quiet` threshold) at
  which the model adds at most SHOP_BUDGET of the dev-half shop-chat agent replies (JD, Taobao) to what
  the rules flag alone. A flag there is mostly a false alarm (read row by row, about 5 in 6 were), so
  the flagged share bounds them; the rules' own flags do not depend on the threshold;
- promise (not a violation: VIOLATION_LABELS): its `balanced` threshold, as chosen on the corpus. A
  promise costs nothing unless the orders show it broken, so real prevalence does not move it.

Labels are independent (rules ∪ p ≥ threshold, per label), so one classify per grid value gives every
label's flags at that value.

Run: .venv/bin/python notebooks/choose_default_point.py [MODEL_DIR] [--eval DIR] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from monitor.atomic import write_text  # noqa: E402
from monitor.detect.evaluate import half_of  # noqa: E402
from monitor.detect.model import load_model  # noqa: E402
from monitor.detect.types import LABELS, VIOLATION_LABELS  # noqa: E402

SPAM_RECALL = 0.90
SHOP_BUDGET = 0.0003                  # per label, of the dev-half shop-chat agent replies (0.05% let through 4 model-added flags per label on the dev half, nearly all false when read)
SHOP_DATASETS = ("jddc", "jddc_baseline", "ecd_taobao")
GRID = np.round(np.arange(0.3, 0.996, 0.025), 3)


def _dev(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df[df["text"].map(half_of) == "dev"].reset_index(drop=True)


RULES_ONLY = 1.01                     # a threshold no probability reaches: the rules' flags alone


def sweep(model, agent: pd.DataFrame, spam: pd.DataFrame) -> pd.DataFrame:
    """Per grid value and label: flags on the dev shop-chat rows (all, and those the model adds to the
    rules' own), and, for diversion, recall on the dev spam rows."""
    shop = agent[agent["dataset"].isin(SHOP_DATASETS)]
    rows = []
    saved = dict(model.thresholds)
    try:
        for t in (RULES_ONLY, *GRID):
            model.thresholds = {lab: float(t) for lab in LABELS}
            a = model.classify(list(shop["text"]))
            s = model.classify(list(spam["text"]))
            for lab in VIOLATION_LABELS:
                fa = np.array([lab in c.labels for c in a])
                rows.append({"threshold": float(t), "label": lab, "shop_flagged": int(fa.sum()),
                             "shop_share": fa.mean(),
                             "spam_recall": float(np.mean([lab in c.labels for c in s])) if lab == "diversion" else None})
    finally:
        model.thresholds = saved
    table = pd.DataFrame(rows)
    # what the model adds to the rules (rule flags are the same at every threshold and are read row by row)
    base = table[table["threshold"] == RULES_ONLY].set_index("label")["shop_flagged"]
    table["model_added_share"] = (table["shop_flagged"] - table["label"].map(base)) / len(shop)
    return table[table["threshold"] != RULES_ONLY].reset_index(drop=True)


def choose(table: pd.DataFrame, quiet: dict, balanced: dict | None = None) -> dict:
    out = {lab: float((balanced or quiet)[lab]) for lab in LABELS if lab not in VIOLATION_LABELS}
    div = table[(table["label"] == "diversion") & (table["spam_recall"] >= SPAM_RECALL)]
    out["diversion"] = float(div["threshold"].max()) if len(div) else float(quiet["diversion"])
    for lab in ("qr_lure", "negative", "harassment"):
        ok = table[(table["label"] == lab) & (table["model_added_share"] <= SHOP_BUDGET)
                   & (table["threshold"] >= float(quiet[lab]))]
        out[lab] = float(ok["threshold"].min()) if len(ok) else float(GRID[-1])
    return {lab: out[lab] for lab in LABELS}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_dir", nargs="?", default=str(REPO / "models" / "default"))
    ap.add_argument("--eval", default=str(REPO.parent / "shared" / "eval"))
    ap.add_argument("--dry-run", action="store_true", help="print the choice, do not write the card")
    args = ap.parse_args()
    ev = Path(args.eval)
    if not (ev / "real_cs_agent_replies.csv").exists():
        print(f"{ev}: no eval files; the model keeps its default point", file=sys.stderr)
        return
    model = load_model(args.model_dir, "balanced")
    card_path = Path(args.model_dir) / "card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    table = sweep(model, _dev(ev / "real_cs_agent_replies.csv"), _dev(ev / "real_contact_spam.csv"))
    live = choose(table, card["operating_points"]["quiet"], card["operating_points"]["balanced"])
    with pd.option_context("display.max_rows", 200, "display.width", 160):
        print(table.pivot(index="threshold", columns="label", values="shop_flagged").join(
            table[table["label"] == "diversion"].set_index("threshold")["spam_recall"]))
    print("live:", live)
    if args.dry_run:
        return
    card["operating_points"]["live"] = live
    card["default_point"] = "live"
    card["operating_points_how"] = {
        "balanced": "corpus out-of-fold probabilities: best F1 per label, at most 1% of validation ok rows flagged",
        "quiet": "corpus out-of-fold probabilities: at most 0.2% of validation ok rows flagged per label",
        "live": (f"dev half of ../shared/eval (notebooks/choose_default_point.py): diversion the highest threshold "
                 f"with dev spam recall >= {SPAM_RECALL}; the other labels the lowest threshold (not under quiet) at "
                 f"which the model adds at most {SHOP_BUDGET:.2%} of the dev shop-chat agent replies to the rules' flags; "
                 f"promise (not a violation) its balanced threshold"),
    }
    write_text(card_path, json.dumps(card, ensure_ascii=False, indent=2) + "\n")     # atomic
    print(f"wrote the live point into {card_path}")


if __name__ == "__main__":
    main()
