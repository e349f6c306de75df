"""django-axes hooks: one lock key per login name regardless of case, and one lockout answer that says
nothing about whether the account exists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_MESSAGE = "登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试。"


def locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=int(round(settings.AXES_COOLOFF_TIME * 60)))


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """Login names are case-insensitive, so ``Alice`` and ``alice`` share one failure count."""
    credentials = credentials or {}
    name = credentials.get("username")
    if name is None and request is not None and request.method == "POST":
        name = request.POST.get("username")
    return name.strip().lower() if isinstance(name, str) else name


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    message = locked_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked", "message": message, "fields": {}}, status=429)
    from .forms import LoginForm

    form = LoginForm(request)
    form.cleaned_data = {}  # an unbound form, only to carry the message to the template
    form.add_error(None, message)
    return render(request, "web/login.html", {"form": form, "next": ""}, status=429)
