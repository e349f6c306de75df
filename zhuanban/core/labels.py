"""Security labels (安全标签 公开 / 内部 / 敏感), one reusable choice for every labelled object.

Task forces carry one now; tasks, attachments and reports (later issues) use the same field and the same
narrowing rule.  A label only ever *narrows* who may see an object (see ``taskforces.access``); exports
carry it in their header row.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class SecurityLabel(models.TextChoices):
    PUBLIC = "public", "公开"
    INTERNAL = "internal", "内部"
    SENSITIVE = "sensitive", "敏感"


DEFAULT_LABEL = SecurityLabel.INTERNAL
# Bootstrap badge classes for the label, so every page shows it the same way.
BADGE_CLASS = {
    SecurityLabel.PUBLIC: "text-bg-success",
    SecurityLabel.INTERNAL: "text-bg-secondary",
    SecurityLabel.SENSITIVE: "text-bg-danger",
}


def label_field(**kwargs: Any) -> models.CharField:
    """The model field every labelled object uses (``security_label = label_field()``)."""
    kwargs.setdefault("verbose_name", "安全标签")
    kwargs.setdefault("max_length", 10)
    kwargs.setdefault("choices", SecurityLabel.choices)
    kwargs.setdefault("default", DEFAULT_LABEL)
    return models.CharField(**kwargs)


def label_text(value: str) -> str:
    """The Chinese name of a label value (unknown values count as the strictest label)."""
    try:
        return SecurityLabel(value).label
    except ValueError:
        return SecurityLabel.SENSITIVE.label


def export_banner(value: str, *, title: str = "") -> str:
    """The first row of an export: the label travels with the data once it leaves the system."""
    head = f"【{label_text(value)}】"
    return f"{head} {title}".strip()
