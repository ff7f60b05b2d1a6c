"""Build data/labelled/lead_*.csv from the plain-text sources in data/labelled/src/.

The other csv files in data/labelled/ are written directly (one per writer) and are not touched here.

Source format: `@category` starts a block; every other line is one message, or several variants of
one message separated by ` || ` (they share a family, so they stay on one side of every split).
A qr_lure message that also sends the buyer to WeChat/QQ/a friend request is labelled diversion too.
Run: python data/build_corpus.py
"""

import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conventions import with_conventions  # noqa: E402  (data/conventions.py: DESIGN.md's label conventions)

HERE = Path(__file__).resolve().parent / "labelled"
SOURCES = {  # source file -> (output csv, label, family prefix, kind)
    "diversion.txt": ("lead_diversion.csv", "diversion", "div", None),
    "qr_lure.txt": ("lead_qr_lure.csv", "qr_lure", "qr", None),
    "negative.txt": ("lead_negative.csv", "negative", "neg", None),
    "harassment.txt": ("lead_harassment.csv", "harassment", "har", None),
    "ok_hard.txt": ("lead_ok.csv", "ok", "okh", "hard"),
    "ok_everyday.txt": ("lead_ok.csv", "ok", "oke", "everyday"),
    "ok_more.txt": ("lead_ok.csv", "ok", "okm", "everyday"),
    "diversion_more.txt": ("lead_diversion.csv", "diversion", "div2", None),
    "qr_lure_more.txt": ("lead_qr_lure.csv", "qr_lure", "qr2", None),
    "negative_more.txt": ("lead_negative.csv", "negative", "neg2", None),
    "harassment_more.txt": ("lead_harassment.csv", "harassment", "har2", None),
    # promises (issue 19): seller commitments with a kind and a deadline, and their hard negatives
    # (policy information, 尽量/可能/争取, questions, things already done, the buyer's own words)
    "promise.txt": ("promise.csv", "promise", "prm", None),
    "ok_promise.txt": ("ok_promise.csv", "ok", "okp", "hard"),
}
# ok rows of other writers' files that are specific commitments: labelled `promise` where they are
RELABEL_PROMISE = "promise_relabel.txt"
ALSO_DIVERSION = re.compile(r"(微信|vx|qq|QQ|加好友|加我|公众号)")


def rows(src: Path, label: str, prefix: str, kind):
    category = "通用"
    n = 0
    for line in src.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("@"):
            category = line[1:].strip()
            continue
        n += 1
        for text in (v.strip() for v in line.split(" || ")):
            labels = label
            if label == "qr_lure" and ALSO_DIVERSION.search(text):
                labels = "diversion|qr_lure"
            labels = with_conventions(labels, text)     # a benefit for a review is qr_lure too
            yield {"text": text, "labels": labels, "family": f"{prefix}-{n:04d}", "category": category,
                   "kind": kind or ""}


def relabel_promises() -> int:
    """Label `promise` the ok rows listed in src/promise_relabel.txt, in every csv (idempotent)."""
    texts = {line.strip() for line in (HERE / "src" / RELABEL_PROMISE).read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    changed = 0
    for path in sorted(HERE.glob("*.csv")):
        raw = path.read_bytes()
        ending = "\r\n" if b"\r\n" in raw[:4096] else "\n"      # keep each writer's line endings
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            fields, data = reader.fieldnames, list(reader)
        hit = [r for r in data if r["text"] in texts and r["labels"] == "ok"]
        for r in hit:
            r["labels"] = "promise"
        if hit:
            with open(path, "w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=fields, lineterminator=ending)
                w.writeheader()
                w.writerows(data)
            changed += len(hit)
    return changed


def main():
    out: dict[str, list[dict]] = {}
    for name, (csv_name, label, prefix, kind) in SOURCES.items():
        out.setdefault(csv_name, []).extend(rows(HERE / "src" / name, label, prefix, kind))
    for csv_name, data in out.items():
        with open(HERE / csv_name, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=["text", "labels", "family", "category", "kind"])
            w.writeheader()
            w.writerows(data)
        print(csv_name, len(data))
    print("relabelled promise", relabel_promises())


if __name__ == "__main__":
    main()
