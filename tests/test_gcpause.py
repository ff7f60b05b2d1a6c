"""The garbage collector paused for a stretch of work (monitor/gcpause.py), and the scan's batch step
run with it paused."""

import gc

import pytest

from monitor import scan
from monitor.gcpause import collector_paused, paused


def test_off_inside_on_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_on_again_after_a_failure():
    with pytest.raises(ValueError):
        with collector_paused():
            raise ValueError("boom")
    assert gc.isenabled()


def test_a_block_inside_another_leaves_it_off_until_the_outer_one_ends():
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_left_off_when_the_caller_had_it_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_scan_batch_step_runs_with_it_paused_and_returns_its_value():
    seen = []

    @paused
    def step(x):
        seen.append(gc.isenabled())
        return x * 2

    assert step(21) == 42 and seen == [False] and gc.isenabled()
    assert scan.scan_batch_messages.__wrapped__.__name__ == "scan_batch_messages"


def test_the_classify_command_runs_with_it_paused_and_leaves_it_on(monkeypatch, tmp_path):
    from click.testing import CliRunner

    import monitor.detect.classify as classify_mod
    from monitor.cli import cli

    seen = []
    real = classify_mod.classify_command
    monkeypatch.setattr(classify_mod, "classify_command", lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k))
    res = CliRunner().invoke(cli, ["classify", "好的亲", "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 0, res.output
    assert seen == [False] and gc.isenabled()
