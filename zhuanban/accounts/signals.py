"""Receivers: the audit trail of logins, logouts, failures, locks and unlocks; the session list; the
password history (kept on every change of the stored hash, whichever path changed it)."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from zhuanban.core import audit

from . import services

User = get_user_model()


def _user_or_placeholder(username: str | None) -> Any:
    """The account named ``username``, or an unsaved stand-in so an attempt on an unknown name is still
    recorded (in the audit trail only; the user is told nothing about it)."""
    found = User.objects.filter(username__iexact=username).first() if username else None
    return found or User(username=(username or "")[:150])


@receiver(post_save, sender=User, dispatch_uid="accounts_remember_password")
def on_user_saved(sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    if raw or (update_fields is not None and "password" not in update_fields):
        return
    services.remember_password(instance)


@receiver(user_logged_in, dispatch_uid="accounts_logged_in")
def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    services.start_session(request, user)
    request.session.pop(services.PENDING, None)
    if services.must_change_password(user):
        request.session[services.MUST_CHANGE] = True
    if services.requires_two_factor(user):
        from . import factors

        if not factors.enrolled(user):
            request.session[services.NEEDS_2FA] = True
    audit.record(user, "auth.login", user)


@receiver(user_logged_out, dispatch_uid="accounts_logged_out")
def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        services.UserSession.objects.filter(session_key=key).delete()
    audit.record(user, "auth.logout", user)


@receiver(user_login_failed, dispatch_uid="accounts_login_failed")
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = credentials.get("username") or credentials.get(getattr(settings, "AXES_USERNAME_FORM_FIELD", ""))
    step = credentials.get("zb_step", "password")
    audit.record(None, "auth.login_failed", _user_or_placeholder(username), note=f"{step}: {username or ''}"[:200])


@receiver(user_locked_out, dispatch_uid="accounts_locked")
def on_locked(sender: Any, request: Any, username: str | None = None, ip_address: str | None = None,
              **kwargs: Any) -> None:
    # axes repeats the signal for attempts during a lock; record the moment the limit is reached.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is not None and failures != settings.AXES_FAILURE_LIMIT:
        return
    if failures is None:
        return
    audit.record(None, "auth.locked", _user_or_placeholder(username),
                 after={"username": username, "ip": ip_address, "minutes": int(settings.AXES_COOLOFF_TIME * 60)})


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="accounts_unlocked")
def on_attempt_deleted(sender: Any, instance: AccessAttempt, **kwargs: Any) -> None:
    """A lock ends when its failure record goes: cool-off expiry, a successful login, or `axes_reset`."""
    if instance.failures_since_start < settings.AXES_FAILURE_LIMIT:
        return
    audit.record(None, "auth.unlocked", _user_or_placeholder(instance.username),
                 before={"username": instance.username, "ip": instance.ip_address,
                         "failures": instance.failures_since_start})
