"""Password rules, in two profiles chosen by ZHUANBAN_PASSWORD_PROFILE.

``gov`` (default; the usual government rule): at least 8 characters from at least 3 of the 4 classes
(upper case, lower case, digits, symbols), not the login name, not a common password, not one of the last
5 passwords; changed every 90 days (enforced at login, see ``middleware``).

``asvs`` (OWASP ASVS 2.1): 12 to 128 characters, no composition rules, not on a breached-password list
(checked offline against Django's list of 20,000 common passwords, a bundled list of passwords common in
China, and optionally ZHUANBAN_BREACHED_PASSWORDS_FILE), no forced rotation.
"""

from __future__ import annotations

import gzip
import hashlib
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

BUNDLED_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-zh.txt"


def _classes(password: str) -> int:
    return sum((
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() or c in string.punctuation for c in password),
    ))


class ComplexityValidator:
    def __init__(self, min_length: int = 8, min_classes: int = 3) -> None:
        self.min_length, self.min_classes = min_length, min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(f"密码至少需要 {self.min_length} 个字符。", code="password_too_short")
        if _classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊符号中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"至少 {self.min_length} 个字符，包含大写字母、小写字母、数字、特殊符号中的至少 {self.min_classes} 类。"


class LengthValidator:
    def __init__(self, min_length: int = 12, max_length: int = 128) -> None:
        self.min_length, self.max_length = min_length, max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(f"密码至少需要 {self.min_length} 个字符，建议使用由几个词组成的长口令。",
                                  code="password_too_short")
        if len(password) > self.max_length:
            raise ValidationError(f"密码不能超过 {self.max_length} 个字符。", code="password_too_long")

    def get_help_text(self) -> str:
        return f"{self.min_length} 到 {self.max_length} 个字符；可以使用空格和中文，建议使用长口令。"


class NotUsernameValidator:
    def validate(self, password: str, user: Any = None) -> None:
        username = (user.get_username() if user is not None else "") or ""
        low = password.lower()
        if username and (low == username.lower() or (len(username) >= 3 and username.lower() in low)
                         or low == username.lower()[::-1]):
            raise ValidationError("密码不能与登录名相同或包含登录名。", code="password_is_username")

    def get_help_text(self) -> str:
        return "不能与登录名相同或包含登录名。"


class CommonValidator(CommonPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        if password.lower().strip() in self.passwords or password.lower().strip() in bundled_passwords():
            raise ValidationError("这个密码过于常见，请换一个。", code="password_too_common")

    def get_help_text(self) -> str:
        return "不能是常见密码。"


@lru_cache(maxsize=1)
def bundled_passwords() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in BUNDLED_LIST.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=4)
def _breached_file(path: str) -> frozenset[str]:
    """A deployment's own list: one password, or one SHA-1 hex digest (``HASH`` or ``HASH:count``, the
    Have I Been Pwned format) per line; ``.gz`` allowed."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
        return frozenset(line.split(":", 1)[0].strip() for line in fh if line.strip())


class BreachedPasswordValidator(CommonValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("这个密码出现在已泄露或常见密码清单中，请换一个。",
                                  code="password_breached") from None
        path = settings.BREACHED_PASSWORDS_FILE
        if path:
            listed = _breached_file(path)
            sha1 = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()
            if password in listed or sha1 in listed or sha1.lower() in listed:
                raise ValidationError("这个密码出现在已泄露或常见密码清单中，请换一个。", code="password_breached")

    def get_help_text(self) -> str:
        return "不能出现在已泄露或常见密码清单中。"


class HistoryValidator:
    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None) or not self.count:
            return
        from .models import PasswordHistory

        recent = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count]
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(f"不能使用最近 {self.count} 次用过的密码。", code="password_reused")

    def get_help_text(self) -> str:
        return f"不能与最近 {self.count} 次用过的密码相同。"


def profile_validators(profile: str | None = None) -> list[Any]:
    profile = profile or settings.PASSWORD_PROFILE
    if profile == "asvs":
        chain: list[Any] = [LengthValidator(), NotUsernameValidator(), BreachedPasswordValidator()]
    else:
        chain = [ComplexityValidator(), NotUsernameValidator(), CommonValidator()]
    if settings.PASSWORD_HISTORY:
        chain.append(HistoryValidator(settings.PASSWORD_HISTORY))
    return chain


class ProfileValidator:
    """The one entry in AUTH_PASSWORD_VALIDATORS: runs the chain of the configured profile, read at call
    time (so ``override_settings(PASSWORD_PROFILE=...)`` works), and reports every failed rule."""

    def validate(self, password: str, user: Any = None) -> None:
        errors: list[ValidationError] = []
        for validator in profile_validators():
            try:
                validator.validate(password, user)
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return " ".join(v.get_help_text() for v in profile_validators())
