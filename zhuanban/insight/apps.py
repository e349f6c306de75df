from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "zhuanban.insight"
    verbose_name = "监测与洞察"

    def ready(self) -> None:
        from zhuanban.taskforces import services as tf_services

        from . import readlog, services
        from .tasks import register_sweeps

        register_sweeps()  # insight.snapshot: the province-wide dashboard, daily

        # The dissolution summary is archived and shared inside dissolve's transaction (its one hook).
        if services.archive_summary not in tf_services.DISSOLVED_HOOKS:
            tf_services.DISSOLVED_HOOKS.append(services.archive_summary)
        readlog.connect()  # counts views of report aggregates (check "reports nobody reads")
