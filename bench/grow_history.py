"""A long scan history for benchmarks, quickly: a history of N nights repeated K more times, each
copy shifted back N*k days (message keys and file hashes made distinct), as if scanned night by night.

    .venv/bin/python bench/grow_history.py --history bench/_work/hist/h.duckdb --times 3 \\
        --out bench/_work/hist/h28.duckdb

Scanning 28 real-wording nights one by one would take 28 scans of ~12 s each on the 2-core machine,
after generating the nights; this took 25 s.
The copies hold the same rows as the nights they copy, so the file is what 28 scanned nights make of
that size (1.7 GB from 7 nights of 300k messages), which is what the nightly costs that grow with the
history read: the backup copy, the digest, DuckDB's checkpoint and the lookups of a night's message
keys. Then a night of the next date scans on top of it (bench/ab_night.py --history; the scan writes
a record of the new file first: see --record).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import duckdb

TABLES = ("files", "nights", "messages", "sessions", "waits", "orders", "agents", "metrics", "promises", "pestering")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--history", type=Path, required=True, help="a history of some nights (not changed)")
    ap.add_argument("--times", type=int, default=3, help="copies of its nights to add before them")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--record", action="store_true",
                    help="also write OUT.sha256, as a scan leaves it (so the next scan takes the quick check)")
    args = ap.parse_args()
    shutil.copyfile(args.history, args.out)
    con = duckdb.connect(str(args.out))
    tables = [t for t in TABLES if con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [t]).fetchall()[0][0]]
    nights = con.execute("SELECT count(DISTINCT night) FROM nights").fetchall()[0][0]
    last = {t: con.execute(f'SELECT max(rowid) FROM "{t}"').fetchall()[0][0] for t in tables}
    for k in range(1, args.times + 1):
        con.execute("BEGIN TRANSACTION")
        for t in tables:
            shifted = [f"strftime(CAST(night AS DATE) - INTERVAL {nights * k} DAY, '%Y-%m-%d') AS night"]
            if t == "messages":
                shifted += [f"msg_key || '-{k}' AS msg_key", f"file_sha256 || '{k}' AS file_sha256"]
            if t == "files":
                shifted.append(f"sha256 || '{k}' AS sha256")
            con.execute(f'INSERT INTO "{t}" SELECT * REPLACE ({", ".join(shifted)}) FROM "{t}" WHERE rowid <= ?',
                        [last[t]])
        con.execute("COMMIT")
    n, held = con.execute("SELECT count(*), count(DISTINCT night) FROM messages").fetchall()[0]
    con.close()
    if args.record:
        from monitor.history_backup import record_checked

        record_checked(args.out)
    print(f"{args.out}: {held} nights, {n:,} messages, {args.out.stat().st_size / 2**20:,.0f} MB")


if __name__ == "__main__":
    main()
