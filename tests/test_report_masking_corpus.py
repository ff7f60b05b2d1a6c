"""Every contact of the corpus's hidden-ID rows, scanned, appears in no output file in full.

The rows: every diversion row of data/labelled that carries a concrete contact (a WeChat ID, QQ
number, phone in any disguise: what the detector's contact rules find), each sent by an agent in a
chat of its own, scanned with the shipped model. Every file the scan writes for people to read
(html, xlsx, csv, json) is searched for each contact and each buyer nick."""

import re
import zipfile
from pathlib import Path

import pandas as pd

from monitor.report.mask import contact_spans
from monitor.scan import run_scan

ROOT = Path(__file__).resolve().parent.parent


def hidden_id_rows() -> list[str]:
    rows = []
    for f in sorted((ROOT / "data" / "labelled").glob("*.csv")):
        d = pd.read_csv(f, dtype=str)
        d = d[d["labels"].fillna("").str.contains("diversion")]
        rows += [t for t in d["text"] if "\n" not in t and contact_spans(t)]
    return rows


def _contents(out: Path) -> dict[str, str]:
    texts = {}
    for p in out.rglob("*"):
        if p.suffix in (".html", ".csv", ".json"):
            texts[str(p)] = p.read_text(encoding="utf-8-sig")
        elif p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                texts[str(p)] = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return texts


def test_no_full_contact_or_nick_in_any_output(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATMON_WORKERS", "1")
    rows = hidden_id_rows()
    assert len(rows) > 700          # the family as the corpus holds it (788 rows when written)
    lines = ["店铺：甲店"]
    nicks = []
    for i, text in enumerate(rows):
        nick = f"buyer_nick{i:05d}"
        nicks.append(nick)
        lines += [f"聊天对象：{nick}", f"{nick} 2026-11-22 10:{i % 60:02d}:00", "在吗",
                  f"甲店:小美 2026-11-22 10:{i % 60:02d}:30", text]
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "chat.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run_scan([str(exports)], out_dir=out, echo=lambda m: None)
    assert summary["shops"]["甲店"]["messages"] == 2 * len(rows)
    contents = _contents(out)
    assert any(k.endswith("flagged.csv") for k in contents) and any(k.endswith(".xlsx") for k in contents)
    contacts = {re.sub(r"[\s\-.·•,，、~*]", "", t[s:e]) or t[s:e] for t in rows for s, e in contact_spans(t)}
    leaks = [(name.rsplit("/", 1)[-1], c) for name, body in contents.items()
             for c in contacts | set(nicks) if c in body.replace(" ", "") or c in body]

    assert leaks == []
