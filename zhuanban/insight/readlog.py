"""Who reads the collected reports: a count of views of each template's aggregate, per day.

The reports app records no reads, and the check "reports collected that nobody reads" needs them.  So
that the reports app stays unaware of it, ``install()`` (called from ``InsightConfig.ready``) wraps the
two ways to read a period's collected data — the aggregate page (URL ``report_aggregate``) and its API
(``GET /api/v1/reports/{template_id}/periods/{period}`` and ``…/trend``) — with a counter: a successful
GET adds one to ``ReportRead(template, today)``.  A refused or failed request counts nothing.  Exports
are counted from the reports app's own ``ExportJob`` rows (``checks.unread_reports``).
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

WEB_NAMES = ("report_aggregate",)
API_PATHS = ("/reports/{template_id}/periods/{period}", "/reports/{template_id}/trend")


def _count(template_id: Any) -> None:
    from . import services

    try:
        services.record_read(int(template_id))
    except Exception:  # a read counter must never break the page it counts
        log.exception("insight: could not count a read of report template %s", template_id)


def _web(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def counted(request: Any, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if request.method == "GET" and getattr(response, "status_code", 500) == 200 and "template_id" in kwargs:
            _count(kwargs["template_id"])
        return response

    counted.insight_counted = True  # type: ignore[attr-defined]
    return counted


def _api(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def counted(request: Any, **kwargs: Any) -> Any:
        result = view(request, **kwargs)  # a refusal raises: nothing counted
        if "template_id" in kwargs:
            _count(kwargs["template_id"])
        return result

    counted.insight_counted = True  # type: ignore[attr-defined]
    return counted


def install() -> None:
    from zhuanban.reports import api as reports_api
    from zhuanban.reports import urls as reports_urls

    for pattern in reports_urls.urlpatterns:
        if getattr(pattern, "name", None) in WEB_NAMES and not getattr(pattern.callback, "insight_counted", False):
            pattern.callback = _web(pattern.callback)
    # django-ninja copies a router's operations when the API first builds its URLs: wrap the router's own
    # operations (copied later) and, if the API is built already, its bound copies.
    routers: list[Any] = [reports_api.router]
    main = sys.modules.get("zhuanban.api")
    bound = getattr(getattr(main, "api", None), "_bound_routers_cache", None) or []
    routers += [b for b in bound if getattr(b, "template", None) is reports_api.router]
    for router in routers:
        for path in API_PATHS:
            view = router.path_operations.get(path)
            for op in getattr(view, "operations", []):
                if "GET" in op.methods and not getattr(op.view_func, "insight_counted", False):
                    op.view_func = _api(op.view_func)
