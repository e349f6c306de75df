from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class RequestOptionalAxesBackend(AxesStandaloneBackend):
    """For the test suite only (zhuanban/settings_test.py): Django's test ``Client.login()`` calls
    ``authenticate()`` without a request, which the axes backend refuses outright.  Every real login path
    (web, admin, API token) passes the request, so lockout is still exercised there."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
