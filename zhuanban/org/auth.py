from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class CaseInsensitiveModelBackend(ModelBackend):
    """Login names are matched case-insensitively (the manager's ``get_by_natural_key`` does the work)."""
