from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhuanban.reports"
    verbose_name = "信息报送"
