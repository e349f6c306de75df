from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from zhuanban.core.tokens import ApiToken


class LoginForm(AuthenticationForm):
    """Django's login form (axes sees the request it passes to authenticate()); one message for an unknown
    name and a wrong password."""


class CodeForm(forms.Form):
    code = forms.CharField(label="验证码", max_length=32, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class PasswordForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "当前密码不正确。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"

    def save(self, commit: bool = True) -> Any:  # the service sets the password (and ends other sessions)
        raise NotImplementedError


class ReauthForm(forms.Form):
    password = forms.CharField(label="当前密码", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TokenForm(forms.Form):
    name = forms.CharField(label="名称（用途）", max_length=80, required=False)
    scope = forms.ChoiceField(label="权限", choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)
    days = forms.IntegerField(label="有效天数", min_value=1, max_value=365, initial=30)
