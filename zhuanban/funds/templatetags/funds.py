"""``{{ amount|yuan }}`` → ``1,234.50``: amounts written the way offices write them, whatever the locale's
grouping (zh-Hans has none in Django's formats)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"
