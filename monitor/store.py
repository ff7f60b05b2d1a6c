"""Scan history in one embedded DuckDB file.

Tables (all keyed by `night` and `shop` except `files` and `messages`):
    files     one row per export file ever scanned: sha256, path, rows, reader, status, reason, model
    messages  every canonical message with its flags, keyed by `msg_key` (stable hash, see message_keys)
    sessions, waits, orders, agents, metrics   the night's tables as the scan computed them
    nights    one row per shop per night: the headline numbers the trend chart reads

Idempotence: a night is saved in ONE transaction that first deletes whatever that night already held
(a scan replaces the whole night, messages and files' rows included, so a re-scanned night holds
exactly what the new scan read), and the rows of other nights holding the same messages, so a re-run
replaces and never double counts; a process killed before the commit leaves the previous state intact.
Before a scan writes, monitor.history_backup refuses a damaged history (every block read, so DuckDB
checks its checksums, unless its size and time are the ones the last scan left: then the backup copy
checks its bytes against the recorded digest) and copies it to HISTORY.bak. A big night is staged
batch by batch in _stage_* tables (stage_batch, each batch committed so DuckDB need not hold the
night in memory) and moved in by that one transaction (save_night(staged=True)); a killed scan leaves
only staging tables, which no reader looks at and the next scan drops. A file whose sha256 was
already scanned with the same model is not read or classified again: its messages and flags are
loaded from here.

Table columns follow the DataFrames the scan hands over (new columns are added with ALTER TABLE), so
the history keeps working as the report grows; list/dict cells are stored as JSON text.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterable

import duckdb
import numpy as np
import pandas as pd

from .errors import ChatmonError

# promises, pestering: issue 19's tables (absent from histories written before them: read as empty)
NIGHT_TABLES = ("sessions", "waits", "orders", "agents", "metrics", "promises", "pestering")
# staging tables of a night being scanned batch by batch (Store.stage_batch); never read as history
STAGE_PREFIX = "_stage_"

_FIXED_DDL = """
CREATE TABLE IF NOT EXISTS files (
    sha256 VARCHAR, path VARCHAR, rows BIGINT, reader VARCHAR, encoding VARCHAR,
    status VARCHAR, reason VARCHAR, model VARCHAR, night VARCHAR, scanned_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS nights (
    night VARCHAR, shop VARCHAR, messages BIGINT, sessions BIGINT, orders BIGINT,
    flagged VARCHAR, slow_orders BIGINT, unanswered_orders BIGINT,
    exposure_expected_yuan DOUBLE, exposure_worst_yuan DOUBLE, scanned_at TIMESTAMP, promises VARCHAR
);
-- issue 19: promises by state (JSON), added to histories written before it (their rows read as none)
ALTER TABLE nights ADD COLUMN IF NOT EXISTS promises VARCHAR;
-- added later (the money explained): a history written before gains them empty
ALTER TABLE nights ADD COLUMN IF NOT EXISTS exposure_certain_yuan DOUBLE;
ALTER TABLE nights ADD COLUMN IF NOT EXISTS acknowledgements_excluded BIGINT;
ALTER TABLE nights ADD COLUMN IF NOT EXISTS penalties VARCHAR;
ALTER TABLE nights ADD COLUMN IF NOT EXISTS exposure_by_rule VARCHAR;
"""


def message_keys(messages: pd.DataFrame) -> pd.Series:
    """A stable key per message: hash of shop, conversation, time, sender and text, plus an
    occurrence counter WITHIN ONE FILE, so two identical messages in the same second of one export
    stay two rows while the same message in two overlapping exports gets one key."""
    cols = [messages[c].astype(str).tolist() for c in ("shop", "conversation_id", "ts", "sender", "text")]
    files = messages["file_sha256"] if "file_sha256" in messages else None
    if files is not None and files.isna().any():
        return _message_keys_grouped(messages)
    n = len(messages)
    # occurrence counts are per file: count one file at a time, so the counting dict holds one
    # file's messages, not the night's (rows keep their order within a file, as cumcount counts)
    if files is not None:
        codes, _ = pd.factorize(files)
        order = np.argsort(codes, kind="stable")
        bounds = np.flatnonzero(np.diff(codes[order])) + 1
        groups = np.split(order, bounds) if n else []
    else:
        groups = [np.arange(n)]
    sha1 = hashlib.sha1
    if len(groups) == 1 and n and groups[0][-1] == n - 1:
        # one file, rows in order (a file as read): no per-row indexing
        return pd.Series(_file_keys(zip(*cols), sha1), index=messages.index, dtype="str")
    keys: list = [None] * n
    for rows in groups:
        rows = rows.tolist()
        for i, k in zip(rows, _file_keys(zip(*([c[i] for i in rows] for c in cols)), sha1)):
            keys[i] = k
    return pd.Series(keys, index=messages.index, dtype="str")


def _file_keys(rows, sha1) -> list:
    """message_keys of one file's rows, (shop, conversation_id, ts, sender, text) text tuples in order:
    sha1 of the fields and the message's occurrence within its file (cumcount), each ended by \x1f."""
    base = list(map("\x1f".join, rows))
    if len(set(base)) == len(base):        # no message repeated in its file (nearly always): occurrence 0
        return [sha1(f"{b}\x1f0".encode("utf-8")).hexdigest() for b in base]
    seen: dict = {}
    out = []
    for b in base:
        o = seen.get(b, 0)
        seen[b] = o + 1
        out.append(sha1(f"{b}\x1f{o}".encode("utf-8")).hexdigest())
    return out


def _message_keys_grouped(messages: pd.DataFrame) -> pd.Series:
    """message_keys with pandas grouping (rows without a file hash are counted as pandas counts them)."""
    base = (messages["shop"].astype(str) + "\x1f" + messages["conversation_id"].astype(str) + "\x1f"
            + messages["ts"].astype(str) + "\x1f" + messages["sender"].astype(str) + "\x1f"
            + messages["text"].astype(str))
    per = [messages["file_sha256"], base] if "file_sha256" in messages else [base]
    occurrence = base.groupby(per).cumcount().astype(str)
    return (base + "\x1f" + occurrence).map(lambda s: hashlib.sha1(s.encode("utf-8")).hexdigest())


# json.dumps(value, ensure_ascii=False, default=str) builds this encoder anew for every cell (its
# options are not the defaults); made once, the 300k night's 80k order cells encode in 0.15 CPU s
# instead of 0.20 s, the same text
_to_json = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _jsonable(value):
    if isinstance(value, (list, dict, tuple)):
        return _to_json(value)
    return value


def _first_non_null(series: pd.Series, n: int = 1000) -> pd.Series:
    """series.dropna().head(n) without testing the whole column when its start has n values."""
    head = series.iloc[:2 * n].dropna()
    return head.head(n) if len(head) >= n else series.dropna().head(n)


def _json_columns(df: pd.DataFrame) -> set:
    """Object columns holding lists/dicts: a column holds one kind of value, a sample tells which (a
    column of pandas' string dtypes holds only strings: not sampled)."""
    out = set()
    for col in df.columns:
        if df[col].dtype == object:
            sample = _first_non_null(df[col]).tolist()
            if any(isinstance(v, (list, dict, tuple)) for v in sample):
                out.add(col)
    return out


def _prepare(df: pd.DataFrame, json_cols: set | None = None) -> pd.DataFrame:
    """Make a DataFrame storable: JSON text for list/dict cells, plain object for strings (None for missing)."""
    if json_cols is None:
        json_cols = _json_columns(df)
    out = df.copy(deep=False)            # columns are replaced below, never changed in place
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith("string"):
            if col in json_cols:
                out[col] = out[col].map(_jsonable)
            values = out[col].astype(object)
            missing = values.isna()
            out[col] = values.where(~missing, None) if missing.any() else values
    return out


# rows per INSERT: bounds the extra memory of a big table's storable copy
INSERT_ROWS = 200_000

_DUCK_TYPES = {"b": "BOOLEAN", "i": "BIGINT", "u": "BIGINT", "f": "DOUBLE", "M": "TIMESTAMP", "m": "DOUBLE"}


_MOVE_ORDER = {
    "metrics": """ ORDER BY coalesce(agent = '(全店)', false), shop, rowid""",
    "orders": """ ORDER BY CASE WHEN causes LIKE '%"slow"%' THEN 0 WHEN causes LIKE '%"unanswered"%' THEN 1 ELSE 2 END,
                           shop, rowid""",
}
# the night's tables whose rows keep the order they were staged in: in a night's open transaction they
# move in batch by batch with the messages (Store.move_batch); orders and metrics, sorted across the
# whole night, move at its end
BATCH_TABLES = tuple(name for name in NIGHT_TABLES if name not in _MOVE_ORDER)


def _duck_type(series: pd.Series) -> str:
    return _DUCK_TYPES.get(series.dtype.kind, "VARCHAR")


class Store:
    """The scan history. Use as a context manager, or call close()."""

    def __init__(self, path: str | Path, read_only: bool = False, verify: bool = False):
        """verify: read every table whole first (check()), refusing a damaged file before anything
        is written to it."""
        self.path = Path(path)
        self._deleted = 0       # rows deleted in the open transaction
        if read_only and not self.path.exists():
            raise ChatmonError(f"{self.path}: no scan history here (run `chatmon scan` first)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            if "lock" in str(exc).lower():     # another scan holds it: not damage
                raise ChatmonError(f"{self.path}: cannot open scan history: {exc}") from None
            raise HistoryDamaged(self.path, exc) from None
        try:
            if verify:
                self.check()
            if not read_only:
                self.con.execute(_FIXED_DDL)
        except BaseException:
            self.con.close()
            raise

    def check(self) -> None:
        """Read every column of every table, so DuckDB checks each block's checksum (a file cut short
        or overwritten in the middle fails here, with HistoryDamaged, not halfway through a night)."""
        if str(self.path) == ":memory:":
            return
        try:
            tables = [r[0] for r in self.con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()]
            for name in tables:
                cols = [r[0] for r in self.con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main'",
                    [name]).fetchall()]
                # an aggregate of every column reads all its blocks without bringing rows into Python
                aggs = "".join(f', min("{c}")' for c in cols)
                self.con.execute(f'SELECT count(*){aggs} FROM "{name}"').fetchall()
        except duckdb.Error as exc:
            raise HistoryDamaged(self.path, exc) from None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def _delete(self, sql: str, params=None) -> None:
        """Run a DELETE, counting the rows it removed (save_night's commit reads the count)."""
        self._deleted += self.con.execute(sql, params or []).fetchall()[0][0]

    # ---- reading -------------------------------------------------------------------------------
    def _has_table(self, name: str) -> bool:
        # fetchall, not fetchone: DuckDB refuses new work while a result is only partly read
        return bool(self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()[0][0])

    def _columns(self, name: str) -> set:
        return {r[0] for r in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [name]).fetchall()}

    def scanned_files(self, model: str) -> dict[str, dict]:
        """sha256 -> file row, for files already scanned successfully with this model."""
        rows = self.con.execute(
            "SELECT sha256, path, rows, reader, encoding FROM files WHERE status = 'ok' AND model = ?",
            [model]).fetchall()
        return {r[0]: {"path": r[1], "rows": r[2], "reader": r[3], "encoding": r[4]} for r in rows}

    def file_messages(self, sha256s: Iterable[str]) -> pd.DataFrame:
        """Messages (with their stored flags) of files already scanned."""
        sha256s = list(sha256s)
        if not sha256s or not self._has_table("messages"):
            return pd.DataFrame()
        self.con.register("_wanted", pd.DataFrame({"sha": sha256s}))
        try:
            return self.con.execute(
                "SELECT * FROM messages WHERE file_sha256 IN (SELECT sha FROM _wanted) ORDER BY source"
            ).df()
        finally:
            self.con.unregister("_wanted")

    def table(self, name: str, night: str | None = None, shop: str | None = None) -> pd.DataFrame:
        if not self._has_table(name):
            return pd.DataFrame()
        where, args = [], []
        if night is not None:
            where.append("night = ?")
            args.append(night)
        if shop is not None:
            where.append("shop = ?")
            args.append(shop)
        sql = f"SELECT * FROM {name}" + (" WHERE " + " AND ".join(where) if where else "")
        return self.con.execute(sql, args).df()

    def nights(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT DISTINCT night FROM nights ORDER BY night").fetchall()]

    def history(self, shop: str, until: str, n: int = 14) -> pd.DataFrame:
        """The shop's last `n` nights up to and including `until`, oldest first."""
        return self.con.execute(
            "SELECT * FROM (SELECT * FROM nights WHERE shop = ? AND night <= ? ORDER BY night DESC LIMIT ?) "
            "ORDER BY night", [shop, until, n]).df()

    # ---- writing -------------------------------------------------------------------------------
    def _ensure_table(self, name: str, df: pd.DataFrame) -> None:
        if not self._has_table(name):
            cols = ", ".join(f'"{c}" {_duck_type(df[c])}' for c in df.columns)
            self.con.execute(f'CREATE TABLE "{name}" ({cols})')
            return
        have = {r[0] for r in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [name]).fetchall()}
        for col in df.columns:
            if col not in have:
                self.con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{col}" {_duck_type(df[col])}')

    def _insert(self, name: str, df: pd.DataFrame, **constants) -> None:
        """Append df (plus constant columns) to table `name`, in slices of INSERT_ROWS rows, so the
        storable copy of a big night (_prepare) never exists whole."""
        if df.empty and self._has_table(name):
            return
        json_cols = _json_columns(df)
        for start in range(0, max(len(df), 1), INSERT_ROWS):
            part = df.iloc[start:start + INSERT_ROWS]
            if constants:
                part = part.assign(**constants)
            part = _prepare(part, json_cols)
            if start == 0:
                self._ensure_table(name, part)
            self.con.register("_incoming", part)
            try:
                self.con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM _incoming')
            finally:
                self.con.unregister("_incoming")

    # ---- staging: a big night saved batch by batch, committed once ----------------------------------
    def clear_stage(self) -> None:
        """Drop the staging tables (a scan's staged batches, or what an interrupted scan left)."""
        for name in (*NIGHT_TABLES, "messages", "nights"):
            self.con.execute(f'DROP TABLE IF EXISTS "{STAGE_PREFIX}{name}"')

    def stage_batch(self, night: str, *, messages: pd.DataFrame, tables: dict[str, pd.DataFrame],
                    nights: pd.DataFrame, scanned_at: pd.Timestamp) -> None:
        """Add one batch of shops to the staging tables, in a transaction of its own.

        Staged rows are not part of the history (no reader looks at the staging tables but
        staged_history): save_night(..., staged=True) moves them in, in the night's one transaction,
        so a scan killed before that leaves the history as it was. Rows are stored exactly as
        save_night stores them (same columns, types and order of insertion).
        """
        self.con.execute("BEGIN TRANSACTION")
        try:
            if not self._has_table(f"{STAGE_PREFIX}nights"):
                self.con.execute(f'CREATE TABLE "{STAGE_PREFIX}nights" AS SELECT * FROM nights WITH NO DATA')
            if not messages.empty:
                self._insert(f"{STAGE_PREFIX}messages", messages, night=night)
            for name, df in tables.items():
                if name not in NIGHT_TABLES:
                    raise ValueError(f"unknown history table {name!r}")
                if df is not None and not df.empty:
                    self._insert(f"{STAGE_PREFIX}{name}", df, night=night)
            self._insert(f"{STAGE_PREFIX}nights", nights.assign(night=night, scanned_at=scanned_at))
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def staged_history(self, shop: str, until: str, night: str, n: int = 14) -> pd.DataFrame:
        """history(shop, until, n) as it will read once the staged night `night` is saved."""
        return self.con.execute(
            "SELECT * FROM (SELECT * FROM (SELECT * FROM nights WHERE shop = ? AND night <= ? AND night <> ? "
            f'UNION ALL BY NAME SELECT * FROM "{STAGE_PREFIX}nights" WHERE shop = ? AND night <= ?) '
            "ORDER BY night DESC LIMIT ?) ORDER BY night", [shop, until, night, shop, until, n]).df()

    def _move_staged(self, name: str) -> None:
        stage = f"{STAGE_PREFIX}{name}"
        if not self._has_table(stage):
            return
        cols = self.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position", [stage]).fetchall()
        if not self._has_table(name):
            self.con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM "{stage}" WITH NO DATA')
        else:
            have = {r[0] for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [name]).fetchall()}
            for col, typ in cols:
                if col not in have:
                    self.con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{col}" {typ}')
        # rows in the order one analysis of the whole night makes them (batches come in the order of
        # their first shop): metrics lists every per-agent row before the per-shop rows; orders come
        # as their first cause does (every slow wait of the night, then unanswered, then flagged messages)
        order = _MOVE_ORDER.get(name, "")
        self.con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM "{stage}"{order}')

    def _move_files(self, batches: list[dict], name: str, replace: bool = True) -> None:
        """_move_staged for a table staged as parquet files (stage_files): the same rows, types and order.

        The staging table would have taken the first batch's columns and types, and each later batch's
        new columns; rows are cast to them on the way in, as an insert into that table would cast them.
        """
        paths = [p for b in batches for p in b.get(name, [])]
        if not paths:
            return
        schema: dict = {}
        for path in paths:
            for col, typ, *_ in self.con.execute(f"DESCRIBE SELECT * FROM read_parquet('{_sql_path(path)}')").fetchall():
                schema.setdefault(col, typ)
        if not self._has_table(name):
            cols = ", ".join(f'"{c}" {t}' for c, t in schema.items())
            self.con.execute(f'CREATE TABLE "{name}" ({cols})')
        else:
            have = {r[0] for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [name]).fetchall()}
            for col, typ in schema.items():
                if col not in have:
                    self.con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{col}" {typ}')
        if (replace and name == "messages"
                and self.con.execute("SELECT count(*) FROM messages").fetchall()[0][0]):
            self._delete_messages_keyed_in(paths)
        order = _MOVE_ORDER.get(name)
        if order is None:
            for path in paths:       # batch after batch, each file's rows in order: the staging table's order
                self.con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM read_parquet(\'{_sql_path(path)}\')')
            return
        # rowid of the staging table = (batch, slice, row within the slice): file names sort that way
        order = order.replace("rowid", "filename, file_row_number")
        self.con.execute(f'INSERT INTO "{name}" BY NAME SELECT * EXCLUDE (filename, file_row_number) FROM read_parquet('
                         f"{_sql_list(paths)}, union_by_name = true, filename = true, file_row_number = true){order}")

    def _delete_messages_keyed_in(self, paths: list, up_to_rowid: int | None = None,
                                  window: tuple[str, list] | None = None) -> None:
        """Delete the history's messages whose msg_key is in these staged files (a re-run's rows,
        replaced); with `up_to_rowid`, only rows up to it (those there before the night began).
        `window`: a _time_window covering these files' times, if one was made already."""
        bound, params = ("rowid <= ? AND ", [up_to_rowid]) if up_to_rowid is not None else ("", [])
        window, times = window if window is not None else self._time_window(paths)
        self._delete(f"DELETE FROM messages WHERE {bound}{window}msg_key IN (SELECT msg_key FROM read_parquet("
                     f"{_sql_list(paths)}, union_by_name = true))", params + times)

    def _time_window(self, paths: list) -> tuple[str, list]:
        """SQL (ending in AND) and its parameters that keep only the history's messages which could
        share a key with a message of these staged files, or ("", []) where that cannot be told.

        A message's key hashes its time (message_keys), so a message of another night with the same
        key has the same time: only rows timed within the files' first and last message can match.
        DuckDB then skips the history's row groups of other days by their min/max statistics instead
        of reading every key the history holds (0.3-0.7 s a night on a 28-night history, growing)."""
        if not paths or not self._has_table("messages"):
            return "", []
        have = self.con.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'messages' "
                                "AND column_name = 'ts'").fetchall()
        staged = self.con.execute(f"DESCRIBE SELECT ts FROM read_parquet({_sql_list(paths)}, union_by_name = true)"
                                  ).fetchall()
        if not have or have[0][0] != "TIMESTAMP" or staged[0][1] != "TIMESTAMP":
            return "", []
        lo, hi, untimed = self.con.execute(f"SELECT min(ts), max(ts), count(*) - count(ts) FROM read_parquet("
                                           f"{_sql_list(paths)}, union_by_name = true)").fetchall()[0]
        if lo is None:
            return "ts IS NULL AND ", []
        return ("(ts BETWEEN ? AND ? OR ts IS NULL) AND " if untimed else "ts BETWEEN ? AND ? AND "), [lo, hi]

    def begin_night(self) -> None:
        """Open the night's one transaction before save_night, so batches' messages and BATCH_TABLES
        rows can move in (move_batch) while later batches are still being scanned; save_night(begun=True)
        then finishes and commits it. Nothing is visible to readers, or kept if the process dies,
        before that commit."""
        self.con.execute("BEGIN TRANSACTION")
        self._deleted = 0
        # each table's rows so far: the rows a re-run may replace (every row this transaction adds
        # comes after them)
        self._before = {name: (self.con.execute(f'SELECT max(rowid) FROM "{name}"').fetchall()[0][0]
                               if self._has_table(name) else None) for name in ("messages", *BATCH_TABLES)}
        self._night_moved: list = []

    def move_batch(self, batch: dict) -> None:
        """Append one batch's staged messages and BATCH_TABLES rows (a stage_files() dict) in the open
        night transaction.

        Batch by batch, in batch order, this appends what save_night(staged_files=...) appends for
        those tables from all batches at once (the same rows, columns, types and order). The rows
        they replace are deleted once, in save_night(begun=True), among the rows that were there
        before begin_night: for messages the history's rows with the same keys, for the tables this
        night's rows of the shops saved. One pass over the history per night, not one per batch."""
        self._move_files([batch], "messages", replace=False)
        self._night_moved += batch.get("messages", [])
        for name in BATCH_TABLES:
            self._move_files([batch], name)

    def save_night(self, night: str, shops: list[str], *, files: pd.DataFrame, messages: pd.DataFrame,
                   tables: dict[str, pd.DataFrame], nights: pd.DataFrame, staged: bool = False,
                   staged_files: list[dict] | None = None, begun: bool = False,
                   whole_night: bool = False) -> list[tuple[str, str]]:
        """Replace everything this night holds for `shops` with the given tables, atomically.

        Each shop in `shops` then holds exactly what the new scan read: messages of the old scan that
        are not in the new one (an export changed) and its files' rows go. Other shops of the night
        (a re-scan of one shop's export) are kept as they were.
        whole_night=True (`chatmon scan --replace-night`): replace everything the night holds, every
        shop, so the night holds exactly what the new scan read (a removed export's shop goes too).
        In both cases a message saved now that the history holds under another night moves here,
        and that other night's numbers for its shop (which counted it) are removed, so nothing counts
        twice; returns those (night, shop) pairs, for the caller to tell the user to re-scan them.

        staged=True: the night's messages, tables and nights rows are the staged batches (stage_batch)
        instead; they move in within this same transaction and the staging tables are dropped.
        staged_files: the same, staged as files (stage_files(), one dict per batch, in batch order).
        begun: the transaction was opened by begin_night() (and batches moved in by move_batch: their
        dicts' messages and BATCH_TABLES are not moved again; pass them without "messages").
        """
        if not begun:
            self.con.execute("BEGIN TRANSACTION")
            self._deleted = 0
        try:
            bound = self._before["messages"] if begun else None
            keys, key_files = self._incoming_keys(messages, staged, staged_files, begun)
            # (the window of times only where every key comes from staged files)
            window = self._time_window(key_files) if key_files and not staged and messages.empty else ("", [])
            moved = self._moved_out(night, keys, bound, window)
            if not messages.empty:
                self.con.unregister("_incoming_keys")
            if begun and self._night_moved and bound is not None:
                # (the window of the night's keys covers the times of the files moved in)
                self._delete_messages_keyed_in(self._night_moved, up_to_rowid=bound, window=window)
            self.con.register("_shops", pd.DataFrame({"shop": list(shops) or [""]}))
            in_scope = "" if whole_night else " AND shop IN (SELECT shop FROM _shops)"
            for name in (*NIGHT_TABLES, "nights"):
                if not self._has_table(name):
                    continue
                if begun and name in BATCH_TABLES:
                    # the night's old rows only: this night's new ones, moved in since begin_night, follow them
                    if self._before[name] is not None:
                        self._delete(f'DELETE FROM "{name}" WHERE night = ?{in_scope} AND rowid <= ?',
                                     [night, self._before[name]])
                else:
                    self._delete(f'DELETE FROM "{name}" WHERE night = ?{in_scope}', [night])
            if self._has_table("messages") and (bound is not None or not begun):
                # the night's old messages (the new ones, moved in since begin_night, come after `bound`)
                upto = " AND rowid <= ?" if bound is not None else ""
                self._delete(f"DELETE FROM messages WHERE night = ?{in_scope}{upto}",
                             [night] + ([bound] if bound is not None else []))
            self.con.unregister("_shops")
            if whole_night:
                self._delete("DELETE FROM files WHERE night = ?", [night])
            self._forget_moved(moved)
            if staged:
                if self._has_table("messages") and self._has_table(f"{STAGE_PREFIX}messages"):
                    self._delete("DELETE FROM messages WHERE msg_key IN "
                                 f'(SELECT msg_key FROM "{STAGE_PREFIX}messages")')
                self._move_staged("messages")
                for name in NIGHT_TABLES:
                    self._move_staged(name)
            if staged_files:
                self._move_files(staged_files, "messages")
                for name in NIGHT_TABLES:
                    if not (begun and name in BATCH_TABLES):
                        self._move_files(staged_files, name)
            if not messages.empty:
                if self._has_table("messages"):
                    self.con.register("_keys", messages[["msg_key"]])
                    self._delete("DELETE FROM messages WHERE msg_key IN (SELECT msg_key FROM _keys)")
                    self.con.unregister("_keys")
                self._insert("messages", messages, night=night)
            for name, df in tables.items():
                if name not in NIGHT_TABLES:
                    raise ValueError(f"unknown history table {name!r}")
                if df is not None and not df.empty:
                    self._insert(name, df, night=night)
            if not files.empty:
                self.con.register("_files", files[["sha256"]])
                self._delete("DELETE FROM files WHERE sha256 IN (SELECT sha256 FROM _files)")
                self.con.unregister("_files")
                self._insert("files", files.assign(night=night, scanned_at=pd.Timestamp.now().floor("s")))
            # this night too: a per-shop re-scan leaves behind the rows of its shops' old exports
            # (changed since), forgotten so such a file is read again if it comes back
            self._forget_emptied_files({n for n, _ in moved} | {night})
            if staged:
                self._move_staged("nights")
                self.clear_stage()
            if staged_files:
                self._move_files(staged_files, "nights")
            elif not staged:
                self._insert("nights", nights.assign(night=night, scanned_at=pd.Timestamp.now().floor("s")))
            # The checkpoint after this commit (at the latest when the history closes) may vacuum:
            # merge each table's last, part-filled row groups with the night's, rewriting ~300k rows
            # of a 300k-message night (~1 s on a history, every night, on one core). A night that
            # deleted nothing (a new night, not a re-run) leaves nothing to reclaim, so it skips that;
            # a re-run's deleted rows are reclaimed as before. (bench/RESULTS.md: a night on a history)
            self.con.execute("SET max_vacuum_tasks = 0" if not self._deleted else "RESET max_vacuum_tasks")
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return moved

    def _incoming_keys(self, messages: pd.DataFrame, staged: bool, staged_files, begun: bool) -> tuple[str | None, list]:
        """SQL listing the msg_key of every message this save brings (None when it brings none), and the
        staged files among its sources."""
        parts = []
        paths = [p for b in (staged_files or []) for p in b.get("messages", [])]
        if begun:
            paths += list(getattr(self, "_night_moved", []))
        if paths:
            parts.append(f"SELECT msg_key FROM read_parquet({_sql_list(paths)}, union_by_name = true)")
        if staged and self._has_table(f"{STAGE_PREFIX}messages"):
            parts.append(f'SELECT msg_key FROM "{STAGE_PREFIX}messages"')
        if not messages.empty:
            self.con.register("_incoming_keys", messages[["msg_key"]])
            parts.append("SELECT msg_key FROM _incoming_keys")
        return " UNION ALL ".join(parts) or None, paths

    def _moved_out(self, night: str, keys: str | None, bound: int | None,
                   window: tuple[str, list] = ("", [])) -> list[tuple[str, str]]:
        """(night, shop) of other nights holding messages this save brings: they move here. `window`:
        _time_window of the keys' files."""
        if keys is None or not self._has_table("messages"):
            return []
        upto = " AND rowid <= ?" if bound is not None else ""
        return [tuple(r) for r in self.con.execute(
            f"SELECT DISTINCT night, shop FROM messages WHERE {window[0]}night <> ?{upto} AND msg_key IN ({keys}) "
            "ORDER BY night, shop", [*window[1], night] + ([bound] if bound is not None else [])).fetchall()]

    def _forget_moved(self, moved: list) -> None:
        """Remove the numbers of (night, shop) pairs whose messages moved to another night."""
        if not moved:
            return
        self.con.register("_moved", pd.DataFrame(moved, columns=["night", "shop"]))
        try:
            for name in (*NIGHT_TABLES, "nights"):
                if self._has_table(name):
                    self._delete(f'DELETE FROM "{name}" WHERE (night, shop) IN (SELECT night, shop FROM _moved)')
        finally:
            self.con.unregister("_moved")

    def _forget_emptied_files(self, nights: set) -> None:
        """Files of these nights (this one and those messages moved out of) that hold no message any
        more: forgotten, so a re-scan of that night reads them again instead of reusing messages the
        history no longer has."""
        nights = sorted(nights)
        if not nights or "file_sha256" not in self._columns("messages"):
            return
        self.con.register("_left", pd.DataFrame({"night": nights}))
        try:
            self._delete(
                "DELETE FROM files WHERE night IN (SELECT night FROM _left) AND status = 'ok' AND rows > 0 "
                "AND sha256 NOT IN (SELECT DISTINCT file_sha256 FROM messages WHERE night IN (SELECT night FROM _left) "
                "AND file_sha256 IS NOT NULL)")
        finally:
            self.con.unregister("_left")


