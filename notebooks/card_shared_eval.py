"""Measure a model on ../shared/eval at each of its operating points and write the numbers into its card
(metrics.shared_eval): flagged share of the real agent replies (dev, test), recall on real contact spam,
negative precision/recall on the offensive proxy, and on the test half the false alarms and violations
from the row-by-row verdicts (notebooks/agent_replies_read.csv), for all replies and for the shop chats.

Run: .venv/bin/python notebooks/card_shared_eval.py [MODEL_DIR] [--eval DIR] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from monitor.atomic import write_text  # noqa: E402
from monitor.detect.evaluate import half_of, text_md5  # noqa: E402
from monitor.detect.model import load_model  # noqa: E402
from monitor.detect.types import LABELS, VIOLATION_LABELS  # noqa: E402

SHOP_DATASETS = ("jddc", "jddc_baseline", "ecd_taobao")


def _read(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df.assign(half=df["text"].map(half_of))


def measure(model_dir, point: str, ev: Path, verdicts: dict) -> dict:
    model = load_model(model_dir, point)
    agent, spam, off = (_read(ev / f) for f in ("real_cs_agent_replies.csv", "real_contact_spam.csv",
                                                 "real_offensive_proxy.csv"))
    a = [c.labels for c in model.classify(list(agent["text"]))]
    s = np.array(["diversion" in c.labels for c in model.classify(list(spam["text"]))])
    o = np.array(["negative" in c.labels for c in model.classify(list(off["text"]))])
    # a flag is a violation label (a promise is not: VIOLATION_LABELS)
    flagged = np.array([any(lab in x for lab in VIOLATION_LABELS) for x in a])
    out: dict = {"thresholds": model.thresholds, "real_cs_agent_replies_flagged_any": {}, "real_contact_spam_diversion_recall": {},
                 "real_offensive_proxy_negative": {}}
    for h in ("dev", "test"):
        out["real_cs_agent_replies_flagged_any"][h] = round(float(flagged[agent["half"] == h].mean()), 4)
        out["real_contact_spam_diversion_recall"][h] = round(float(s[spam["half"] == h].mean()), 4)
        m = (off["half"] == h).to_numpy()
        y = (off["expected"] == "negative").to_numpy()[m]
        p = o[m]
        out["real_offensive_proxy_negative"][h] = {"precision": round(float((p & y).sum() / max(p.sum(), 1)), 4),
                                                   "recall": round(float((p & y).sum() / max(y.sum(), 1)), 4)}
    test = (agent["half"] == "test").to_numpy()
    out["real_cs_agent_replies_flagged_by_label_test"] = {
        lab: round(float(np.mean([lab in x for x, t in zip(a, test) if t])), 4) for lab in LABELS}
    read = {}
    for name, rows in (("all", test), ("shop_chats", test & agent["dataset"].isin(SHOP_DATASETS).to_numpy())):
        texts = agent["text"].to_numpy()[rows & flagged]
        c = Counter(verdicts.get(text_md5(t), "unread") for t in texts)
        n = int(rows.sum())
        read[name] = {"rows": n, "flagged": len(texts), "violations": c["violation"],
                      "false_alarms": c["false_alarm"], "unread": c["unread"],
                      "false_alarm_rate": round(c["false_alarm"] / n, 4) if n else None}
    out["test_verdicts"] = read
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_dir", nargs="?", default=str(REPO / "models" / "default"))
    ap.add_argument("--eval", default=str(REPO.parent / "shared" / "eval"))
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args()
    ev = Path(args.eval)
    verdicts = dict(pd.read_csv(REPO / "notebooks" / "agent_replies_read.csv", dtype=str).values)
    card_path = Path(args.model_dir) / "card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    points = list(card.get("operating_points", {"balanced": None}))
    shared = {
        "how": ("notebooks/card_shared_eval.py on ../shared/eval (real public text, never trained on) with each "
                "operating point's thresholds; each file split by the MD5 of the text (dev/test, "
                "monitor.detect.evaluate.half_of): the dev half was read for error analysis and chose the `live` "
                "point, the test half is the number to quote. test_verdicts counts the flagged test-half agent "
                "replies by their row-by-row verdict (notebooks/agent_replies_read.csv)."),
        "targets": {"agent_replies_false_alarms_max": 0.005, "shop_chat_false_alarms_max": 0.003,
                    "contact_spam_diversion_recall_min": 0.88},
        "default_point": card.get("default_point", "balanced"),
    }
    for point in points:
        shared[point] = measure(args.model_dir, point, ev, verdicts)
        print(point, json.dumps(shared[point], ensure_ascii=False))
    if args.dry_run:
        return
    card.setdefault("metrics", {})["shared_eval"] = shared
    write_text(card_path, json.dumps(card, ensure_ascii=False, indent=2) + "\n")     # atomic
    print(f"wrote metrics.shared_eval into {card_path}")


if __name__ == "__main__":
    main()
