from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "zhuanban.notices"
    verbose_name = "通知、收件箱与提醒"

    def ready(self) -> None:
        from zhuanban.scale.generator import register_phase

        from . import gen, sources
        from .tasks import register_sweeps

        register_sweeps()
        sources.register()  # reports due / 催报, meetings tomorrow, today's duty → the inbox (sources.py)
        sources.connect()
        register_phase("notices", "通知与回执（收件箱、确认接收）", gen.run, after="tasks")
