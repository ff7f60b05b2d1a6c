"""A push after each scan to the group chat the team already reads: a DingTalk or WeCom group robot.

Off by default: it sends only when [notify] webhook_url is set. The message is the night's headline
(total expected yuan and its range), the failures (rejected files, shops that failed) and the top
shops by expected exposure; nothing about buyers. Delivery is best effort: a robot that is down,
slow, refuses the message or answers errcode != 0 costs one warning line, never the scan.

Message formats, as the platforms document them:
- DingTalk custom robot (钉钉自定义机器人, open.dingtalk.com/document/development/robot-message-type):
  {"msgtype": "markdown", "markdown": {"title": ..., "text": ...}} or
  {"msgtype": "text", "text": {"content": ...}}; a robot with 加签 security takes `timestamp` and
  `sign` = urlencode(base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}"))) in the URL.
- WeCom group robot (企业微信群机器人, developer.work.weixin.qq.com, 群机器人配置说明):
  {"msgtype": "markdown", "markdown": {"content": ...}} (at most 4096 bytes) or
  {"msgtype": "text", "text": {"content": ...}} (at most 2048 bytes).
Both answer {"errcode": 0, "errmsg": "ok"} when the message was accepted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Callable

KINDS = ("dingtalk", "wecom")
FORMATS = ("markdown", "text")
# the platforms' limits on a message body, in bytes of UTF-8 (WeCom text 2048, markdown 4096; DingTalk
# is larger, the same bound keeps a message short enough to read on a phone)
MAX_BYTES = {("wecom", "text"): 2048, ("wecom", "markdown"): 4096, ("dingtalk", "text"): 4096,
             ("dingtalk", "markdown"): 4096}


def _yuan(v) -> str:
    return f"¥{float(v or 0):,.0f}"


def message_lines(summary: dict, top: int = 10) -> tuple[str, list[str], list[str], list[str]]:
    """(title, headline lines, failure lines, top-shop lines) of a scan's summary.json content."""
    shops = summary.get("shops") or {}
    night = summary.get("night") or ""
    expected = sum(float(s.get("exposure_expected_yuan") or 0) for s in shops.values())
    certain = sum(float(s.get("exposure_certain_yuan") or 0) for s in shops.values())
    worst = sum(float(s.get("exposure_worst_yuan") or 0) for s in shops.values())
    title = f"chatmon 客服风险日报 {night}"
    head = [f"扫描 {len(shops)} 家店铺，预计罚款 {_yuan(expected)}（可能区间 {_yuan(certain)} – {_yuan(worst)}）"]
    failures = []
    rejected = summary.get("rejected") or []
    failed = summary.get("failed_shops") or []
    if rejected:
        failures.append(f"{len(rejected)} 个文件未能读取：")
        failures += [f"{_file_name(r.get('file'))}：{r.get('reason', '')}" for r in rejected[:5]]
        if len(rejected) > 5:
            failures.append(f"……另有 {len(rejected) - 5} 个，见 summary.json")
    if failed:
        failures.append(f"{len(failed)} 家店铺处理失败：" + "、".join(str(f.get("shop")) for f in failed[:10]))
    if not shops:
        failures.append("本晚没有读到任何聊天记录：请检查导出文件")
    ranked = sorted(shops.items(), key=lambda kv: (-float(kv[1].get("exposure_expected_yuan") or 0), kv[0]))
    tops = [f"{i}. {name} {_yuan(s.get('exposure_expected_yuan'))}" for i, (name, s) in enumerate(ranked[:top], 1)
            if float(s.get("exposure_expected_yuan") or 0) > 0]
    return title, head, failures, tops


def _file_name(path) -> str:
    return str(path or "").replace("\\", "/").rsplit("/", 1)[-1]


def build_payload(summary: dict, kind: str = "dingtalk", fmt: str = "markdown", top: int = 10,
                  report_url: str = "") -> dict:
    """The JSON body the robot expects (module docstring), within the platform's size limit."""
    if kind not in KINDS:
        raise ValueError(f"webhook_kind {kind!r}: use one of {', '.join(KINDS)}")
    if fmt not in FORMATS:
        raise ValueError(f"webhook_format {fmt!r}: use one of {', '.join(FORMATS)}")
    title, head, failures, tops = message_lines(summary, top)
    limit = MAX_BYTES[(kind, fmt)]
    while True:
        if fmt == "markdown":
            parts = [f"### {title}", *head]
            if failures:
                warn = (lambda s: f'<font color="warning">{s}</font>') if kind == "wecom" else (lambda s: f"**{s}**")
                parts += ["", warn("扫描不完整"), *[f"> {f}" for f in failures]]
            if tops:
                parts += ["", "**预计罚款最高的店铺**", *tops]
            if report_url:
                parts += ["", f"[打开总览]({report_url})"]
            body = "\n\n".join(parts) if kind == "dingtalk" else "\n".join(parts)
        else:
            parts = [title, *head]
            if failures:
                parts += ["扫描不完整：", *failures]
            if tops:
                parts += ["预计罚款最高的店铺：", *tops]
            if report_url:
                parts.append(report_url)
            body = "\n".join(parts)
        if len(body.encode("utf-8")) <= limit or not tops:
            break
        tops = tops[:-1]            # too long for the platform: fewer shops, never a cut character
    if len(body.encode("utf-8")) > limit:
        body = body.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    if kind == "dingtalk" and fmt == "markdown":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": body}}
    if fmt == "markdown":
        return {"msgtype": "markdown", "markdown": {"content": body}}
    return {"msgtype": "text", "text": {"content": body}}


def signed_url(url: str, secret: str, now_ms: int | None = None) -> str:
    """A DingTalk URL with the 加签 parameters (timestamp, sign) appended; unchanged without a secret."""
    if not secret:
        return url
    ts = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode("utf-8"), f"{ts}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={sign}"


def post(url: str, payload: dict, timeout: float) -> None:
    """POST the JSON; raises OSError/ValueError with a readable reason when it was not accepted."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:       # noqa: S310 (the user's own URL)
        body = resp.read(65536)
    try:
        answer = json.loads(body.decode("utf-8"))
    except ValueError:
        raise ValueError(f"the robot answered something that is not JSON: {body[:80]!r}") from None
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise ValueError(f"the robot refused the message: errcode {answer.get('errcode')}, {answer.get('errmsg')}")


def notify_scan(summary: dict, settings: dict, echo: Callable[[str], None] = print) -> bool:
    """Send the scan's message if [notify] webhook_url is set; True when the robot accepted it.

    Never raises: a failure is one warning line through `echo`."""
    url = str(settings.get("webhook_url") or "").strip()
    if not url:
        return False
    kind = str(settings.get("webhook_kind", "dingtalk"))
    try:
        payload = build_payload(summary, kind, str(settings.get("webhook_format", "markdown")),
                                int(settings.get("webhook_top_shops", 10)), str(settings.get("report_url") or ""))
        if kind == "dingtalk":
            url = signed_url(url, str(settings.get("webhook_secret") or ""))
        post(url, payload, float(settings.get("webhook_timeout_s", 10)))
    except (OSError, ValueError, urllib.error.URLError) as exc:
        reason = getattr(exc, "reason", None) or exc
        echo(f"warning: the {kind} webhook message was not delivered ({reason}); the scan itself is complete")
        return False
    echo(f"sent the night's summary to the {kind} group robot")
    return True
