"""考核评价 endpoints of /api/v1."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["考核评价"])
