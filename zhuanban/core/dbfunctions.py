"""Database functions the ORM lacks or computes slowly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models.functions import TruncDate
from django.utils import timezone


def _fixed_offset_minutes() -> int | None:
    """The current time zone's UTC offset in minutes if it never changes (Asia/Shanghai: +480), else None."""
    zone = timezone.get_current_timezone()
    offsets = {zone.utcoffset(dt.datetime(year, month, 1)) for year in (2000, 2026) for month in (1, 7)}
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return int(offset.total_seconds() // 60) if offset is not None else None


class LocalDate(TruncDate):
    """The local calendar date of a datetime column, like ``TruncDate``.

    On SQLite, ``TruncDate`` calls back into Python for every row (parse the text, convert the zone):
    tens of microseconds a row, a noticeable share of a 2,000-task Gantt.  In a zone without daylight
    saving (China's), the same date is SQLite's own ``date(col, '+480 minutes')``.  PostgreSQL keeps
    ``TruncDate``'s native ``AT TIME ZONE``.
    """

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        minutes = _fixed_offset_minutes() if self.get_tzname() else 0
        if minutes is None:
            return super().as_sql(compiler, connection, **extra)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, '{minutes:+d} minutes')", params
