"""三员分立 use cases: granting and revoking the administrative roles, and who holds which.

Only the security administrator grants and revokes (the first one is appointed from the command line:
``zhuanban adminrole grant NAME security``, actor ``None`` = the trusted operator at the console).
Every change is audited; the system administrator role is Django's ``is_superuser``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from zhuanban.core import audit
from zhuanban.core.errors import Conflict, Forbidden, Invalid

from .models import AdminRole

Role = AdminRole.Role


def role_of(user: Any) -> str | None:
    """The account's administrative role; a superuser without a role row counts as system admin."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.admin_role.role
    except AdminRole.DoesNotExist:
        return Role.SYSTEM if user.is_superuser else None


def is_audit_admin(user: Any) -> bool:
    return role_of(user) == Role.AUDIT and not user.is_superuser and user.is_active


def is_security_admin(user: Any) -> bool:
    return role_of(user) == Role.SECURITY and not user.is_superuser and user.is_active


def _require_security_admin(actor: Any) -> None:
    if actor is None:  # the operator at the console (bootstrap)
        return
    if not is_security_admin(actor):
        raise Forbidden("只有安全管理员可以授予或撤销管理角色（三员分立）")


@transaction.atomic
def grant_role(actor: Any, user: Any, role: str) -> AdminRole:
    _require_security_admin(actor)
    if role not in Role.values:
        raise Invalid("invalid_role", "管理角色无效", {"role": "须为 system / security / audit"})
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if actor is not None and actor.pk == user.pk:
        raise Forbidden("不能给自己授予管理角色")
    if not user.is_active:
        raise Invalid("inactive_user", "账号已停用，不能授予管理角色", {"user": "账号已停用"})
    current = role_of(user)
    # A superuser without a role row (createsuperuser, older installs) may be registered as system admin.
    registering = current == Role.SYSTEM and role == Role.SYSTEM and not AdminRole.objects.filter(
        user=user).exists()
    if current is not None and not registering:
        raise Conflict("role_held", f"该账号已担任{Role(current).label}，一个账号只能担任三员中的一种",
                       {"role": "已担任其他管理角色"})
    try:
        with transaction.atomic():
            grant = AdminRole.objects.create(user=user, role=role,
                                             granted_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError:
        raise Conflict("role_held", "该账号已担任管理角色，一个账号只能担任三员中的一种") from None
    if role == Role.SYSTEM:
        user.is_superuser = user.is_staff = True
    else:
        # The security and audit administrators are never superusers, and do not use Django's admin.
        user.is_superuser = user.is_staff = False
    user.save(update_fields=["is_superuser", "is_staff"])
    audit.record(actor, "security.role_grant", grant, after={"user": user.get_username(), "role": role})
    return grant


@transaction.atomic
def revoke_role(actor: Any, user: Any) -> None:
    _require_security_admin(actor)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if actor is not None and actor.pk == user.pk:
        raise Forbidden("不能撤销自己的管理角色，请由另一位安全管理员办理")
    role = role_of(user)
    if role is None:
        raise Invalid("no_role", "该账号没有管理角色")
    grant = AdminRole.objects.filter(user=user).first()
    if grant is not None:
        AdminRole.objects.filter(pk=grant.pk).delete()
    if role == Role.SYSTEM:
        user.is_superuser = user.is_staff = False
        user.save(update_fields=["is_superuser", "is_staff"])
    audit.record(actor, "security.role_revoke", user, before={"user": user.get_username(), "role": role})
