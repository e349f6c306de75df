"""``{{ value|markdown }}``: render a rich-text field's markdown as sanitised HTML."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from zhuanban.core.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str | None) -> SafeString:
    # render_markdown escapes raw HTML and passes the output through the nh3 allow-list.
    return mark_safe(render_markdown(value))  # nosec B308 B703
