from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhuanban.accounts"
    label = "accounts"
    verbose_name = "账号安全"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (registers the system check and the signal receivers)
