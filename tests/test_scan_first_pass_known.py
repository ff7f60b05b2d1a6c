"""The first pass starts before the model has loaded, taking the files already scanned from the
model's card; when the loaded model is another (a stand-in handed in by a caller), its results are
put right as if the loaded model's scanned files had been known at the start (scan_workers.as_if_known)."""

from pathlib import Path

from monitor.config import load_config
from monitor.filehash import file_sha256
from monitor.scan_workers import Workers, as_if_known, read_export


def _export(folder: Path, name: str, n: int) -> Path:
    lines = []
    for i in range(n):
        lines += [f"tb_{i} 2026-11-22 10:{i:02d}:00", f"在吗 第{i}个问题", f"甲店:小美 2026-11-22 10:{i:02d}:30", "在的亲"]
    path = folder / name
    path.write_text("店铺：甲店\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _first_pass(files, stage, known):
    workers = Workers(1, {"known": known, "shop": None, "buyer": None, "config": load_config(None),
                          "columns": None, "date": None, "orders_given": False, "stage": stage})
    return workers, [read_export((i, f)) for i, f in enumerate(files)]


def test_a_file_newly_known_is_not_read_and_one_no_longer_known_is(tmp_path):
    files = [_export(tmp_path, "a.txt", 3), _export(tmp_path, "b.txt", 4)]
    sha_a, sha_b = (file_sha256(f) for f in files)
    workers, results = _first_pass(files, tmp_path, known={sha_b})
    try:
        assert [r.get("known", False) for r in results] == [False, True]
        assert results[0]["rows"] == 6 and Path(results[0]["staged"]).exists()
        staged_a = results[0]["staged"]

        fixed = as_if_known(results, files, {sha_a}, workers)
        assert fixed[0] == {"path": files[0], "sha": sha_a, "known": True}
        assert not Path(staged_a).exists()
        assert fixed[1]["sha"] == sha_b and fixed[1]["rows"] == 8 and Path(fixed[1]["staged"]).exists()
    finally:
        workers.close()


def test_the_same_known_files_change_nothing(tmp_path):
    files = [_export(tmp_path, "a.txt", 2)]
    workers, results = _first_pass(files, tmp_path, known=set())
    try:
        assert as_if_known(results, files, set(), workers) == results
    finally:
        workers.close()
