"""The Qianniu web reader collects times as whole seconds; messages come out as with datetimes."""

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from monitor.errors import InputError
from monitor.ingest import READERS
from monitor.ingest.base import RawRows, assemble

PAGE = "店铺：甲店\n{day}\n23:59:59\n在吗\ntb_a\n00:00:00\n在的\n甲店:小美\n"


def _messages(day):
    return assemble(READERS["qianniu_web"].read(PAGE.format(day=day), Path("x.txt")), Path("x.txt"),
                    shop=None, config=None)


def _as_datetimes(day):
    raw = READERS["qianniu_web"].read(PAGE.format(day=day), Path("x.txt"))
    dts = RawRows(**{k: v for k, v in vars(raw).items() if k != "ts_seconds"})
    dts.ts = [datetime(1970, 1, 1) + pd.Timedelta(seconds=s) for s in raw.ts]
    return assemble(dts, Path("x.txt"), shop=None, config=None)


@pytest.mark.parametrize("day", ["2026-11-22", "1900-02-28", "2024/2/29"])
def test_seconds_give_the_messages_datetimes_give(day):
    got = _messages(day)
    pd.testing.assert_frame_equal(got, _as_datetimes(day))
    assert str(got["ts"].dtype) == "datetime64[s]"
    assert got["ts"].dt.strftime("%H:%M:%S").tolist() == ["23:59:59", "00:00:00"]


def test_a_date_beyond_what_datetime64_ns_holds_is_an_input_error_naming_the_line():
    with pytest.raises(InputError) as exc:
        _messages("2999-01-15")
    assert str(exc.value) == ("x.txt:3: time 2999-01-15 23:59:59 is outside the supported range "
                              "(1677-09-22 to 2262-04-11)")
