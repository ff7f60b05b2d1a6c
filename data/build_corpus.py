"""Build data/labelled/*.csv from the plain-text sources in data/labelled/src/.

Source format: `@category` starts a block; every other line is one message, or several variants of
one message separated by ` || ` (they share a family, so they stay on one side of every split).
A qr_lure message that also sends the buyer to WeChat/QQ/a friend request is labelled diversion too.
Run: python data/build_corpus.py
"""

import csv
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent / "labelled"
SOURCES = {  # source file -> (output csv, label, family prefix, kind)
    "diversion.txt": ("diversion.csv", "diversion", "div", None),
    "qr_lure.txt": ("qr_lure.csv", "qr_lure", "qr", None),
    "negative.txt": ("negative.csv", "negative", "neg", None),
    "harassment.txt": ("harassment.csv", "harassment", "har", None),
    "ok_hard.txt": ("ok.csv", "ok", "okh", "hard"),
    "ok_everyday.txt": ("ok.csv", "ok", "oke", "everyday"),
}
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
            yield {"text": text, "labels": labels, "family": f"{prefix}-{n:04d}", "category": category,
                   "kind": kind or ""}


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


if __name__ == "__main__":
    main()
