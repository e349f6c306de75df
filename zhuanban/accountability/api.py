"""责任与督办 endpoints of /api/v1."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["责任与督办"])
