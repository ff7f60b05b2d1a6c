"""The scan's two passes, as tasks that run in worker processes (or in turn, in the scan's own process).

Reading exports and scanning batches of shops are pure Python and pandas, so they scale with
processes, not threads. The workers are forked once per scan, before the scan opens its history file
(DuckDB allows one writing process and must not be inherited mid-use): they inherit the model, the
config and the orders, and are sent only small task descriptions. What they produce goes through the
scan's temporary folder: each export's messages as a pickle (first pass), each batch's history rows as
parquet files (Store-ready, see store.stage_files) and its shops' reports, written in place.

The scan's process keeps every side effect on the history: it merges the first pass's results in the
order the files were found, reads already-scanned files' messages from the history for the workers,
and moves every batch's files into the history in the night's one transaction, in batch order.

The batch step itself (scan.scan_batch_messages) comes in the workers' context, with the model and
the config: this module does not import the scan, so the two do not import each other in a circle.
"""

from __future__ import annotations

import ctypes
import errno
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError, Rejection
from .schema import conform

# below this much input (bytes of export files), forking costs more than it saves
MIN_INPUT_BYTES = 4_000_000

# what every task reads: the context of the Workers that runs it, set before its workers are forked
# (they inherit it) and before each run in this process
_CONTEXT: dict = {}


def worker_count(total_bytes: int) -> int:
    """CHATMON_WORKERS (1 = no workers); else the CPU count, at most 4, for a night big enough."""
    env = os.environ.get("CHATMON_WORKERS", "").strip()
    if env:
        try:
            wanted = max(1, int(env))
        except ValueError:
            wanted = 1
    else:
        if total_bytes < MIN_INPUT_BYTES:
            return 1
        wanted = min(4, os.cpu_count() or 1)
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return wanted


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the process that forked it ends, even killed with
    SIGKILL (which runs no clean-up): otherwise workers of ~370 MB sit blocked on their task queue
    for minutes. Linux sends a death signal (prctl PR_SET_PDEATHSIG); everywhere a thread also
    watches the parent pid, and the check right after covers a parent that died before the prctl."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)       # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_S)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="chatmon-parent-watch", daemon=True).start()


# how often a worker checks that its parent still runs (the fallback where there is no death signal)
PARENT_POLL_S = 1.0


def _ready() -> None:
    """A task that does nothing: the first one makes the pool fork its workers."""


class Workers:
    """map() over a pool of forked workers, or in this process when there is one worker.

    A process pool executor, not multiprocessing.Pool: if a worker dies (killed for memory, say), the
    scan fails with BrokenProcessPool instead of waiting for it forever.
    """

    def __init__(self, n: int, context: dict):
        from concurrent.futures import ProcessPoolExecutor

        self.context = context
        self._here()                # what the forked workers inherit
        self.n = n
        self.pool = None
        if n > 1:
            self.pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"),
                                            initializer=die_with_parent, initargs=(os.getpid(),))
            # with fork, the executor starts all its workers at the first task: start them now, before
            # the caller opens anything a child must not inherit (the history's DuckDB database)
            self.pool.submit(_ready).result()

    def map(self, fn, items: list, order=None):
        """[fn(item) for item in items], in the order of `items`; `order` lists the indices to start
        first (the largest tasks, so no worker is left with a big one at the end)."""
        return list(self.imap(fn, items, order))

    def imap(self, fn, items: list, order=None):
        """fn(item) for item in items, in the order of `items`, each as soon as it and every earlier
        one is done, so the caller can use a result while later items still run; `order` as in map."""
        if self.pool is None:
            self._here()
            for x in items:
                yield fn(x)
            return
        for future in self._submit(fn, items, order):
            yield future.result()

    def start(self, fn, items: list, order=None):
        """Start map(fn, items, order) in the workers and return at once, so this process can do
        other work meanwhile; calling what it returns waits for the results, in the order of `items`.
        With no pool, the items run in this process only then."""
        if self.pool is None:
            return lambda: self.here(fn, items)
        futures = self._submit(fn, items, order)
        return lambda: [f.result() for f in futures]

    def here(self, fn, items: list) -> list:
        """[fn(item) for item in items] in this process, with this pool's context (another pool made
        since has set its own)."""
        self._here()
        return [fn(x) for x in items]

    def _here(self) -> None:
        global _CONTEXT
        _CONTEXT = self.context

    def _submit(self, fn, items: list, order) -> list:
        order = list(order) if order is not None else list(range(len(items)))
        futures = {i: self.pool.submit(fn, items[i]) for i in order}
        return [futures[i] for i in range(len(items))]

    def close(self) -> None:
        global _CONTEXT
        if self.pool is not None:
            processes = list((getattr(self.pool, "_processes", None) or {}).values())
            self.pool.shutdown(wait=False, cancel_futures=True)
            for p in processes:          # a failed or interrupted scan: stop the batches still running
                if p.is_alive():
                    p.terminate()
            for p in processes:
                p.join()
            self.pool = None
        if _CONTEXT is self.context:
            _CONTEXT = {}


