"""`chatmon demo`: copy the bundled sample exports, scan them, and say where the report is."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from .errors import ChatmonError

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
# Files in data/samples that are not chat exports.
_NOT_EXPORTS = ("README", "orders", "truth")


def sample_exports(samples: Path = SAMPLES) -> tuple[list[Path], Path | None]:
    """The bundled chat exports (top level only: broken/ is for the bad-input demo) and the orders file."""
    if not samples.is_dir():
        raise ChatmonError(f"{samples}: sample exports not found (is this a full checkout of chatmon?)")
    exports = sorted(p for p in samples.iterdir()
                     if p.is_file() and not p.name.startswith(".") and not p.name.startswith(_NOT_EXPORTS))
    orders = sorted(samples.glob("orders*"))
    return exports, (orders[0] if orders else None)


def run_demo(out_dir: Path, echo: Callable[[str], None] = print) -> int:
    """Returns the scan's exit status (0, or 3 if a sample file was rejected)."""
    from .scan import run_scan

    out_dir = Path(out_dir)
    exports, orders = sample_exports()
    if not exports:
        raise ChatmonError(f"{SAMPLES}: no sample exports in it")
    target = out_dir / "exports"
    target.mkdir(parents=True, exist_ok=True)
    for src in exports:
        shutil.copy2(src, target / src.name)
    echo(f"copied {len(exports)} sample export(s) to {target}")
    summary = run_scan([str(target)], orders=str(orders) if orders else None, out_dir=out_dir,
                       db_path=str(out_dir / "chatmon.duckdb"), echo=echo)
    echo("")
    echo(f"{'店铺':<16}{'预计罚款':>10}{'最坏情况':>10}  标记")
    for shop, s in sorted(summary["shops"].items(), key=lambda kv: -kv[1]["exposure_expected_yuan"]):
        flagged = ", ".join(f"{k}={v}" for k, v in s["flagged"].items() if v)
        # issue 19: promises by state, apart from the flags
        p = s.get("promises") or {}
        promises = f"  承诺 兑现{p.get('kept', 0)}/未兑现{p.get('broken', 0)}/待定{p.get('open', 0)}" if p else ""
        echo(f"{shop:<16}{s['exposure_expected_yuan']:>10.1f}{s['exposure_worst_yuan']:>10.1f}  {flagged or '-'}{promises}")
    echo("")
    echo(f"open the report: {(out_dir / 'index.html').resolve()}")
    return 3 if summary["rejected"] or summary.get("failed_shops") else 0
