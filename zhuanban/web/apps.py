from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhuanban.web"
    label = "web"
    verbose_name = "界面"
