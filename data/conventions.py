"""Label conventions of DESIGN.md applied to the corpus files, so that the rows, the rules and the
design agree (run: python data/conventions.py; idempotent).

- A benefit offered for a review (返现, 红包, 免单, 退款, gifts, money; for a good review or for changing
  or deleting a bad one) is `qr_lure`; when it presses about an existing review it stays `harassment`
  too. Rows written before this convention were labelled `harassment` only.
  Not a benefit: a threat to withhold one (不改差评退款就不处理, 追回退款), a fine the seller fears (罚钱).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent / "labelled"
LABELS = ("diversion", "qr_lure", "negative", "harassment")
_REVIEW = re.compile(r"评|星")
_BENEFIT = re.compile(r"返现|返你|返您|返\d|红包|免单|退款|退你|退您|全退|补偿|补你|补您|礼品|礼物|赠品|送你|送您|送一|"
                      r"[送寄]个|当送|转你|转您|话费|现金|小样|\d+\s*(?:元|块)|[一二三四五六七八九十两]+\s*(?:元|块)|给你.{0,4}钱|给您.{0,4}钱|"
                      r"补个|再送|给你寄|给您寄|随便挑")
_THREAT = re.compile(r"不处理|拿不到|追回|罚钱|扣钱|不给你|不给您|别想|休想|一分都|拖着|退回来|就当.{0,4}礼物|扣我|块钱的东西")


def review_benefit(text: str) -> bool:
    """Does a message about a review offer the buyer something for it?"""
    return bool(_REVIEW.search(text) and _BENEFIT.search(text) and not _THREAT.search(text))


def with_conventions(labels: str, text: str) -> str:
    """`labels` (|-joined) with qr_lure added to a harassment row that offers a benefit for a review."""
    have = set(x for x in labels.split("|") if x and x != "ok")
    if "harassment" in have and "qr_lure" not in have and review_benefit(text):
        have.add("qr_lure")
    return "|".join(lab for lab in LABELS if lab in have) or labels


def main() -> None:
    for path in sorted(HERE.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            fields, rows = reader.fieldnames, list(reader)
        changed = 0
        for row in rows:
            new = with_conventions(row["labels"], row["text"])
            if new != row["labels"]:
                row["labels"], changed = new, changed + 1
        if changed:
            with open(path, "w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=fields)
                w.writeheader()
                w.writerows(rows)
        print(f"{path.name}: {changed} rows relabelled")


if __name__ == "__main__":
    main()