# ---- first pass: one export ---------------------------------------------------------------------

@dataclass
class NightPart:
    """What _Night keeps of one file's messages (see scan._Night.add), computed where the file is read."""
    rows: int
    keys: np.ndarray | None          # (n, 2) uint64: 128 bits of each msg_key
    ts: np.ndarray | None            # int64 seconds
    shops: list
    conv_pairs: list                 # distinct (conversation_id, shop), in order of appearance
    order_pairs: list                # distinct (order_id, shop) of rows with an order id
    buyer_pairs: list                # distinct (buyer, shop) of buyers of shopless orders


def night_part(df: pd.DataFrame, keys: pd.Series, buyers: set | None) -> NightPart:
    """buyers: the buyers whose (buyer, shop) pairs are kept (those of orders without a shop), or
    None for every buyer (the first pass reads the exports before the orders are known: the scan
    keeps only the shopless buyers' pairs, _Night.merge)."""
    def pairs(frame, col):
        # frame[[col, "shop"]].drop_duplicates() as tuples (the values are strings: no NaN to match)
        return list(dict.fromkeys(zip(frame[col].tolist(), frame["shop"].tolist())))

    k = t = None
    if len(df):
        raw = bytes.fromhex("".join(x[:32] for x in keys.tolist()))
        k = np.frombuffer(raw, dtype=np.uint64).reshape(-1, 2)
        t = pd.to_datetime(df["ts"]).astype("datetime64[s]").astype("int64").to_numpy()
    return NightPart(
        rows=len(df), keys=k, ts=t, shops=pd.unique(df["shop"]).tolist(),
        conv_pairs=pairs(df, "conversation_id"), order_pairs=pairs(df[df["order_id"].notna()], "order_id"),
        buyer_pairs=(pairs(df, "buyer") if buyers is None
                     else pairs(df[df["buyer"].isin(buyers)], "buyer") if buyers else []))


# columns whose values repeat (a thread's shop, ids and senders; quick phrases): see shared_strings
REPEATED_COLUMNS = ("shop", "conversation_id", "buyer", "sender", "role", "text", "file_sha256")


def shared_strings(df: pd.DataFrame, columns) -> pd.DataFrame:
    """df with equal strings of `columns` made one object: pickle writes an object it has seen as a
    reference, so the staged file is smaller and faster to write and read, and the batch that loads
    it holds each distinct string once. Values and dtypes are unchanged."""
    out = df.copy(deep=False)
    for col in columns:
        if col in out and out[col].dtype == object:
            seen: dict = {}
            values = [seen.setdefault(v, v) for v in out[col].tolist()]
            out[col] = pd.Series(np.array(values, dtype=object) if values else np.array([], dtype=object),
                                 index=out.index, dtype=object)
    return out


def read_export(task: tuple) -> dict:
    """Hash one export; unless already scanned, read, conform and key it, stage its messages (a pickle)
    and summarise them for the night. Bad input comes back as a rejection naming file and line."""
    from .ingest import read_file
    from .ingest.explain import format_line, summarise, summarise_rejection
    from .ingest.limits import check_file, limits_of
    from .filehash import file_sha256
    from .store import message_keys

    index, path = task
    ctx = _CONTEXT
    try:
        # before hashing opens it: a FIFO would block for ever, /dev/zero never end, a huge file take long
        check_file(path, limits_of(ctx["config"]))
    except InputError as exc:
        return {"path": path, "oserror": exc.reason}
    try:
        sha = file_sha256(path)
    except OSError as exc:
        return {"path": path, "oserror": exc.strerror or str(exc)}
    if sha in ctx["known"]:
        return {"path": path, "sha": sha, "known": True}
    staged = Path(ctx["stage"]) / f"{index}.pkl"
    try:
        df, info = read_file(path, shop=ctx["shop"], buyer=ctx.get("buyer"), config=ctx["config"],
                             columns=ctx.get("columns"), date=ctx.get("date"))
        out = {"path": path, "sha": sha, "rows": len(df), "reader": info.reader, "encoding": info.encoding,
               "staged": None, "part": None, "member_rejections": list(df.attrs.get("rejected", [])),
               "explain": format_line(summarise(df, info))}
        if len(df):
            df = conform(df).assign(file_sha256=sha)
            df["msg_key"] = message_keys(df).values
            out["part"] = night_part(df, df["msg_key"], None if ctx.get("orders_given") else set())
            shared_strings(df, REPEATED_COLUMNS).to_pickle(staged)
            out["staged"] = staged
        return out
    except InputError as exc:
        return {"path": path, "sha": sha, "rejection": exc.to_rejection(), "reason": str(exc),
                "explain": format_line(summarise_rejection(exc.to_rejection()))}
    except Exception as exc:        # noqa: BLE001 - whatever one file does, the night goes on without it
        staged.unlink(missing_ok=True)
        if machine_fault(exc):
            raise
        reason = f"cannot be read: {failure_reason(exc)}"
        rej = Rejection(str(path), reason)
        return {"path": path, "sha": sha, "rejection": rej, "reason": reason,
                "explain": format_line(summarise_rejection(rej))}


