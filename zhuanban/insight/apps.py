from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "zhuanban.insight"
    verbose_name = "监测与洞察"
