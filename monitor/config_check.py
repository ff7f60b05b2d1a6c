"""Check a config's values before any export is read: types, ranges, finite numbers.

The check is driven by the packaged defaults (monitor/defaults.toml): every setting must have the
type of its default, so a key another module adds there is checked without touching this file.
Numbers must be finite and, unless RANGES says otherwise, not negative (seconds, hours, yuan and
counts are never below zero). A bool is not a number here: TOML's `true` is not 1 second.

Errors name the file and the key: `shops.toml:latency.slow_reply_s: must be a number, not true`.
"""

from __future__ import annotations

import math
from typing import Any

from .errors import UsageError

# explicit ranges (inclusive; None = open), by key name, for keys whose sane values are narrower
# than "finite and >= 0"
RANGES: dict[str, tuple[float | None, float | None]] = {
    "session_gap_s": (1, None),         # a gap of 0 s would make every message a session
    "slow_reply_s": (1, None),
    "warn_reply_s": (1, None),
    "broken_promise_rate": (0, 1),      # a share of the order amount
    "webhook_timeout_s": (1, None),     # 0 s would give up before the robot could answer
    "json_max_depth": (1, None),        # 0 would reject every JSON export
    "fleet_nights": (1, None),          # the overview's chart needs tonight at least
}


def _choices() -> dict[str, tuple]:
    """Texts that must be one of a few words (the modules that read them list the words)."""
    from .notify import FORMATS, KINDS

    return {"webhook_kind": tuple(KINDS), "webhook_format": tuple(FORMATS)}


class ConfigError(UsageError):
    """A setting of the wrong type or out of range (exit status 2, like any usage error)."""

    def __init__(self, file: str, key: str, reason: str):
        self.file, self.key, self.reason = file, key, reason
        super().__init__(f"{file}:{key}: {reason}")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "table"
    return type(value).__name__


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def check_value(file: str, key: str, value: Any, default: Any) -> None:
    """Raise ConfigError unless `value` fits the type of `default` (and, for numbers, its range)."""
    name = key.rsplit(".", 1)[-1]
    want = _kind(default)
    have = _kind(value)
    if want != have:
        article = {"number": "a number", "bool": "true or false", "text": "a text in quotes",
                   "list": "a list", "table": "a table"}.get(want, want)
        raise ConfigError(file, key, f"must be {article}, not {_show(value)}")
    if want == "number":
        if not math.isfinite(value):
            raise ConfigError(file, key, f"must be a finite number, not {value}")
        low, high = RANGES.get(name, (0, None))
        if low is not None and value < low:
            raise ConfigError(file, key, f"must be at least {low}, not {_show(value)}")
        if high is not None and value > high:
            raise ConfigError(file, key, f"must be at most {high}, not {_show(value)}")
    elif want == "text":
        allowed = _choices().get(name)
        if allowed and value not in allowed:
            raise ConfigError(file, key, f"must be one of {', '.join(allowed)}, not {_show(value)}")
    elif want == "list":
        kinds = {_kind(x) for x in default}
        for i, item in enumerate(value):
            if kinds and _kind(item) not in kinds:
                raise ConfigError(file, f"{key}[{i}]", f"must be {' or '.join(sorted(kinds))}, not {_show(item)}")
            if not kinds and _kind(item) not in ("text", "number", "bool"):
                raise ConfigError(file, f"{key}[{i}]", f"must be a plain value, not {_show(item)}")
            if _kind(item) == "number" and not math.isfinite(item):
                raise ConfigError(file, f"{key}[{i}]", f"must be a finite number, not {item}")
    elif want == "table":
        for sub, v in value.items():
            if default and sub not in default:
                # a table default lists its keys (a table with no keys, e.g. per-name rules, takes any)
                raise ConfigError(file, f"{key}.{sub}", f"unknown setting (known: {', '.join(default)})")
            check_value(file, f"{key}.{sub}", v, default.get(sub, _sample(default)) if default else v)


def _sample(table: dict) -> Any:
    return next(iter(table.values()))


def check_pairs(file: str, section_values: dict[str, dict]) -> None:
    """Checks across keys: a minimum above its maximum."""
    for sec, values in section_values.items():
        for key, low in values.items():
            if key.endswith("_min_yuan"):
                high_key = key[:-len("_min_yuan")] + "_max_yuan"
                high = values.get(high_key)
                if _kind(low) == "number" and _kind(high) == "number" and low > high:
                    raise ConfigError(file, f"{sec}.{key}", f"is above {sec}.{high_key} ({low} > {high})")
