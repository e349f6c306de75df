from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "zhuanban.accountability"
    verbose_name = "责任与督办"
