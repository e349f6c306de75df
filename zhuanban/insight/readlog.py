"""Who reads the collected reports: a count of views of each template's aggregate, per day.

The check "reports collected that nobody reads" needs reads.  The reports app sends
``zhuanban.reports.signals.collected_data_read`` after each successful read of a template's collected
data (the aggregate page, the period aggregate and the trend through the API); ``connect()`` (called from
``InsightConfig.ready``) adds one to ``ReportRead(template, today)`` for each.  A refused read sends
nothing.  Exports are counted from the reports app's own ``ExportJob`` rows (``checks.unread_reports``).
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def _count(sender: Any, template_id: int, **kwargs: Any) -> None:
    from . import services

    try:
        services.record_read(int(template_id))
    except Exception:  # a read counter must never break the page it counts
        log.exception("insight: could not count a read of report template %s", template_id)


def connect() -> None:
    from zhuanban.reports.signals import collected_data_read

    collected_data_read.connect(_count, dispatch_uid="insight.readlog")
