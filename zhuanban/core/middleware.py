from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import current_channel, current_ip, request_memo


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip_token = current_ip.set(request.META.get("REMOTE_ADDR"))
        channel = "api" if request.path.startswith("/api/") else "web"
        channel_token = current_channel.set(channel)
        memo_token = request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(ip_token)
            current_channel.reset(channel_token)
            request_memo.reset(memo_token)


class ChineseFirstLocaleMiddleware:
    """The UI language is Simplified Chinese unless the user chose another with the language switcher
    (the language cookie).  Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored:
    an office PC set up in English still gets the Chinese product its users work in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
