"""Account security use cases: password changes and their history, sessions, the idle/expiry sweep, demo
accounts.  Every change writes an audit event (``zhuanban.core.audit.record``)."""

from __future__ import annotations

import time
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from zhuanban.core import audit

from .models import PasswordHistory, UserSecurity, UserSession

# Keys this app keeps in the session.
AUTH_AT = "zb_auth_at"  # when the password (and second factor) were last checked: login or re-auth
LOGIN_AT = "zb_login_at"  # when the session began (the absolute limit)
LAST_SEEN = "zb_last_seen"  # the last request (the idle limit)
TOUCHED = "zb_touched"  # last time UserSession.last_seen_at was written (at most once a minute)
MUST_CHANGE = "zb_must_change_password"
NEEDS_2FA = "zb_needs_2fa"
PENDING = "zb_pending_login"  # password accepted, second factor outstanding

audit.ACTION_LABELS.update({
    "auth.login": "登录",
    "auth.logout": "退出登录",
    "auth.login_failed": "登录失败",
    "auth.locked": "账号/地址被锁定",
    "auth.unlocked": "解除锁定",
    "auth.password_change": "修改密码",
    "auth.session_expired": "会话超时",
    "auth.session_revoke": "结束会话",
    "auth.2fa_enable": "启用双因素认证",
    "auth.2fa_disable": "停用双因素认证",
    "auth.recovery_codes": "生成恢复码",
    "auth.reauth": "再次验证身份",
    "auth.account_disabled": "停用账号",
    "auth.token_revoke": "吊销 API 令牌",
})


def security_for(user: Any) -> UserSecurity:
    sec, _ = UserSecurity.objects.get_or_create(user=user, defaults={"password_changed_at": timezone.now()})
    return sec


# ---- passwords ---------------------------------------------------------------------------------------


def password_expired(sec: UserSecurity, now: Any = None) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or sec.password_changed_at is None:
        return False
    return (now or timezone.now()) - sec.password_changed_at > timedelta(days=days)


def must_change_password(user: Any) -> bool:
    sec = security_for(user)
    return sec.must_change_password or password_expired(sec)


def remember_password(user: Any) -> None:
    """Called whenever a user's stored password hash changes (any path: our page, admin, createsuperuser):
    keep the hash for the history rule and restart the password's age."""
    if not user.password or not user.has_usable_password():
        return
    latest = PasswordHistory.objects.filter(user=user).values_list("password", flat=True).first()
    if latest == user.password:
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = max(settings.PASSWORD_HISTORY, 1)
    old = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(old)).delete()
    UserSecurity.objects.update_or_create(
        user=user, defaults={"password_changed_at": timezone.now(), "must_change_password": False}
    )


@transaction.atomic
def change_password(request: HttpRequest, user: Any, new_password: str) -> None:
    """Set a new password; the current session stays, every other session of the user ends."""
    user.set_password(new_password)
    user.save()
    update_session_auth_hash(request, user)
    request.session.pop(MUST_CHANGE, None)
    request.session[AUTH_AT] = time.time()
    ended = end_other_sessions(user, keep=request.session.session_key)
    audit.record(user, "auth.password_change", user, note=f"结束其他会话 {ended} 个")


# ---- sessions ----------------------------------------------------------------------------------------


def _store(session_key: str) -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def start_session(request: HttpRequest, user: Any) -> None:
    """At login (the user_logged_in signal): stamp the session and list it for the user."""
    now = time.time()
    session = request.session
    session[AUTH_AT] = session[LOGIN_AT] = session[LAST_SEEN] = session[TOUCHED] = now
    if session.session_key is None:
        session.save()
    meta = getattr(request, "META", {})
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "ip": meta.get("REMOTE_ADDR") or None,
                  "user_agent": (meta.get("HTTP_USER_AGENT") or "")[:300], "last_seen_at": timezone.now()},
    )