def as_if_known(results: list, files: list, known: set, readers: Workers) -> list:
    """First-pass results as read_export would have given them had `known` been the files already
    scanned: a file newly known is not read (its staged messages go), one no longer known is read
    here, in this process, with the first pass's context (`readers`)."""
    readers.context["known"] = known
    out = []
    for index, (path, res) in enumerate(zip(files, results)):
        if "sha" in res and res.get("known") and res["sha"] not in known:
            res = readers.here(read_export, [(index, path)])[0]
        elif "sha" in res and not res.get("known") and res["sha"] in known:
            if res.get("staged") is not None:
                Path(res["staged"]).unlink(missing_ok=True)
            res = {"path": res["path"], "sha": res["sha"], "known": True}
        out.append(res)
    return out


# errors of the machine, not of a file or a shop: a full disk fails the whole night (the history
# keeps the previous state) instead of rejecting every file or shop in turn
MACHINE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO}


def machine_fault(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in MACHINE_ERRNOS


def failure_reason(exc: BaseException) -> str:
    """One line saying what went wrong (no traceback: the file or shop is named beside it)."""
    text = " ".join(str(exc).split())
    if len(text) > 300:
        text = text[:300] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# ---- second pass: one batch of shops ------------------------------------------------------------

def scan_batch(task: tuple) -> tuple[list, dict, list]:
    """Classify, analyse, stage (as files) and render one batch of whole shops.

    task: (batch number, staged pickles of its fresh files, pickle of its already-scanned files'
    messages or None, the night, scanned_at, parquet of the history's earlier nights or None, the
    batch's shops, optionally the night's failures for the pages), all known only after the first pass. Returns ([(shop, summary, history)],
    {table: staged file}, [{"shop", "reason"}] of shops that failed).

    If anything goes wrong with the batch, its shops are done again one at a time, so one bad shop
    costs only that shop: it is listed as failed, the others are saved and reported.
    """
    batch_no, fresh_paths, stored_path, night, scanned_at, prior_nights, shops, *rest = task
    failures = rest[0] if rest else None        # the night's failures, for the pages
    try:
        staged, stored = _batch_input(fresh_paths, stored_path)
        rows, files = _scan_shops(batch_no, staged, stored, night, scanned_at, prior_nights, failures)
        return rows, files, []
    except Exception as exc:        # noqa: BLE001
        if machine_fault(exc):
            raise
        if len(shops) < 2:
            return [], {}, [{"shop": s, "reason": failure_reason(exc)} for s in shops]
    rows, files, failed = [], {}, []
    for j, shop in enumerate(sorted(shops)):
        try:
            staged, stored = _batch_input(fresh_paths, stored_path)
            staged = [df[df["shop"] == shop] for df in staged]
            if not stored.empty:
                stored = stored[stored["shop"] == shop]
            # sub-batches' files sort after their batch's place and before the next batch's
            got, their_files = _scan_shops(f"{batch_no:06d}.{j:04d}", staged, stored, night, scanned_at,
                                           prior_nights, failures)
        except Exception as exc:    # noqa: BLE001
            if machine_fault(exc):
                raise
            failed.append({"shop": shop, "reason": failure_reason(exc)})
            continue
        rows += got
        for name, paths in their_files.items():
            files.setdefault(name, []).extend(paths)
    return rows, files, failed


def _batch_input(fresh_paths, stored_path) -> tuple[list, pd.DataFrame]:
    staged = [pd.read_pickle(p) for p in fresh_paths]
    stored = pd.read_pickle(stored_path) if stored_path is not None else pd.DataFrame()
    return staged, stored


def _scan_shops(batch_no, staged, stored, night, scanned_at, prior_nights, failures=None):
    ctx = _CONTEXT
    # scan's batch step, handed over in the workers' context (this module does not import scan)
    return ctx["scan_batch_messages"](batch_no, staged, stored, night, classifier=ctx["classifier"], config=ctx["config"],
                               orders_df=ctx["orders"], scanned_at=scanned_at, out_dir=ctx["out_dir"],
                               stage=Path(ctx["stage"]), prior_nights=prior_nights, failures=failures)
