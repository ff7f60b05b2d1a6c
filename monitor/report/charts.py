"""Charts as inline SVG strings: the report page must open offline, with no script and no network."""

from __future__ import annotations

from html import escape
from typing import Sequence

import numpy as np

# Wait buckets (seconds). 100 s is Qianniu's own reminder, 180 s the platforms' 3-minute rule.
WAIT_EDGES = (0, 30, 60, 100, 180, 300, 600, 1800, float("inf"))
WAIT_LABELS = ("<30秒", "30-60秒", "1-1.7分", "1.7-3分", "3-5分", "5-10分", "10-30分", ">30分")


def wait_histogram(wait_s: Sequence[float], unanswered: int) -> list[tuple[str, int, str]]:
    """(label, count, kind) per bucket; kind is ok / warn / slow / none for colouring."""
    arr = np.asarray(wait_s, dtype=float).reshape(-1)     # (None becomes NaN)
    arr = arr[~np.isnan(arr)]
    counts, _ = np.histogram(arr, bins=WAIT_EDGES) if arr.size else (np.zeros(len(WAIT_LABELS), int), None)
    kinds = ("ok", "ok", "ok", "warn", "slow", "slow", "slow", "slow")
    bars = [(lab, int(c), k) for lab, c, k in zip(WAIT_LABELS, counts, kinds)]
    bars.append(("未回复", int(unanswered), "none"))
    return bars


_COLOURS = {"ok": "#2e9d6b", "warn": "#e0a526", "slow": "#d9534f", "none": "#7a1f1f"}


def bar_chart_svg(bars: list[tuple[str, int, str]], width: int = 640, height: int = 220, title: str = "") -> str:
    n = len(bars)
    top, bottom, left = 24, 40, 36
    plot_h = height - top - bottom
    slot = (width - left - 8) / max(n, 1)
    peak = max([b[1] for b in bars] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart">']
    if title:
        parts.append(f'<title>{escape(title)}</title>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 4}" y2="{top + plot_h}" stroke="#bbb"/>')
    for i, (label, count, kind) in enumerate(bars):
        h = plot_h * count / peak
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        y = top + plot_h - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="3" '
                     f'fill="{_COLOURS.get(kind, "#888")}"><title>{escape(label)}: {count}</title></rect>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12">{count}</text>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                     f'font-size="11" fill="#555">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def trend_svg(nights: Sequence[str], series: dict[str, Sequence[float]], width: int = 640, height: int = 220,
              title: str = "") -> str:
    """Lines over nights (e.g. expected and worst-case yuan). Fewer than two nights: one dot each."""
    colours = ["#c0392b", "#e67e22", "#2c7fb8"]
    top, bottom, left, right = 20, 40, 48, 12
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([max(v) if len(v) else 0 for v in series.values()] + [1.0])
    n = len(nights)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        return x, top + plot_h - plot_h * v / peak

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for frac in (0, 0.5, 1):
        y = top + plot_h - plot_h * frac
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#666">'
                     f'{peak * frac:.0f}</text>')
    for k, (name, values) in enumerate(series.items()):
        colour = colours[k % len(colours)]
        pts = [xy(i, float(v)) for i, v in enumerate(values)]
        if len(pts) > 1:
            parts.append('<polyline fill="none" stroke-width="2" stroke="{}" points="{}"/>'.format(
                colour, " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)))
        for (x, y), v, night in zip(pts, values, nights):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                         f'<title>{escape(night)} {escape(name)}: ¥{float(v):.0f}</title></circle>')
        parts.append(f'<text x="{left + 8 + k * 120}" y="{height - 8}" font-size="12" fill="{colour}">'
                     f'■ {escape(name)}</text>')
    step = max(1, n // 7)
    for i in range(0, n, step):
        x, _ = xy(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
                     f'fill="#555">{escape(nights[i][5:])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline_svg(values: Sequence[float | None], nights: Sequence[str], width: int = 150, height: int = 32,
                  label: str = "") -> str:
    """A small line of one shop's expected yuan over the fleet's nights (None: not scanned that
    night, a gap in the line); the last point is marked. Each point's night and yuan is a tooltip."""
    n = len(values)
    pad = 3
    peak = max([float(v) for v in values if v is not None] + [1.0])

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad + ((width - 2 * pad) * i / (n - 1) if n > 1 else (width - 2 * pad) / 2)
        return x, height - pad - (height - 2 * pad) * float(v) / peak

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="{escape(label)}" class="spark">']
    run: list = []
    runs = []
    for i, v in enumerate(values):
        if v is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(xy(i, v))
    if run:
        runs.append(run)
    parts.append(f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#ddd"/>')
    for r in runs:
        if len(r) > 1:
            parts.append('<polyline fill="none" stroke="#c0392b" stroke-width="1.5" points="{}"/>'.format(
                " ".join(f"{x:.1f},{y:.1f}" for x, y in r)))
    for i, (v, night) in enumerate(zip(values, nights)):
        if v is None:
            continue
        x, y = xy(i, v)
        last = i == n - 1
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{2.6 if last else 1.6}" fill="#c0392b">'
                     f'<title>{escape(str(night))}: ¥{float(v):,.0f}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)
