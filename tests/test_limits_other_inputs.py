"""Issue 18: the orders export and labelled files are read under the same rules as chat exports: only
regular files, and an xlsx only once its cost is checked."""

import os

import pytest

import xlsx_bombs as bombs
from monitor.detect.labelled import read_labelled
from monitor.errors import InputError
from monitor.orders import read_orders
from test_limits_files import within


@pytest.fixture
def fifo(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    p = tmp_path / "pipe.csv"
    os.mkfifo(p)
    return p


@pytest.mark.parametrize("reader", [read_orders, lambda p: read_labelled([p])], ids=["orders", "labelled"])
def test_a_fifo_is_rejected_at_once(fifo, reader):
    with pytest.raises(InputError) as exc:
        within(10, reader, fifo)
    assert "not a regular file (a FIFO (named pipe))" in exc.value.reason


@pytest.mark.parametrize("reader", [read_orders, lambda p: read_labelled([p])], ids=["orders", "labelled"])
def test_an_xlsx_bomb_is_rejected(tmp_path, reader):
    p = tmp_path / "far.xlsx"
    bombs.far_cell(p)
    with pytest.raises(InputError) as exc:
        within(30, reader, p)
    assert exc.value.reason.endswith("([limits] xlsx_sheet_cells)")
