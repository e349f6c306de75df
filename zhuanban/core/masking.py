"""Masking personal data for pages, the API and exports (the unmasked value is an audited action)."""

from __future__ import annotations


def mask_phone(value: str | None) -> str:
    """``13812345678`` → ``138****5678``; short numbers keep only their last two digits."""
    if not value:
        return ""
    v = value.strip()
    if len(v) >= 8:
        return v[:3] + "*" * (len(v) - 7) + v[-4:]
    return "*" * max(len(v) - 2, 1) + v[-2:]


def mask_id_card(value: str | None) -> str:
    """An ID-card number keeps its first 6 (region) and last 4 characters: ``110101********123X``."""
    if not value:
        return ""
    v = value.strip()
    if len(v) > 10:
        return v[:6] + "*" * (len(v) - 10) + v[-4:]
    return "*" * len(v)
