"""The web UI's views, one module per area: task forces, membership actions, lifecycle, the formation
wizard, the org directory and person pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("taskforce_list")


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok", "database": "ok"})
    except Exception as exc:  # pragma: no cover - reported, not raised
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
