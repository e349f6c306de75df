"""监测与洞察 endpoints of /api/v1."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["监测与洞察"])
