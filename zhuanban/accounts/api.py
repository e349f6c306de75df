"""POST /api/v1/auth/token: exchange a login name, password and (if enrolled) a second-factor code for a new
scoped, expiring API token.  Failures count towards the same lock as the web login (django-axes)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, QueryDict
from ninja import Field, Router, Status

from zhuanban.core.errors import DomainError
from zhuanban.core.schemas import WRITE_ERRORS, ErrorOut, Input
from zhuanban.core.tokens import ApiToken, issue_token

from . import factors, services

router = Router(tags=["认证"])

BAD_CREDENTIALS = "登录名、密码或验证码不正确"


class TokenIn(Input):
    username: str = Field(max_length=150)
    password: str = Field(max_length=256)
    otp: str = Field("", max_length=32, description="动态验证码或恢复码（已启用双因素认证的账号必填）")
    scope: ApiToken.Scope = Field(ApiToken.Scope.READ, description="read 只读，write 读写")
    days: int = Field(30, ge=1, le=365, description="有效天数")
    name: str = Field("", max_length=80)


class TokenOut(Input):
    token: str = Field(description="令牌原文，只返回这一次")
    scope: str
    expires_at: datetime | None


@router.post("/auth/token", auth=None, response={201: TokenOut, 429: ErrorOut, **WRITE_ERRORS},
             summary="以密码（及动态验证码）换取 API 令牌")
def create_token(request: HttpRequest, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        # A lock (django-axes) turns this into 429 on the way out; otherwise one message for every failure.
        raise DomainError("bad_credentials", BAD_CREDENTIALS, status=401)
    credentials = {"username": payload.username, "zb_step": "otp"}
    if factors.enrolled(user):
        data = QueryDict(mutable=True)
        data["code"] = payload.otp
        if factors.verify_any(request, user, data) is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            raise DomainError("bad_credentials", BAD_CREDENTIALS, status=401)
    elif services.requires_two_factor(user):
        raise DomainError("two_factor_setup_required", "该账号须先在网页“账号安全”中启用双因素认证", status=403)
    if services.must_change_password(user):
        raise DomainError("password_change_required", "密码已过期或须修改，请先在网页上修改密码", status=403)
    raw = issue_token(user, name=payload.name, scope=payload.scope, days=payload.days)
    token = ApiToken.objects.filter(user=user).order_by("-pk").first()
    return Status(201, {"token": raw, "scope": token.scope, "expires_at": token.expires_at})
