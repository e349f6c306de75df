"""Test helper: scan a produced workbook or CSV for cells a spreadsheet would run as a formula.

``assert_no_formula_injection(data)`` accepts .xlsx bytes, a path, or CSV text.  Every export test should
call it on what the export produced (zhuanban.core.exports.safe_cell is what makes it pass).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import openpyxl

from zhuanban.core.exports import FORMULA_TRIGGERS as FORMULA_PREFIXES

# A negative number in a CSV is a number to a spreadsheet, not a formula.
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def dangerous_cells(data: bytes | str | Path) -> list[tuple[str, str, Any]]:
    """(sheet, cell, value) of every cell that is a formula or text that starts like one."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(data, str) and not data.endswith(".xlsx"):
        for r, row in enumerate(csv.reader(io.StringIO(data)), start=1):
            found += [("csv", f"R{r}C{c}", v) for c, v in enumerate(row, start=1)
                      if v.startswith(FORMULA_PREFIXES) and not NUMBER.fullmatch(v)]
        return found
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    wb = openpyxl.load_workbook(source)  # formulas stay formulas (data_only=False)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if cell.data_type == "f" or (isinstance(v, str) and v.startswith(FORMULA_PREFIXES)):
                    found.append((ws.title, cell.coordinate, v))
    return found


def assert_no_formula_injection(data: bytes | str | Path) -> None:
    bad = dangerous_cells(data)
    assert not bad, f"cells that a spreadsheet would evaluate: {bad[:10]}"
