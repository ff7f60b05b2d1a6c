"""Write DataFrames to xlsx with every text cell stored as text.

openpyxl turns a string that starts with "=" into a formula. A chat message like "=1" would then
vanish (a reader sees the formula's empty cached value) and a message like "=HYPERLINK(...)" would
run in the shop owner's Excel. So strings are always written as strings.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd

from .atomic import atomic_path


def _cell_value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.to_pydatetime()
    if hasattr(v, "item"):          # numpy scalars
        return v.item()
    return v


def write_sheets(path: str | Path, sheets: dict[str, pd.DataFrame]) -> None:
    wb = openpyxl.Workbook(write_only=True)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        ws.append([str(c) for c in df.columns])
        for row in df.itertuples(index=False, name=None):
            cells = []
            for v in row:
                v = _cell_value(v)
                # only strings openpyxl would read as a formula need a cell object (it is slow)
                if isinstance(v, str) and v.startswith("="):
                    c = openpyxl.cell.WriteOnlyCell(ws, value=None)
                    c.value = v
                    c.data_type = "s"     # never a formula
                    cells.append(c)
                else:
                    cells.append(v)
            ws.append(cells)
    with atomic_path(path) as tmp:
        wb.save(tmp)
