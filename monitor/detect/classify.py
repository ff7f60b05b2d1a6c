"""`chatmon classify`: label messages given as arguments, a csv/xlsx column, or a txt file of lines."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic import atomic_open
from ..csv_safety import escape_cell
from ..errors import UsageError
from ..ingest.encoding import decode_bytes, is_xlsx
from .labelled import file_bytes, table_from_bytes
from .model import load_model
from .types import LABELS

PROGRESS_FROM = 5_000   # below this a bar is noise; above it a user waits seconds


def read_texts(path: str, column: str = "text") -> list[str]:
    """Messages of a txt file (one per line, order kept) or of one column of a csv/xlsx file."""
    p = Path(path)
    data = file_bytes(p)
    if not is_xlsx(data) and p.suffix.lower() != ".csv":   # txt (or anything else): one message per line
        text, _ = decode_bytes(data, str(path))
        return text.lstrip("\ufeff").splitlines()
    df = table_from_bytes(data, p)
    if column not in df.columns:
        raise UsageError(f"{path}: no column {column!r} (columns: {', '.join(map(str, df.columns[:12]))}); "
                         "use --text-column")
    return df[column].astype(str).tolist()


def _distinct(results) -> tuple[list, np.ndarray]:
    """The distinct Classification objects (Classifier.classify gives repeated texts one shared
    object) and, per row, the index of its object: each is formatted once, then rows map onto it."""
    codes, _ = pd.factorize(np.fromiter(map(id, results), dtype=np.int64, count=len(results)))
    first = np.full(int(codes.max(initial=-1)) + 1, len(results), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(results)))
    return [results[i] for i in first.tolist()], codes


def _by_row(lines: list[str], rows: np.ndarray) -> str:
    return "".join(np.asarray(lines, dtype=object)[rows].tolist())


def _score_strings(rounded: np.ndarray) -> list[list[str]]:
    """Each score as numpy's astype(str) writes it (what pandas' to_csv writes), row by row. Scores
    rounded to 4 places take a few thousand values: each distinct value (by its bits, so 0.0 and -0.0
    stay apart) is formatted once and the rows take their strings from those."""
    bits = np.ascontiguousarray(rounded).view(np.int64)
    distinct, where = np.unique(bits.ravel(), return_inverse=True)
    text = np.asarray(distinct.view(np.float64).astype(str).tolist(), dtype=object)
    return text[where.reshape(rounded.shape)].tolist()


def _csv_writer(buf):
    # what pandas' DataFrame.to_csv(index=False) writes with (its writer is the csv module's)
    return csv.writer(buf, lineterminator=os.linesep, quoting=csv.QUOTE_MINIMAL, quotechar='"',
                      doublequote=True, escapechar=None, delimiter=",")


def _csv_header() -> str:
    buf = io.StringIO()
    _csv_writer(buf).writerow(["text", "labels", *(f"p_{lab}" for lab in LABELS), "evidence", "reason"])
    return buf.getvalue()


def _csv(results) -> str:
    return _csv_header() + _csv_rows(results)


def _csv_rows(results) -> str:
    # the same bytes pandas' DataFrame.to_csv(index=False) writes (floats formatted by numpy's
    # astype(str)), with each distinct result's line formatted once
    uniq, rows = _distinct(results)
    probs = _score_strings(np.array([[round(r.scores[lab], 4) for lab in LABELS] for r in uniq],
                                    dtype=np.float64).reshape(len(uniq), len(LABELS)))
    buf = io.StringIO()
    writer = _csv_writer(buf)
    lines = []
    for r, p in zip(uniq, probs):
        buf.seek(0)
        buf.truncate()
        if r.evidence:
            evidence, why = json.dumps([e.to_dict() for e in r.evidence], ensure_ascii=False), escape_cell(r.reason())
        else:       # most messages: what json.dumps and reason() give for no evidence, without the calls
            evidence, why = "[]", ""
        writer.writerow([escape_cell(r.text), "|".join(r.labels), *p, evidence, why])
        lines.append(buf.getvalue())
    return _by_row(lines, rows)


def _jsonl(results) -> str:
    uniq, rows = _distinct(results)
    lines = [json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in uniq]
    return _by_row(lines, rows)


# Classifier.classify's batch: a text's result depends on the first text of its batch with the same
# normalised key (whose scores and features it takes), so a split of the input falls between batches
BATCH = 20_000
# From this many inputs (two batches or more) the rows after a batch boundary near the middle are
# classified and formatted in a forked child, on the machine's other core, while this process does
# the first part (monitor/forked.py): every row gets the result it gets in one process (the same
# batches, the same first texts), the child's rows follow this process's. CHATMON_WORKERS=1, one
# CPU, no fork or a progress bar: all in this process. A child that fails is done here again.
SPLIT_FROM = 2 * BATCH


def _split_at(n: int) -> int | None:
    """The batch boundary nearest the middle of n inputs where a child takes over, or None."""
    if n < SPLIT_FROM or os.environ.get("CHATMON_WORKERS", "").strip() == "1" or (os.cpu_count() or 1) < 2:
        return None
    from ..forked import can_fork

    if not can_fork():
        return None
    batches = -(-n // BATCH)
    return BATCH * max(1, min(batches - 1, round(n / (2 * BATCH))))


def _rows(model, texts: list[str], rows_of) -> str:
    """rows_of(model.classify(texts, batch=BATCH)): the formatted rows of every input, in order."""
    progress = len(texts) >= PROGRESS_FROM and sys.stderr.isatty()
    cut = None if progress else _split_at(len(texts))
    if cut is None:
        return rows_of(model.classify(texts, progress=progress, batch=BATCH))
    from ..forked import in_child

    model.prepare()         # built once, here, and shared with the child
    rest = in_child(lambda: rows_of(model.classify(texts[cut:], batch=BATCH)))
    first = rows_of(model.classify(texts[:cut], batch=BATCH))
    later = rest()
    if later is None:
        later = rows_of(model.classify(texts[cut:], batch=BATCH))
    return first + later


def classify_command(texts, input_path=None, text_column="text", model_dir=None, fmt="jsonl", output=None,
                     operating_point=None, conversation_paths=None) -> None:
    """jsonl: one {"text", "labels", "scores", "evidence", "reason"} per input, in order. csv: text,
    labels (|-joined), p_<label> per label, evidence (JSON), reason (the evidence in plain Chinese).
    To `output` atomically, else to stdout.

    With `conversation_paths` (chat exports chatmon reads), every seller message of them is
    classified with its conversation (monitor.detect.context) and the rows carry the conversation's
    fields too; TEXT arguments and --input are then not allowed."""
    if fmt not in ("jsonl", "csv"):
        raise UsageError(f"unknown format {fmt!r}: use jsonl or csv")
    texts = list(texts)
    if conversation_paths:
        if texts or input_path:
            raise UsageError("--conversation classifies whole chat exports: give no TEXT and no --input with it")
        body = _conversations(conversation_paths, model_dir, operating_point, fmt)
    else:
        if input_path:
            texts += read_texts(input_path, text_column)
        if not texts:
            raise UsageError("nothing to classify: give TEXT arguments or --input FILE")
        model = load_model(model_dir, operating_point)
        rows_of = _jsonl if fmt == "jsonl" else _csv_rows
        body = ("" if fmt == "jsonl" else _csv_header()) + _rows(model, texts, rows_of)
    if output:
        # csv gets a BOM so Excel opens the Chinese text correctly; jsonl stays plain UTF-8
        with atomic_open(output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
            fh.write(body)
    else:
        sys.stdout.write(body)


CONVERSATION_FIELDS = ("conversation_id", "ts", "sender", "role")


def classify_conversations(messages: pd.DataFrame, classifier) -> pd.DataFrame:
    """The seller messages of canonical `messages`, flagged with their conversation (what the scan
    does), in conversation order, with a `reason` column: the evidence in plain Chinese."""
    from ..scan import SELLER_ROLES, flag_messages
    from .explain import reason

    flagged = flag_messages(messages, classifier, progress=False, context=True)
    seller = flagged[flagged["role"].isin(SELLER_ROLES)]
    seller = seller.sort_values(["conversation_id", "ts"], kind="stable")
    return seller.assign(reason=[reason(json.loads(e)) if e else "" for e in seller["evidence"].tolist()])


def _conversations(paths, model_dir, operating_point, fmt) -> str:
    from ..ingest import read_paths

    result = read_paths(list(paths))
    for r in result.rejected:
        print(f"rejected: {r}", file=sys.stderr)
    if result.messages.empty:
        raise UsageError(f"no messages read from {', '.join(map(str, paths))}")
    rows = classify_conversations(result.messages, load_model(model_dir, operating_point))
    records = []
    for row in rows.itertuples(index=False):
        rec = {"conversation_id": row.conversation_id, "ts": pd.Timestamp(row.ts).strftime("%Y-%m-%d %H:%M:%S"),
               "sender": row.sender, "role": row.role, "text": row.text,
               "labels": [x for x in str(row.labels).split("|") if x],
               "scores": {lab: round(float(getattr(row, f"p_{lab}")), 4) for lab in LABELS},
               "evidence": json.loads(row.evidence) if row.evidence else [], "reason": row.reason}
        records.append(rec)
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=os.linesep)
    writer.writerow([*CONVERSATION_FIELDS, "text", "labels", *(f"p_{lab}" for lab in LABELS), "evidence", "reason"])
    for r in records:
        writer.writerow([*(escape_cell(str(r[c])) for c in CONVERSATION_FIELDS), escape_cell(r["text"]),
                         "|".join(r["labels"]), *(r["scores"][lab] for lab in LABELS),
                         json.dumps(r["evidence"], ensure_ascii=False), escape_cell(r["reason"])])
    return buf.getvalue()
