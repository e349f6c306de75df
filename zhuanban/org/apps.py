from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhuanban.org"
    label = "org"
    verbose_name = "组织名录"
