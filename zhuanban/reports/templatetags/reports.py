"""Template tags of reporting: the 今日报送 card of a task force's overview."""

from __future__ import annotations

from typing import Any

from django import template

from zhuanban.reports import queries

register = template.Library()


@register.simple_tag
def report_overview(tf: Any) -> list[dict[str, Any]]:
    return queries.overview_counts(tf)
