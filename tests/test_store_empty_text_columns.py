"""A text column with no value in a batch (no promise of the batch has evidence) is stored as typed
NULLs, as in a batch where other rows have values: what the history holds must not depend on which
shops a batch put together (the 1M benchmark night stored '' for some batches, NULL for others)."""

import duckdb
import pandas as pd

from monitor.store import stage_files


def _staged(tmp_path, evidence: list) -> list:
    tmp_path.mkdir()
    promises = pd.DataFrame({"shop": ["甲店"] * len(evidence), "text": ["明天发货"] * len(evidence),
                             "evidence": pd.Series(evidence, dtype=object)})
    files, _ = stage_files(tmp_path, 0, "2026-11-22", messages=pd.DataFrame(), tables={"promises": promises},
                           nights=pd.DataFrame(columns=["shop"]), scanned_at=pd.Timestamp("2026-11-23 02:00"))
    con = duckdb.connect()
    path = files["promises"][0]
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{path}'))")
                 .fetchall())
    return types["evidence"], con.execute(f"SELECT evidence FROM read_parquet('{path}')").fetchall()


def test_no_evidence_in_the_batch_is_null_text(tmp_path):
    assert _staged(tmp_path / "a", [None, None]) == ("VARCHAR", [(None,), (None,)])


def test_some_evidence_in_the_batch(tmp_path):
    assert _staged(tmp_path / "b", ["发货时间 11-22 10:00", None]) == ("VARCHAR", [("发货时间 11-22 10:00",), (None,)])
