from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "zhuanban.security"
    label = "security"
    verbose_name = "安全管理（三员分立）"

    def ready(self) -> None:
        from . import signals  # noqa: F401
