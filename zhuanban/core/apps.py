from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhuanban.core"
    label = "core"
    verbose_name = "核心"
