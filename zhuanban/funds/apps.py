from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "zhuanban.funds"
    verbose_name = "经费与办公保障"
