"""Keep ``is_superuser`` and the 三员 roles consistent however an account is saved (admin, shell, CLI)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import AdminRole


@receiver(pre_save, sender=get_user_model())
def refuse_superuser_for_other_roles(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not instance.is_superuser or instance.pk is None:
        return
    role = AdminRole.objects.filter(user_id=instance.pk).values_list("role", flat=True).first()
    if role is not None and role != AdminRole.Role.SYSTEM:
        raise ValueError("安全管理员和审计管理员不能同时是系统管理员（三员分立）")
