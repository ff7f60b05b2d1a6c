"""`chatmon`: a thin click layer over the library; every command calls one library function.

Exit status: 0 success, 2 usage error, 3 some input files were rejected (the rest still processed).
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from .errors import ChatmonError, UsageError

EXIT_REJECTED = 3
EXIT_NOT_PROMOTED = 4   # `promote`: the candidate is worse, the default was kept

MODEL_HELP = ("Model folder (default: models/default), e.g. --model models/v2. Model files are code (a pickle): "
              "load them only from places you trust; model.joblib must match the SHA-256 in its card.json "
              "(written by `chatmon train`) or it is refused (exit 2).")


def _fail(exc: Exception, code: int = 1) -> None:
    click.echo(f"chatmon: error: {exc}", err=True)
    sys.exit(code)


def _report_rejections(rejected) -> None:
    for r in rejected:
        click.echo(f"rejected: {r}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="chatmon")
def cli() -> None:
    """chatmon: find a Taobao/Tmall shop's penalty exposure in its customer-service chats.

    \b
    Start here:
      chatmon demo                         # sample exports -> scan -> out/demo/
      chatmon scan exports/ --out out/     # the nightly job
    """


@cli.command()
@click.option("--out", "out_dir", default="out/demo", show_default=True, type=click.Path(file_okay=False),
              help="Where the demo writes its sample exports and report.")
def demo(out_dir: str) -> None:
    """Scan the bundled sample exports and write a report.

    \b
    Example:
      chatmon demo
      chatmon demo --out /tmp/chatmon-demo
    """
    from .demo import run_demo
    try:
        code = run_demo(Path(out_dir), echo=click.echo)
    except ChatmonError as exc:
        _fail(exc)
    sys.exit(code)


def _date_option(f):
    return click.option(
        "--date", "date", metavar="YYYY-MM-DD",
        help="The chats' date for exports that hold only the time of day (the Qianniu page exporter's "
             "workbook, 20:57:11); a time earlier than the one before it is the next day. "
             "E.g. --date 2026-11-22.")(f)


def _columns_option(f):
    return click.option(
        "--columns", "columns", type=click.Path(exists=True, dir_okay=False),
        help="toml/json mapping of your headers to canonical columns, e.g. {\"买家旺旺\": \"buyer\"}.")(f)


def _write_text(text: str, output) -> None:
    if output:
        from .atomic import write_text
        write_text(Path(output), text)
    else:
        sys.stdout.write(text)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--shop", help="Shop name for exports that do not carry one.")
@click.option("--buyer", help="Buyer of single-conversation files that do not name one (TOP chat-log API "
                              "responses saved without their request), e.g. --buyer tb_buyer01.")
@_columns_option
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Shop config (agents, auto-reply senders).")
@_date_option
@click.option("--explain", is_flag=True,
              help="Instead of the messages, say per file what it was read as: layout, encoding, messages by "
                   "role, shops, buyers, agents, first and last time, and what had to be assumed "
                   "(text; with --format jsonl one JSON object per file).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: stdout).")
def ingest(paths, shop, buyer, columns, config_path, date, explain, fmt, output) -> None:
    """Read chat exports (txt/csv/xlsx/json, any layout chatmon knows) into canonical messages.

    The csv output is the file to label in Excel and feed back to `chatmon train`.

    \b
    Example:
      chatmon ingest exports/ --format csv -o messages.csv
      chatmon ingest 聊天记录.txt --shop 示例旗舰店 --format jsonl
      chatmon ingest chatlog_get.json --shop 示例旗舰店 --buyer tb_buyer01
      chatmon ingest 千牛聊天记录.zip -o messages.csv
      chatmon ingest 千牛聊天记录_原始逐条.xlsx --date 2026-11-22 -o messages.csv
      chatmon ingest exports/ --explain
      chatmon ingest exports/ --explain --format jsonl -o explain.jsonl
    """
    from .config import load_config
    from .ingest import read_paths
    from .schema import write_messages
    if explain:
        from .ingest.explain import explain_paths, format_text, to_jsonl
        try:
            summaries = explain_paths(paths, shop=shop, buyer=buyer, columns=columns, config=load_config(config_path),
                                      date=date)
        except ChatmonError as exc:
            _fail(exc, 2)
        text = to_jsonl(summaries) if fmt == "jsonl" else "".join(format_text(s) + "\n\n" for s in summaries)
        _write_text(text, output)
        sys.exit(EXIT_REJECTED if any(s["status"] != "ok" or s.get("rejected_members") for s in summaries) else 0)
    try:
        config = load_config(config_path)
        result = read_paths(paths, shop=shop, buyer=buyer, columns=columns, config=config, date=date)
    except ChatmonError as exc:
        _fail(exc, 2)
    _report_rejections(result.rejected)
    if output:
        write_messages(result.messages, output, fmt)
        click.echo(f"{len(result.messages)} messages from {len(result.files)} file(s) -> {output}", err=True)
    else:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            tmp_file = Path(tmp) / f"messages.{fmt}"
            write_messages(result.messages, tmp_file, fmt)
            sys.stdout.write(tmp_file.read_text(encoding="utf-8-sig"))
    sys.exit(EXIT_REJECTED if result.rejected else 0)


def _operating_point_option(f):
    return click.option(
        "--operating-point", "operating_point", type=click.Choice(["balanced", "quiet", "live"]), default=None,
        help="Thresholds from the model card (default: the model's own default, `live` for the shipped one): "
             "live (chosen for real chats: few false alarms, spam recall kept), balanced (best F1 on the "
             "labelled corpus) or quiet (each label flags at most 0.2% of validation ok rows), "
             "e.g. --operating-point balanced.")(f)


@cli.command()
@click.argument("texts", nargs=-1)
@click.option("--input", "input_path", type=click.Path(exists=True, dir_okay=False),
              help="csv/xlsx/txt file of messages (txt: one message per line).")
@click.option("--text-column", default="text", show_default=True, help="Column holding the message text.")
@click.option("--conversation", "conversation_paths", multiple=True, type=click.Path(exists=True),
              help="A chat export (any layout `ingest` reads; repeat for more): classify its seller messages "
                   "with their conversation (the buyer's question, contacts split over messages), "
                   "e.g. --conversation 聊天记录.txt.")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False),
              help=MODEL_HELP)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: stdout).")
@_operating_point_option
def classify(texts, input_path, text_column, conversation_paths, model_dir, fmt, output, operating_point) -> None:
    """Label seller messages: diversion, qr_lure, negative, harassment, promise (none = ok).

    promise marks a checkable commitment ("今天下午一定给您发出"): not a violation by itself; the scan
    checks it against the orders.

    Each row carries the machine evidence (rule ids, spans) and `reason`, the same in plain Chinese
    (规则: 微信号；模型: "加我").

    \b
    Example:
      chatmon classify "加我薇信 abc12345 发你优惠" "好的亲，马上为您发货"
      chatmon classify --input messages.csv --text-column text --format csv -o flags.csv
      chatmon classify --input messages.csv --operating-point quiet --format csv -o flags.csv
      chatmon classify --conversation 聊天记录.txt --format csv -o flags.csv
    """
    from .detect.model_file import DEFAULT_MODEL_DIR, prefetch_model
    from .gcpause import collector_paused
    # the model file read, hashed and inflated on the other core while the next import runs
    prefetch_model(model_dir or DEFAULT_MODEL_DIR)
    try:
        # the cyclic collector off while pandas and sklearn import (0.07 of their 1.15 CPU s went to
        # it) and, for a list of texts, for the whole command: reading, the model, the output are
        # objects that live until it ends. Chat exports (--conversation) are read with it on.
        with collector_paused():
            from .detect.classify import classify_command
        with collector_paused() if not conversation_paths else nullcontext():
            classify_command(list(texts), input_path=input_path, text_column=text_column,
                             model_dir=model_dir, fmt=fmt, output=output, operating_point=operating_point,
                             conversation_paths=list(conversation_paths))
    except UsageError as exc:
        _fail(exc, 2)
    except ChatmonError as exc:
        _fail(exc)


@cli.command()
@click.argument("labelled", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Model folder to write (model.joblib + card.json).")
@click.option("--seed", default=13, show_default=True, help="Random seed (folds, augmentation).")
@click.option("--no-cv", is_flag=True,
              help="Skip the grouped 5-fold measurement (about 4/5 of the time); the card then has no metrics.")
@click.option("--promote", "promote_into", is_flag=False, flag_value="default", default=None, metavar="[DIR]",
              help="After training, replace DIR's model (default models/default) with the new one only if it is "
                   "not worse on the check set (see `chatmon promote`), e.g. --promote.")
def train(labelled, out_dir, seed, no_cv, promote_into) -> None:
    """Train a classifier from labelled csv/xlsx files (columns text, labels; folders are searched).

    Writes a candidate model to --out; the default model changes only through `chatmon promote`
    (or --promote), which refuses a candidate that is worse on the check set. The card (card.json)
    records the grouped 5-fold cross-validation metrics, the thresholds, the training data hash and
    the package versions.

    \b
    Example:
      chatmon train data/labelled --out models/mine
      chatmon train my_labels.xlsx data/labelled --out models/v2 --promote
      chatmon train big_labels.csv --out models/quick --no-cv
    """
    from .detect.train import train_model
    try:
        card = train_model(list(labelled), Path(out_dir), seed=seed, echo=lambda m: click.echo(m, err=True),
                           cv=not no_cv)
    except ChatmonError as exc:
        _fail(exc, 2)
    click.echo(json.dumps(card.get("metrics", {}), ensure_ascii=False, indent=2))
    if promote_into:
        _promote(out_dir, None if promote_into == "default" else promote_into, (), 0.0, False, False)


def _promote(candidate, into, check, tolerance, force, dry_run) -> None:
    from .detect.promote import comparison_text, promote as promote_model
    try:
        result = promote_model(candidate, into=into, check_paths=list(check) or None, tolerance=tolerance,
                               force=force, dry_run=dry_run)
    except UsageError as exc:
        _fail(exc, 2)
    except ChatmonError as exc:
        _fail(exc, 1)
    click.echo(comparison_text(result, candidate, into or "models/default"), err=True)
    if not result["promote"] and not force:
        sys.exit(EXIT_NOT_PROMOTED)


@cli.command()
@click.argument("candidate", type=click.Path(exists=True, file_okay=False))
@click.option("--into", "into", type=click.Path(file_okay=False),
              help="Model folder to replace (default: models/default).")
@click.option("--check", "check", multiple=True, type=click.Path(exists=True),
              help="Labelled check files or folders (default: data/check, never trained on); repeatable.")
@click.option("--tolerance", default=0.0, show_default=True, type=float,
              help="How much lower a per-label F1 (or higher the false-alarm rate) may be and still pass, e.g. 0.01.")
@click.option("--force", is_flag=True, help="Replace even when the candidate is worse (the comparison is still printed).")
@click.option("--dry-run", is_flag=True, help="Only compare; replace nothing.")
def promote(candidate, into, check, tolerance, force, dry_run) -> None:
    """Replace the default model with CANDIDATE only if it is not worse on the check set.

    Scores both models on the same check files (per-label F1, false alarms on ordinary replies) and
    prints the comparison. Exit status 4 when the candidate is worse and nothing was replaced; the
    replaced model is kept in DIR/previous/.

    \b
    Example:
      chatmon train data/labelled my_labels.csv --out models/candidate
      chatmon promote models/candidate
      chatmon promote models/candidate --into models/shopA --check my_check.csv --tolerance 0.01
      chatmon promote models/candidate --dry-run
    """
    _promote(candidate, into, check, tolerance, force, dry_run)


@cli.command()
@click.argument("labelled", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False),
              help=MODEL_HELP)
@click.option("--half", type=click.Choice(["dev", "test"]),
              help="Score one fixed half of each file (by the MD5 of the text): read errors on dev, report test.")
@click.option("--by", "by", metavar="COLUMN",
              help="Also break each file's numbers down by the values of this column (e.g. dataset).")
@_operating_point_option
def evaluate(labelled, model_dir, half, by, operating_point) -> None:
    """Score a model on labelled files: per-label precision, recall, F1, support; false alarms on ok rows.

    Files with an `expected` column (like ../shared/eval) are read too. Prints JSON on stdout.

    \b
    Example:
      chatmon evaluate my_labels.csv --model models/default
      chatmon evaluate ../shared/eval/real_cs_agent_replies.csv
      chatmon evaluate ../shared/eval/real_contact_spam.csv --half test
      chatmon evaluate ../shared/eval/real_cs_agent_replies.csv --half test --operating-point quiet
      chatmon evaluate ../shared/eval/real_cs_agent_replies.csv --half test --by dataset
    """
    from .detect.evaluate import evaluate_files
    try:
        metrics = evaluate_files(list(labelled), model_dir=model_dir, half=half, operating_point=operating_point,
                                 by=by)
    except ChatmonError as exc:
        _fail(exc, 2)
    click.echo(json.dumps(metrics, ensure_ascii=False, indent=2))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--shop", help="Shop name for exports that do not carry one.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Shop config (working hours, slow-reply threshold, agents).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: stdout).")
def latency(paths, shop, config_path, fmt, output) -> None:
    """Response latency per session: first/mean/max response, slow and unanswered waits, 3-minute rate.

    \b
    Example:
      chatmon latency exports/ --format jsonl
      chatmon latency 聊天记录.txt --config shop.toml -o sessions.csv
    """
    from .config import load_config
    from .ingest import read_paths
    from .timing import compute_latency, write_sessions
    try:
        config = load_config(config_path)
        result = read_paths(paths, shop=shop, config=config)
    except ChatmonError as exc:
        _fail(exc, 2)
    _report_rejections(result.rejected)
    lat = compute_latency(result.messages, config)
    write_sessions(lat.sessions, output, fmt)
    sys.exit(EXIT_REJECTED if result.rejected else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--orders", "orders_path", type=click.Path(exists=True), help="Orders export (csv/xlsx).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Shop config and penalty table (toml).")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False),
              help=MODEL_HELP)
@click.option("--shop", help="Shop name for exports that do not carry one.")
@click.option("--buyer", help="Buyer of single-conversation files that do not name one (TOP chat-log API "
                              "responses), e.g. --buyer tb_buyer01.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Scan history (default: chatmon.duckdb beside --out).")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False))
@click.option("--night", help="Night to record the scan under, YYYY-MM-DD (default: the date of the median message; "
              "with no readable message, the date in the export folder's name, else the files' dates). "
              "Everything given is then one night, e.g. --night 2026-11-22. "
              "Without --date it is also the date of exports that hold only the time of day.")
@_columns_option
@_date_option
@click.option("--replace-night", is_flag=True,
              help="This scan is the whole night: shops of the night it did not read are removed from it "
                   "(by default a re-scan replaces only the shops it read), e.g. --replace-night.")
@_operating_point_option
def scan(paths, orders_path, config_path, model_dir, shop, buyer, db_path, out_dir, night, columns, date,
         replace_night, operating_point) -> None:
    """The nightly job: read, flag, time, score, store and report.

    Writes OUT/<night>/summary.json, OUT/<night>/index.html and OUT/<night>/<shop>/report.html,
    report.xlsx, flagged.csv; OUT/index.html and OUT/summary.json are the latest night's. Exports in
    folders named by date (exports/2026-11-21/, exports/2026-11-22/) are scanned one night per folder;
    undated files holding different nights' chats are split by night. Prints one line per export file
    (what it was read as; see `chatmon ingest --explain`). Exit status 3 when some input files were
    rejected or some shops failed (the others are still scanned and saved; failed shops are listed in
    summary.json's failed_shops and on the overview; a bad --orders file is one of the rejections) or
    no message could be read (a failed night). With [notify] webhook_url in --config, the night's
    summary is also pushed to a DingTalk or WeCom group robot (a failed push is a warning only).

    \b
    Example:
      chatmon scan exports/2026-11-22/ --orders orders.xlsx --out out/
      chatmon scan exports/ --config shops.toml --db history.duckdb --out reports/
      chatmon scan exports/ --operating-point quiet --out reports/
      chatmon scan chatlog_get.json --shop 示例旗舰店 --buyer tb_buyer01 --out reports/
      chatmon scan exports/2026-11-22/ --night 2026-11-22 --out out/   # time-only workbooks dated 11-22
      chatmon scan exports/ --columns cols.toml --date 2026-11-22 --out out/
      chatmon scan exports/2026-11-22/ --replace-night --out out/    # a shop dropped from the night goes
    """
    import duckdb

    from .detect import load_model
    from .scan import run_scan
    _exit_on_sigterm()
    try:
        # a non-default operating point is loaded here and handed over; the default is loaded by run_scan
        classifier = load_model(model_dir, operating_point) if operating_point else None
        summary = run_scan(list(paths), orders=orders_path, config_path=config_path, model_dir=model_dir,
                           shop=shop, buyer=buyer, db_path=db_path, out_dir=Path(out_dir), night=night,
                           echo=lambda m: click.echo(m, err=True), classifier=classifier,
                           columns=columns, date=date, replace_night=replace_night)
    except UsageError as exc:
        _fail(exc, 2)
    except ChatmonError as exc:
        _fail(exc)
    except (OSError, duckdb.Error) as exc:     # the machine's fault (a full disk): one line, not a traceback
        _fail(f"{' '.join(str(exc).split())[:300]} (the scan stopped; the history keeps what its last "
              "finished scan saved)")
    _report_rejections_dicts(summary.get("rejected", []))
    for f in summary.get("failed_shops", []):
        click.echo(f"failed shop: {f['shop']}: {f['reason']}", err=True)
    failed = [n["night"] for n in summary.get("nights_scanned", [summary]) if n.get("status") == "failed"]
    for n in failed:
        click.echo(f"night {n} FAILED: no message could be read", err=True)
    # a failed shop is a rejection of its files: the rest of the night is saved and reported (exit 3)
    sys.exit(EXIT_REJECTED if summary.get("rejected") or summary.get("failed_shops") or failed else 0)


def _exit_on_sigterm() -> None:
    """SIGTERM (a scheduler's timeout, `kill`) ends the scan like Ctrl-C: the night's transaction is
    rolled back, workers are stopped and the staging folder is removed (SIGKILL runs none of that:
    workers then die with their parent and the next scan removes the folder)."""
    import signal

    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _report_rejections_dicts(rejected) -> None:
    for r in rejected:
        click.echo(f"rejected: {r['file']}: {r['reason']}", err=True)


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--shop", help="Only this shop.")
@click.option("--night", help="Only this night, YYYY-MM-DD (default: every night the history holds).")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Settings file (toml) for the overview's [report] settings, e.g. --config shops.toml.")
def report(db_path, shop, night, out_dir, config_path) -> None:
    """Re-render reports from the scan history, without re-reading exports.

    Writes what a scan writes, in the same layout: for every night (or --night) OUT/<night>/summary.json,
    OUT/<night>/index.html and the shops' pages, then OUT/index.html and OUT/summary.json as the
    latest night's. A night's rejected files come from its summary.json in OUT, else from the history.

    \b
    Example:
      chatmon report --db out/chatmon.duckdb --out out/
      chatmon report --db out/chatmon.duckdb --shop 示例旗舰店 --night 2026-11-22
    """
    import duckdb

    from .config import load_config
    from .report import render_from_db
    from .store import HistoryDamaged
    try:
        written = render_from_db(Path(db_path), shop=shop, night=night, out_dir=Path(out_dir),
                                 config=load_config(config_path))
    except ChatmonError as exc:
        _fail(exc, 2)
    except duckdb.Error as exc:       # a block of the history fails its checksum while being read
        _fail(HistoryDamaged(Path(db_path), exc), 2)
    for p in written:
        click.echo(str(p))


def main() -> None:
    try:
        cli(prog_name="chatmon")
    except SystemExit as done:         # click ends every command this way, also on success
        _exit_without_teardown(done.code)


def _exit_without_teardown(code) -> None:
    """sys.exit(code), less the interpreter's teardown.

    After a command, Python would free every object one by one (the model's vocabularies, pandas,
    scikit-learn's modules) and the OS then frees the process anyway: 0.3 s of `chatmon classify`'s
    3.4 s on 60k real replies (bench/RESULTS.md). Everything a command writes is closed by then
    (atomic writes close before they rename); threads that are not daemons are waited for and the
    exit handlers run (temporary folders, logging, coverage), as at a normal exit; then stdout and
    stderr are flushed and the process ends with sys.exit's status.
    """
    import atexit
    import os
    import threading

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:                               # sys.exit("message"): printed, status 1, as sys.exit does
        print(code, file=sys.stderr)
        status = 1
    # what the interpreter's own exit does first, by its own functions: threading's exit hooks (they
    # stop executors' threads: joblib's, concurrent.futures'), then waiting for the threads that are
    # not daemons (a scan's history backup still being copied), then the exit handlers. A Python
    # without threading._shutdown gets a plain exit, teardown included.
    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is None:
        raise SystemExit(code)
    shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe (chatmon … | head): nothing more to say
            pass
    os._exit(status & 0xFF)


if __name__ == "__main__":
    main()
