"""Working hours pause the clock; the 3-minute rate counts waits starting inside its window."""

from monitor.config import load_config
from monitor.timing import compute_latency, day_intervals, working_clock
from transcripts import transcript


def config_with(tmp_path, text):
    p = tmp_path / "shop.toml"
    p.write_text(text, encoding="utf-8")
    return load_config(p)


def test_overnight_hours_as_day_intervals():
    assert day_intervals("09:00-01:00") == [(0, 3600), (32400, 86400)]
    assert day_intervals("08:00-24:00") == [(28800, 86400)]
    assert day_intervals("00:00-24:00") == [(0, 86400)]


def test_wait_starting_before_opening_counts_from_opening(tmp_path):
    cfg = config_with(tmp_path, '[latency]\nworking_hours = "09:00-18:00"\n')
    lat = compute_latency(transcript("b 08:50:00 在吗", "a 09:02:00 在的"), cfg)
    assert lat.sessions["first_response_s"].iloc[0] == 120.0


def test_overnight_closing_pauses_the_clock(tmp_path):
    cfg = config_with(tmp_path, '[shops."甲店"]\nworking_hours = "09:00-01:00"\n')
    lat = compute_latency(transcript("b 2026-11-23 00:59:00 在吗", "a 2026-11-23 01:20:00 在的"), cfg)
    assert lat.sessions["first_response_s"].iloc[0] == 60.0
    assert lat.sessions["slow_waits"].iloc[0] == 0


def test_other_shops_keep_the_default_hours(tmp_path):
    cfg = config_with(tmp_path, '[shops."乙店"]\nworking_hours = "09:00-18:00"\n')
    lat = compute_latency(transcript("b 08:50:00 在吗", "a 09:02:00 在的"), cfg)
    assert lat.sessions["first_response_s"].iloc[0] == 720.0


def test_rate_window_counts_only_waits_starting_inside(tmp_path):
    lat = compute_latency(transcript("b 07:00:00 在吗", "a 07:10:00 在", "b 07:30:00 ?", "a 07:31:00 好",
                                     "b 08:00:30 发货没", "a 08:01:00 发了"), load_config())
    s = lat.sessions.iloc[0]
    assert (s["waits"], s["slow_waits"], s["rate_waits"], s["within_3min_rate"]) == (3, 1, 1, 1.0)


def test_pinduoduo_window_from_config(tmp_path):
    cfg = config_with(tmp_path, '[latency]\nrate_window = "08:00-23:00"\n')
    lat = compute_latency(transcript("b 23:10:00 在吗", "a 23:20:00 在"), cfg)
    assert lat.sessions["rate_waits"].iloc[0] == 0


def test_working_clock_is_monotonic_over_a_closed_night():
    import pandas as pd
    ts = pd.Series(pd.to_datetime(["2026-11-22 17:59:00", "2026-11-22 23:00:00", "2026-11-23 09:00:30"]))
    clock = working_clock(ts, day_intervals("09:00-18:00"))
    assert (clock[1] - clock[0], clock[2] - clock[1]) == (60, 30)