def live_sessions(user: Any) -> list[UserSession]:
    """The user's sessions that still exist in the session store (expired ones are pruned)."""
    from django.contrib.sessions.models import Session

    rows = list(UserSession.objects.filter(user=user))
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return rows
    alive = set(Session.objects.filter(session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now())
                .values_list("session_key", flat=True))
    dead = [r.pk for r in rows if r.session_key not in alive]
    if dead:
        UserSession.objects.filter(pk__in=dead).delete()
    return [r for r in rows if r.session_key in alive]


def end_session(session_key: str) -> None:
    _store(session_key).delete()
    UserSession.objects.filter(session_key=session_key).delete()


def revoke_session(actor: Any, pk: int) -> bool:
    row = UserSession.objects.filter(user=actor, pk=pk).first()
    if row is None:
        return False
    end_session(row.session_key)
    audit.record(actor, "auth.session_revoke", actor, note=f"{row.ip or ''} {row.user_agent[:80]}")
    return True


def end_other_sessions(user: Any, *, keep: str | None) -> int:
    keys = list(UserSession.objects.filter(user=user).exclude(session_key=keep or "")
                .values_list("session_key", flat=True))
    for key in keys:
        end_session(key)
    return len(keys)


# ---- two-factor requirement --------------------------------------------------------------------------


def requires_two_factor(user: Any) -> bool:
    required = set(settings.TWO_FACTOR_REQUIRED_FOR)
    if not required or not getattr(user, "pk", None):
        return False
    if "all" in required:
        return True
    if "admin" in required and (user.is_superuser or user.is_staff):
        return True
    if "office" in required:
        from zhuanban.taskforces.models import Membership

        return Membership.objects.filter(person__user=user, role__in=Membership.OFFICE_ROLES,
                                         end_on__isnull=True).exists()
    return False


# ---- accounts: demo, disable, sweep ------------------------------------------------------------------


def mark_demo(users: Any) -> None:
    for user in users:
        UserSecurity.objects.update_or_create(user=user, defaults={"is_demo": True})


def active_demo_accounts() -> list[str]:
    return list(get_user_model().objects.filter(is_active=True, security__is_demo=True)
                .values_list("username", flat=True))


def disable_account(user: Any, reason: str, note: str = "") -> None:
    with transaction.atomic():
        type(user).objects.filter(pk=user.pk).update(is_active=False)
        UserSecurity.objects.update_or_create(
            user=user, defaults={"disabled_at": timezone.now(), "disabled_reason": reason})
        for key in UserSession.objects.filter(user=user).values_list("session_key", flat=True):
            end_session(key)
        audit.record(None, "auth.account_disabled", user, before={"is_active": True},
                     after={"is_active": False, "reason": reason}, note=note)


def sweep(*, now: Any = None, demo: bool = False) -> dict[str, list[str]]:
    """Disable accounts idle longer than ZHUANBAN_IDLE_DISABLE_DAYS and external accounts past their expiry
    (and, with ``demo``, every demo account).  Idempotent: only active accounts are touched."""
    now = now or timezone.now()
    users = get_user_model().objects.filter(is_active=True)
    done: dict[str, list[str]] = {"expired": [], "idle": [], "demo": []}
    for user in users.filter(security__expires_at__lte=now):
        disable_account(user, "expired", "外部成员账号到期")
        done["expired"].append(user.username)
    days = settings.IDLE_DISABLE_DAYS
    if days:
        cutoff = now - timedelta(days=days)
        idle = users.filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        for user in idle.order_by("pk"):
            # Never lock the installation out of itself: the last active superuser stays.
            if user.is_superuser and not users.filter(is_superuser=True).exclude(pk=user.pk).exists():
                continue
            disable_account(user, "idle", f"超过 {days} 天未登录")
            done["idle"].append(user.username)
    if demo:
        for user in users.filter(security__is_demo=True):
            disable_account(user, "demo", "生产环境不得保留演示账号")
            done["demo"].append(user.username)
    return done
