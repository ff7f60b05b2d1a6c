"""Config values are checked up front, by the type of their default plus explicit ranges (issue 18)."""

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.config import load_config
from monitor.config_check import ConfigError, check_value


def _cfg(tmp_path, text):
    p = tmp_path / "shops.toml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("text, key, reason", [
    ("[latency]\nslow_reply_s = true\n", "latency.slow_reply_s", "must be a number, not true"),
    ("[latency]\nslow_reply_s = \"180\"\n", "latency.slow_reply_s", "must be a number, not '180'"),
    ("[latency]\nslow_reply_s = 0\n", "latency.slow_reply_s", "must be at least 1, not 0"),
    ("[penalties]\nslow_reply_yuan = -1\n", "penalties.slow_reply_yuan", "must be at least 0, not -1"),
    ("[penalties]\nslow_reply_yuan = nan\n", "penalties.slow_reply_yuan", "must be a finite number, not nan"),
    ("[penalties]\nharassment_yuan = inf\n", "penalties.harassment_yuan", "must be a finite number, not inf"),
    ("[penalties]\nbroken_promise_rate = 1.5\n", "penalties.broken_promise_rate", "must be at most 1, not 1.5"),
    ("[penalties]\nbroken_promise_min_yuan = 40\n", "penalties.broken_promise_min_yuan",
     "is above penalties.broken_promise_max_yuan (40 > 30)"),
    ("[latency]\nworking_hours = 9\n", "latency.working_hours", "must be a text in quotes, not 9"),
    ("[latency]\nworking_hours = \"9-18h\"\n", "latency.working_hours",
     "hours '9-18h' are not of the form HH:MM-HH:MM"),
    ("[roles]\nauto_reply_senders = \"店小蜜\"\n", "roles.auto_reply_senders", "must be a list, not '店小蜜'"),
    ("[roles]\nauto_reply_senders = [\"店小蜜\", 3]\n", "roles.auto_reply_senders[1]", "must be text, not 3"),
    ("[latency]\nslow_reply = 100\n", "latency.slow_reply", "unknown setting"),
    ("[latncy]\nslow_reply_s = 100\n", "latncy", "unknown section (known: latency, penalties, orders, roles, notify, promises, pestering, limits, report, shops, rules)"),
    ("[shops.\"店A\"]\nslow_reply_s = -5\n", 'shops."店A".slow_reply_s', "must be at least 1, not -5"),
    ("[shops.\"店A\"]\nagents = \"店A:小美\"\n", 'shops."店A".agents', "must be a list, not '店A:小美'"),
    ("[shops.\"店A\"]\nslow_reply_sec = 5\n", 'shops."店A".slow_reply_sec', "unknown setting"),
    ("[notify]\nwebhook_kind = \"slack\"\n", "notify.webhook_kind", "must be one of dingtalk, wecom, not 'slack'"),
    ("[notify]\nwebhook_timeout_s = 0\n", "notify.webhook_timeout_s", "must be at least 1, not 0"),
    ("[limits]\njson_max_depth = true\n", "limits.json_max_depth", "must be a number, not true"),
    ("[limits]\nzip_max_uncompressed_bytes = -1\n", "limits.zip_max_uncompressed_bytes", "must be at least 0, not -1"),
    ("[latency]\nack_exclude = 1\n", "latency.ack_exclude", "must be true or false, not 1"),
    ("[orders]\nreview_link_window_days = -3\n", "orders.review_link_window_days", "must be at least 0, not -3"),
])
def test_bad_values_are_named_by_file_and_key(tmp_path, text, key, reason):
    path = _cfg(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == f"{path}:{key}: {reason}"


def test_good_values_pass_and_ints_may_be_floats(tmp_path):
    cfg = load_config(_cfg(tmp_path, "[latency]\nslow_reply_s = 90.5\n[penalties]\nslow_reply_yuan = 0\n"
                                      "[shops.\"店A\"]\nworking_hours = \"09:00-01:00\"\nagents = [\"店A:小美\"]\n"))
    assert cfg.base["latency"]["slow_reply_s"] == 90.5
    assert cfg.for_shop("店A").latency["working_hours"] == "09:00-01:00"


def test_a_new_key_is_checked_by_its_defaults_type():
    # a key another module adds to defaults.toml: checked by its default's type with no change here
    check_value("x.toml", "limits.max_rows", 5, 1_000_000)
    with pytest.raises(ConfigError, match=r"x.toml:limits.max_rows: must be a number, not true"):
        check_value("x.toml", "limits.max_rows", True, 1_000_000)
    with pytest.raises(ConfigError, match=r"x.toml:webhook.enabled: must be true or false, not 1"):
        check_value("x.toml", "webhook.enabled", 1, False)
    with pytest.raises(ConfigError, match=r"x.toml:rules.x.y: unknown setting"):
        check_value("x.toml", "rules.x", {"y": 1}, {"z": 2})


def test_scan_refuses_a_bad_config_before_reading_any_file(tmp_path, monkeypatch):
    import monitor.ingest as ingest

    def boom(*a, **k):
        raise AssertionError("an export was looked at before the config was checked")

    monkeypatch.setattr(ingest, "expand_paths", boom)
    cfg = _cfg(tmp_path, "[latency]\nslow_reply_s = true\n")
    (tmp_path / "x.csv").write_text("a\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["scan", str(tmp_path / "x.csv"), "--config", str(cfg), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert f"{cfg}:latency.slow_reply_s: must be a number, not true" in res.output
    assert "Traceback" not in res.output
