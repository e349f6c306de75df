from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhuanban.reports"
    verbose_name = "信息报送"

    def ready(self) -> None:
        from zhuanban.scale.generator import register_phase

        from . import gen

        register_phase("reports", "信息报送（报表模板、每日报送）", gen.run, after="tasks")
