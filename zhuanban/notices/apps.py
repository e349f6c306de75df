from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "zhuanban.notices"
    verbose_name = "通知、收件箱与提醒"
