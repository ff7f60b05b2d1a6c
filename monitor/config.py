"""Shop configuration: packaged defaults, overridden by a user's toml (`--config`), per shop.

A user file has the same sections as `monitor/defaults.toml` plus `[shops."NAME"]` tables whose
keys override any setting of any section for that shop only.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Any

from .config_check import ConfigError, check_pairs, check_value
from .errors import InputError

SECTIONS = ("latency", "penalties", "orders", "roles", "notify", "promises", "pestering")
# sections that hold night-wide settings (input limits, the overview), never overridden per shop
GLOBAL_SECTIONS = ("limits", "report")
SHOP_ONLY_KEYS = ("agents", "auto_reply_texts")


def _load_toml(path: Path | str) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(str(path), "config file not found") from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(str(path), f"not valid TOML: {exc}", line=line) from None


def _defaults() -> dict:
    with resources.files("monitor").joinpath("defaults.toml").open("rb") as fh:
        return tomllib.load(fh)


def parse_hours(spec: str) -> tuple[time, time | None]:
    """'09:00-01:00' -> (09:00, 01:00). An end of 24:00 is returned as None (midnight, next day)."""
    try:
        start_s, end_s = (p.strip() for p in spec.split("-"))
        start = time.fromisoformat(start_s if len(start_s) > 4 else "0" + start_s)
        end = None if end_s in ("24:00", "24:00:00") else time.fromisoformat(end_s if len(end_s) > 4 else "0" + end_s)
    except ValueError:
        raise ValueError(f"hours {spec!r} are not of the form HH:MM-HH:MM") from None
    return start, end


@dataclass
class ShopConfig:
    """Settings in force for one shop (defaults < user file < the shop's own table)."""

    name: str
    latency: dict[str, Any]
    penalties: dict[str, Any]
    orders: dict[str, Any]
    roles: dict[str, Any]
    notify: dict[str, Any] = field(default_factory=dict)
    agents: list[str] = field(default_factory=list)
    auto_reply_texts: list[str] = field(default_factory=list)
    promises: dict[str, Any] = field(default_factory=dict)
    pestering: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        for section in (self.latency, self.penalties, self.orders, self.roles, self.promises, self.pestering):
            if key in section:
                return section[key]
        return default


@dataclass
class Config:
    base: dict[str, dict[str, Any]]
    shops: dict[str, dict[str, Any]]
    path: str | None = None
    rules: list = field(default_factory=list)      # monitor.shop_rules.ShopRule, from [rules]

    def for_shop(self, shop: str) -> ShopConfig:
        sections = {s: copy.deepcopy(self.base[s]) for s in SECTIONS}
        own = self.shops.get(shop, {})
        extras: dict[str, list[str]] = {k: list(own.get(k, [])) for k in SHOP_ONLY_KEYS}
        for key, value in own.items():
            if key in SHOP_ONLY_KEYS:
                continue
            placed = False
            for sec in SECTIONS:
                if key in sections[sec]:
                    # lists of senders/markers extend the defaults; scalars replace them
                    if isinstance(sections[sec][key], list) and isinstance(value, list):
                        sections[sec][key] = sections[sec][key] + value
                    else:
                        sections[sec][key] = value
                    placed = True
            if not placed:
                raise InputError(self.path or "<config>", f"unknown setting {key!r} for shop {shop!r}")
        return ShopConfig(name=shop, **sections, **extras)

    def all_agents(self) -> dict[str, list[str]]:
        return {name: list(s.get("agents", [])) for name, s in self.shops.items()}


def load_config(path: str | Path | None = None) -> Config:
    """Packaged defaults, overridden by the toml at `path` (if given).

    Every value is checked here, before any export is read (config_check: the type of its default,
    finite numbers, ranges); an unknown section or key is an error too, so a typo never passes
    silently. Errors read `file:section.key: reason` (ConfigError, exit status 2)."""
    base = _defaults()
    shops: dict[str, dict[str, Any]] = {}
    where = str(path) if path is not None else "defaults.toml"
    if path is not None:
        user = _load_toml(path)
        for sec, values in user.items():
            if sec == "rules":
                continue          # the shop's own rules: checked below (monitor/shop_rules.py)
            if sec == "shops":
                if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
                    raise ConfigError(where, "shops", 'must hold one table per shop ([shops."NAME"])')
                shops = {str(k): dict(v) for k, v in values.items()}
                continue
            if sec not in SECTIONS + GLOBAL_SECTIONS:
                raise ConfigError(where, sec,
                                  f"unknown section (known: {', '.join(SECTIONS + GLOBAL_SECTIONS)}, shops, rules)")
            if not isinstance(values, dict):
                raise ConfigError(where, sec, f"must be a table [{sec}], not {values!r}")
            for key, value in values.items():
                if key not in base[sec]:
                    raise ConfigError(where, f"{sec}.{key}", "unknown setting")
                check_value(where, f"{sec}.{key}", value, base[sec][key])
                base[sec][key] = value
    for shop, own in shops.items():
        for key, value in own.items():
            label = f'shops."{shop}".{key}'
            if key in SHOP_ONLY_KEYS:
                check_value(where, label, value, [""])
                continue
            defaults = [base[sec][key] for sec in SECTIONS if key in base[sec]]
            if not defaults:
                raise ConfigError(where, label, "unknown setting")
            check_value(where, label, value, defaults[0])
    from .shop_rules import parse_rules
    user_rules = user.get("rules", {}) if path is not None else {}
    cfg = Config(base={s: dict(base.get(s, {})) for s in SECTIONS + GLOBAL_SECTIONS}, shops=shops,
                 path=str(path) if path else None,
                 rules=parse_rules(user_rules, str(path) if path else "defaults.toml"))
    # Validate hour ranges and cross-key limits now: a typo should fail before a night's scan, not
    # halfway through it.
    for shop in [None, *shops]:
        sc = cfg.for_shop(shop) if shop else cfg.for_shop("")
        check_pairs(where, {sec: getattr(sc, sec) for sec in SECTIONS})
        for key in ("rate_window", "working_hours"):
            try:
                parse_hours(sc.latency[key])
            except ValueError as exc:
                label = f'shops."{shop}".{key}' if shop and key in shops[shop] else f"latency.{key}"
                raise ConfigError(where, label, str(exc)) from None
        try:
            parse_hours(sc.pestering["quiet_hours"])
        except ValueError as exc:
            raise InputError(str(path or "defaults.toml"), f"quiet_hours: {exc}") from None
    return cfg
