"""Re-scanning a night replaces it exactly; moving files to another night removes them from the first
(issue 18): every history table equals what one fresh scan of the same input makes."""

import pytest

from fake_classifier import FixedClassifier
from monitor.report import render_from_db
from monitor.scan import run_scan
from monitor.store import Store

SHOP_A = """店铺：甲店
聊天对象：tb_slow
tb_slow 2026-11-22 10:00:00
在吗
甲店:小美 2026-11-22 10:04:00
在的
聊天对象：tb_div
tb_div 2026-11-22 11:00:00
能便宜点吗
甲店:阿强 2026-11-22 11:00:30
加我微信 abc_12345 给你便宜
"""
SHOP_B = """店铺：乙店
聊天对象：tb_b
tb_b 2026-11-22 09:00:00
发货了吗
乙店:小王 2026-11-22 09:00:10
滚，别烦我
"""
CLF = FixedClassifier({"加我微信": ("diversion", 0.9), "滚": ("negative", 0.8)})


def _write(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _scan(folder, out, **kw):
    return run_scan([str(folder)], out_dir=out, classifier=CLF, echo=lambda m: None, **kw)


def _tables(db) -> dict:
    """Every history table as sorted rows, without the scan times (which differ between runs) and the
    files' reason (a file re-used from the history says "already scanned")."""
    out = {}
    with Store(db, read_only=True) as st:
        names = [r[0] for r in st.con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        for name in sorted(names):
            df = st.table(name).drop(columns=["scanned_at"] + (["reason"] if name == "files" else []),
                                     errors="ignore")
            df = df.reindex(sorted(df.columns), axis=1)
            out[name] = sorted(map(repr, df.astype(str).itertuples(index=False)))
    return out


def test_a_changed_export_replaces_every_row_of_the_night(tmp_path):
    folder = _write(tmp_path / "night", {"a.txt": SHOP_A, "b.txt": SHOP_B})
    out = tmp_path / "out"
    _scan(folder, out)
    # the flagged reply is edited in the export, and a message is added
    _write(folder, {"a.txt": SHOP_A.replace("加我微信 abc_12345 给你便宜", "好的亲，给您申请优惠")
                    + "tb_div 2026-11-22 11:05:00\n谢谢\n", "b.txt": SHOP_B})
    _scan(folder, out)
    _scan(folder, tmp_path / "fresh")
    again = _tables(out / "chatmon.duckdb")
    assert again == _tables(tmp_path / "fresh" / "chatmon.duckdb")
    assert not any("加我微信" in row for row in again["messages"])
    # `chatmon report` re-renders from the history: the old flag is gone from the shop's files
    render_from_db(out / "chatmon.duckdb", shop=None, night="2026-11-22", out_dir=tmp_path / "again")
    flagged = [p for p in (tmp_path / "again").rglob("flagged.csv")]
    assert flagged and not any("加我微信" in p.read_text(encoding="utf-8-sig") for p in flagged)


def test_a_removed_export_leaves_the_night_with_replace_night(tmp_path):
    folder = _write(tmp_path / "night", {"a.txt": SHOP_A, "b.txt": SHOP_B})
    out = tmp_path / "out"
    _scan(folder, out)
    _write(folder, {"a.txt": SHOP_A})
    s = _scan(folder, out, replace_night=True)
    _scan(folder, tmp_path / "fresh")
    assert list(s["shops"]) == ["甲店"]
    assert _tables(out / "chatmon.duckdb") == _tables(tmp_path / "fresh" / "chatmon.duckdb")


def test_a_rescan_of_one_shop_keeps_the_others_and_replaces_that_shop_exactly(tmp_path):
    folder = _write(tmp_path / "night", {"a.txt": SHOP_A, "b.txt": SHOP_B})
    out = tmp_path / "out"
    _scan(folder, out)
    changed = SHOP_A.replace("加我微信 abc_12345 给你便宜", "好的亲，给您申请优惠")
    s = _scan(_write(tmp_path / "only_a", {"a.txt": changed}), out)
    # the same as one fresh scan of the changed export beside the unchanged one
    _scan(_write(tmp_path / "both", {"a.txt": changed, "b.txt": SHOP_B}), tmp_path / "fresh")
    assert sorted(s["shops"]) == ["乙店", "甲店"] and s["scanned_shops"] == ["甲店"]
    def same_folder(tables):     # the three scans read their files from different folders
        cut = [str(tmp_path / d) for d in ("night", "only_a", "both")]
        out = {}
        for name, rows in tables.items():
            for c in cut:
                rows = [r.replace(c, "EXPORTS") for r in rows]
            out[name] = sorted(rows)
        return out

    tables = same_folder(_tables(out / "chatmon.duckdb"))
    assert tables == same_folder(_tables(tmp_path / "fresh" / "chatmon.duckdb"))
    # the old a.txt's row is forgotten (read again if it ever comes back)
    assert len(tables["files"]) == 2 and not any("加我微信" in row for row in tables["messages"])


def test_files_moved_to_another_night_leave_the_first(tmp_path):
    folder = _write(tmp_path / "night", {"a.txt": SHOP_A, "b.txt": SHOP_B})
    out = tmp_path / "out"
    _scan(folder, out, night="2026-11-21")
    _scan(folder, out, night="2026-11-22")
    _scan(folder, tmp_path / "fresh", night="2026-11-22")
    tables = _tables(out / "chatmon.duckdb")
    assert tables == _tables(tmp_path / "fresh" / "chatmon.duckdb")
    with Store(out / "chatmon.duckdb", read_only=True) as st:
        assert st.nights() == ["2026-11-22"]
        assert st.con.execute("SELECT count(*) FROM orders").fetchall()[0][0] == 3


def test_part_of_a_night_moved_removes_that_shops_numbers_and_says_so(tmp_path):
    folder = _write(tmp_path / "n1", {"a.txt": SHOP_A, "b.txt": SHOP_B})
    out = tmp_path / "out"
    _scan(folder, out, night="2026-11-21")
    said = []
    run_scan([str(_write(tmp_path / "n2", {"b.txt": SHOP_B}))], out_dir=out, classifier=CLF, echo=said.append,
             night="2026-11-22")
    with Store(out / "chatmon.duckdb", read_only=True) as st:
        rows = st.con.execute("SELECT night, shop FROM nights ORDER BY night, shop").fetchall()
        per_night = st.con.execute("SELECT night, count(*) FROM messages GROUP BY night ORDER BY night").fetchall()
    assert rows == [("2026-11-21", "甲店"), ("2026-11-22", "乙店")]
    assert per_night == [("2026-11-21", 4), ("2026-11-22", 2)]
    assert any(m.startswith("night 2026-11-21, shop 乙店: its messages in these exports moved to 2026-11-22")
               for m in said)
