"""经费与办公保障 endpoints of /api/v1."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["经费与办公保障"])
