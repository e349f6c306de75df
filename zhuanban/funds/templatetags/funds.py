"""``{{ amount|yuan }}`` → ``1,234.50``: amounts written the way offices write them, whatever the locale's
grouping (zh-Hans has none in Django's formats)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def yuan(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


@register.inclusion_tag("funds/_dissolution.html", takes_context=True)
def funds_dissolution(context: dict, tf: Any) -> dict[str, Any]:
    """``{% load funds %}{% funds_dissolution tf %}`` on the dissolution page: the ledger's figures, the
    .xlsx export (for managers) and the office space / equipment still to be returned, each linked to the
    tab where its return is recorded.  Two queries plus the summary's fixed few."""
    from zhuanban.funds.queries import ledger_summary

    access = context.get("access")
    summary = ledger_summary(tf)
    return {"tf": tf, "summary": summary, "can_manage": bool(getattr(access, "manage", False)),
            "unreturned": [r for r in summary["resources"] if not r["returned"]]}
