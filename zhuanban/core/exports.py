"""Helpers shared by every export (.csv, .xlsx): formula-injection escaping and the label header row.

A spreadsheet treats a cell beginning with ``=``, ``+``, ``-`` or ``@`` (and, in some programs, a tab or
carriage return) as a formula; a value a user typed such as ``=HYPERLINK(...)`` would run when an
office opens the export.  :func:`safe_cell` prefixes such text with an apostrophe so it stays text.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value ready for a CSV or XLSX cell: text that could start a formula is made inert.

    Numbers, dates and booleans are kept as they are (a negative number is a number, not a formula);
    ``None`` becomes an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float | decimal.Decimal | dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # openpyxl refuses aware datetimes; callers pass local time
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM, so Excel on Chinese Windows opens it without mojibake."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, title: str = "Sheet1") -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    # Excel refuses these characters in sheet names (and names over 31 characters).
    ws = wb.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "Sheet1")
    for row in rows:
        ws.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
