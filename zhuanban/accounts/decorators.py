"""``require_recent_auth``: sensitive operations ask for the password again when the last check of it is
older than ZHUANBAN_REAUTH_SECONDS (5 minutes).  Reusable by any view (role grants, bulk export)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlparse

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .services import AUTH_AT


def auth_is_recent(request: HttpRequest) -> bool:
    return time.time() - float(request.session.get(AUTH_AT) or 0) <= settings.REAUTH_SECONDS


def _return_to(request: HttpRequest) -> str:
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    # A POST cannot be replayed after the password prompt: go back to the page the form was on.
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}):
        parsed = urlparse(referer)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return reverse("account")


def require_recent_auth(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not auth_is_recent(request):
            url = f"{reverse('account_reauth')}?{urlencode({'next': _return_to(request)})}"
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=401)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
        return view(request, *args, **kwargs)

    return wrapped