class HistoryDamaged(ChatmonError):
    """The history file cannot be read whole: cut short, or overwritten in places."""

    def __init__(self, path: Path, exc: Exception):
        reason = " ".join(str(exc).split())[:200]
        backup = backup_path(path)
        hint = (f"restore the backup taken before the last night was saved: cp '{backup}' '{path}'"
                if backup.exists() else "no backup is beside it; move it aside to start a new history")
        super().__init__(f"{path}: the scan history is damaged and was not changed ({reason}); {hint}")


BACKUP_SUFFIX = ".bak"


def backup_path(path: Path) -> Path:
    return Path(str(path) + BACKUP_SUFFIX)


def _sql_path(path) -> str:
    return str(path).replace("'", "''")


def _sql_list(paths) -> str:
    return "[" + ", ".join(f"'{_sql_path(p)}'" for p in paths) + "]"


def stage_files(folder: Path, batch_no: int, night: str, *, messages: pd.DataFrame, tables: dict[str, pd.DataFrame],
                nights: pd.DataFrame, scanned_at: pd.Timestamp, prior_nights: Path | None = None,
                history_of: Iterable[str] = ()) -> tuple[dict[str, list[Path]], dict[str, pd.DataFrame]]:
    """Store.stage_batch into parquet files instead of the history, so another process can stage a batch
    while the history file (one writer) stays closed to it; save_night(staged_files=...) moves them in.

    The files hold exactly the rows and types stage_batch would put in the staging tables: each table's
    columns take the types of its first slice of INSERT_ROWS rows (_ensure_table) and every slice is
    cast to them, as its insert would be. prior_nights: a parquet file of the history's nights rows
    before this night, for staged_history of each shop in `history_of`.
    Returns ({table: [files]}, {shop: history}).
    """
    folder = Path(folder)
    written: dict[str, list[Path]] = {}
    with Store(":memory:") as mem:
        mem.con.execute("SET threads = 1")      # the scan's workers already keep every core busy
        for name, df in (("messages", messages), *tables.items()):
            if name != "messages" and name not in NIGHT_TABLES:
                raise ValueError(f"unknown history table {name!r}")
            if df is None or df.empty:
                continue
            json_cols = _json_columns(df)
            types = None
            for j, start in enumerate(range(0, len(df), INSERT_ROWS)):
                part = _prepare(df.iloc[start:start + INSERT_ROWS].assign(night=night), json_cols)
                if types is None:
                    types = [(c, _duck_type(part[c])) for c in part.columns]
                cols = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in types)
                path = folder / f"batch{_batch_tag(batch_no)}_{name}_{j:04d}.parquet"
                mem.con.register("_incoming", part)
                try:
                    mem.con.execute(f"COPY (SELECT {cols} FROM _incoming) TO '{_sql_path(path)}' (FORMAT parquet{STAGE_PARQUET})")
                finally:
                    mem.con.unregister("_incoming")
                written.setdefault(name, []).append(path)
        # the nights rows go through the staging table itself: each shop's history reads it
        if prior_nights is not None:
            mem.con.execute(f"INSERT INTO nights BY NAME SELECT * FROM read_parquet('{_sql_path(prior_nights)}')")
        mem.stage_batch(night, messages=pd.DataFrame(), tables={}, nights=nights, scanned_at=scanned_at)
        histories = {shop: mem.staged_history(shop, night, night) for shop in history_of}
        path = folder / f"batch{_batch_tag(batch_no)}_nights_0000.parquet"
        mem.con.execute(f"COPY \"{STAGE_PREFIX}nights\" TO '{_sql_path(path)}' (FORMAT parquet{STAGE_PARQUET})")
        written["nights"] = [path]
    return written, histories


# the staged parquet files are written once and read once, in the scan's staging folder, which goes
# when the scan ends: uncompressed they cost less CPU to write (300k real night, one batch: 1.03 s
# instead of 1.15 s) and to move in (0.79 s instead of 0.87 s), for twice the temporary disk (112 MB
# instead of 57 MB per 300k messages)
STAGE_PARQUET = ", COMPRESSION uncompressed"


def _batch_tag(batch_no) -> str:
    """A batch's number as its staged files start (a text tag, e.g. a shop of a failed batch done
    alone, is used as it is)."""
    return batch_no if isinstance(batch_no, str) else f"{batch_no:06d}"


def jsonable_records(df: pd.DataFrame) -> list[dict]:
    """DataFrame rows as JSON-safe dicts (NaN -> None, timestamps -> text)."""
    out = []
    for rec in df.to_dict("records"):
        clean = {}
        for k, v in rec.items():
            if isinstance(v, (pd.Timestamp,)):
                v = None if pd.isna(v) else v.strftime("%Y-%m-%d %H:%M:%S")
            elif isinstance(v, float) and np.isnan(v):
                v = None
            elif isinstance(v, np.generic):
                v = v.item()
            clean[k] = v
        out.append(clean)
    return out
