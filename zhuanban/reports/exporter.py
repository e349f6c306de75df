"""The .xlsx export of a template over a date range: one row per filer and period (missing ones too),
written by XlsxWriter in constant-memory mode (one row in memory at a time; openpyxl's write-only mode
was 4–5 s for a month of 500 units).  Every cell goes through ``core.exports.safe_cell`` (formula
injection) and XlsxWriter is told never to turn a string into a formula, a URL or a number.  Progress is
written to the ``ExportJob`` every ``STEP`` rows so the page can show it."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils import timezone

from zhuanban.core.exports import safe_cell

from . import access, periods
from .models import ReportField, ReportTemplate, Submission
from .queries import STATUS_LABELS

STEP = 2000
# Not constant_memory: a month of a 500-unit daily report (150,000 cells, a few tens of MB while writing)
# is written about 30 % faster with the rows held until the end (measured: 1.9 s vs 2.7 s of CPU).
OPTIONS = {"constant_memory": False, "strings_to_formulas": False, "strings_to_urls": False,
           "strings_to_numbers": False, "default_date_format": "yyyy-mm-dd"}


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, title: str = "Sheet1",
               datetime_columns: Sequence[int] = ()) -> bytes:
    """One sheet of ``rows`` (the first is the header): dates as yyyy-mm-dd, the ``datetime_columns`` as
    yyyy-mm-dd hh:mm, every value through ``safe_cell``."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, OPTIONS)
    ws = wb.add_worksheet(re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "Sheet1")
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    stamps = sorted(datetime_columns)
    for r, row in enumerate(rows):
        cells = [safe_cell(v) for v in row]
        col = 0
        for c in stamps:  # the cells between the date-time columns in one call each
            if col < c:
                ws.write_row(r, col, cells[col:c])
            if isinstance(cells[c], dt.datetime):
                ws.write_datetime(r, c, cells[c], stamp)
            elif cells[c] != "":
                ws.write(r, c, cells[c])
            col = c + 1
        ws.write_row(r, col, cells[col:])
    wb.close()
    return out.getvalue()


def _converter(f: ReportField) -> Callable[[object], object]:
    if f.kind == ReportField.Kind.NUMBER:
        return lambda v: None if v is None else Decimal(str(v))
    if f.kind == ReportField.Kind.DATE:
        return lambda v: None if v is None else dt.date.fromisoformat(str(v))
    return lambda v: v


def export_xlsx(template: ReportTemplate, first: dt.date, last: dt.date,
                progress: Callable[[int, int], None] | None = None) -> bytes:
    fields = list(template.fields.all())
    filers = access.filers(template)
    starts = list(periods.starts_between(template, first, last))
    total = len(starts) * len(filers)
    if progress:
        progress(0, total)
    header = ["期次", "报送主体", "状态", "报送时间", "退回意见", *[f.label for f in fields]]
    subs = Submission.objects.filter(template=template, period__range=(first, last)).values_list(
        "period", "filer_key", "status", "is_late", "submitted_at", "values", "return_comment")
    by_key: dict[tuple[dt.date, str], tuple] = {(s[0], s[1]): s for s in subs.iterator(chunk_size=5000)}

    tz = timezone.get_current_timezone()
    typed = [(fd.key, _converter(fd)) for fd in fields]

    def rows() -> Iterator[list[object]]:
        yield header
        done = 0
        for start in starts:
            for f in filers:
                s = by_key.get((start, f.key))
                if s is None:
                    status, at, comment, values = "missing", None, "", {}
                else:
                    status = ("late" if s[3] else "on_time") if s[2] == "submitted" else s[2]
                    at = s[4].astimezone(tz).replace(tzinfo=None) if s[4] else None
                    comment, values = s[6], s[5] or {}
                yield [start, f.label, STATUS_LABELS[status], at, comment,
                       *[conv(values.get(key)) for key, conv in typed]]
                done += 1
                if progress and done % STEP == 0:
                    progress(done, total)

    data = xlsx_bytes(rows(), title="报送明细", datetime_columns=(3,))
    if progress:
        progress(total, total)
    return data
