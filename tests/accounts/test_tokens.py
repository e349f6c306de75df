"""API tokens: the token endpoint (password + second factor), the tokens on the account page, scope,
expiry and revocation."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.accounts.conftest import age_session, code_for, enable_2fa
from tests.web.conftest import text
from zhuanban.core.models import AuditEvent
from zhuanban.core.tokens import ApiToken

URL = "/api/v1/auth/token"


def post(body: dict, **extra):
    return Client().post(URL, body, content_type="application/json", **extra)


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_password_buys_a_scoped_expiring_token(cast):
    r = post({"username": "Alice", "password": cast.password, "scope": "read", "days": 7, "name": "脚本"})
    assert r.status_code == 201, r.content
    body = r.json()
    token = ApiToken.objects.get(user=cast.alice)
    assert body["scope"] == "read" and token.name == "脚本"
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)
    client = bearer(body["token"])
    assert client.get("/api/v1/taskforces").status_code == 200
    r = client.post(f"/api/v1/taskforces/{cast.tf.pk}/groups", {"name": "组"}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "insufficient_scope"


def test_the_token_endpoint_needs_the_second_factor_when_enrolled(cast):
    device, codes = enable_2fa(cast.bob)
    r = post({"username": "bob", "password": cast.password})
    assert r.status_code == 401 and r.json()["code"] == "bad_credentials"
    assert post({"username": "bob", "password": cast.password, "otp": code_for(device)}).status_code == 201
    assert post({"username": "bob", "password": cast.password, "otp": codes[0]}).status_code == 201
    assert post({"username": "bob", "password": cast.password, "otp": codes[0]}).status_code == 401


def test_the_token_endpoint_refuses_those_who_must_set_up_2fa_first(cast, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["admin"]
    r = post({"username": "admin", "password": cast.password})
    assert r.status_code == 403 and r.json()["code"] == "two_factor_setup_required"


def test_the_token_endpoint_validates_its_input(cast):
    assert post({"username": "bob", "password": cast.password, "days": 1000}).status_code == 422
    assert post({"username": "bob", "password": cast.password, "role": "x"}).status_code == 422


def test_tokens_on_the_account_page_are_created_shown_once_and_revoked(cast, as_user):
    client = as_user(cast.bob)
    age_session(client, auth_at=400)  # the password was checked long ago: the operation asks again
    r = client.post("/account/tokens/", {"name": "报表", "scope": "write", "days": 10})
    assert r["Location"].startswith("/account/reauth/")
    client.post("/account/reauth/", {"password": cast.password})
    r = client.post("/account/tokens/", {"name": "报表", "scope": "write", "days": 10})
    raw = re.search(r"(zb_[A-Za-z0-9_-]+)</code>", r.content.decode()).group(1)
    assert bearer(raw).get("/api/v1/taskforces").status_code == 200
    page = text(client.get("/account/"))
    assert raw not in page and raw[:8] in page and "报表" in page and "读写" in page
    token = ApiToken.objects.get(user=cast.bob)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert bearer(raw).get("/api/v1/taskforces").status_code == 401
    assert AuditEvent.objects.filter(action="auth.token_revoke", actor=cast.bob).exists()


def test_one_cannot_revoke_anothers_token(cast, as_user):
    from zhuanban.core.tokens import issue_token

    raw = issue_token(cast.alice)
    token = ApiToken.objects.get(user=cast.alice)
    as_user(cast.bob).post(f"/account/tokens/{token.pk}/revoke/")
    assert bearer(raw).get("/api/v1/taskforces").status_code == 200


def test_token_list_shows_expiry_and_last_use(cast, as_user):
    from zhuanban.core.tokens import issue_token

    raw = issue_token(cast.bob, name="旧令牌", days=1)
    bearer(raw).get("/api/v1/taskforces")
    ApiToken.objects.filter(user=cast.bob).update(expires_at=timezone.now() - timedelta(days=1))
    page = text(as_user(cast.bob).get("/account/"))
    assert "旧令牌" in page and "已过期" in page
    assert ApiToken.objects.get(user=cast.bob).last_used_at is not None
