from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import current_channel, current_ip


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip_token = current_ip.set(request.META.get("REMOTE_ADDR"))
        channel = "api" if request.path.startswith("/api/") else "web"
        channel_token = current_channel.set(channel)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(ip_token)
            current_channel.reset(channel_token)
