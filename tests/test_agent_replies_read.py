"""notebooks/agent_replies_read.csv: the verdicts on flagged real agent replies, keyed by text MD5."""

import csv
import re
from pathlib import Path

import pytest

from monitor.detect.evaluate import half_of, text_md5

ROOT = Path(__file__).resolve().parent.parent
READ = ROOT / "notebooks" / "agent_replies_read.csv"
AGENT = ROOT.parent / "shared" / "eval" / "real_cs_agent_replies.csv"


def _rows():
    with open(READ, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_row_is_an_md5_and_a_known_verdict():
    rows = _rows()
    assert rows, "no verdicts"
    assert all(re.fullmatch(r"[0-9a-f]{32}", r["md5"]) for r in rows)
    assert {r["verdict"] for r in rows} <= {"violation", "false_alarm"}
    assert len({r["md5"] for r in rows}) == len(rows)


@pytest.mark.skipif(not AGENT.exists(), reason="../shared/eval not present")
def test_every_verdict_is_for_a_test_half_agent_reply():
    with open(AGENT, encoding="utf-8", newline="") as fh:
        test_half = {text_md5(r["text"]) for r in csv.DictReader(fh) if half_of(r["text"]) == "test"}
    assert {r["md5"] for r in _rows()} <= test_half
