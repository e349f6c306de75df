"""OpenID Connect login (mozilla-django-oidc), used only when ZHUANBAN_OIDC_ENABLED is on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class OidcBackend(OIDCAuthenticationBackend):
    """Matches the identity provider's user to an existing account by login name (case-insensitive);
    creates none unless ZHUANBAN_OIDC_CREATE_USER is on."""

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        name = claims.get(settings.OIDC_USERNAME_CLAIM)
        if not name:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username__iexact=name, is_active=True)

    def get_username(self, claims: dict[str, Any]) -> str:
        return str(claims.get(settings.OIDC_USERNAME_CLAIM) or super().get_username(claims))
