from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "zhuanban.meetings"
    verbose_name = "周期性会商与值守驻点"

    def ready(self) -> None:
        from zhuanban.scale.generator import register_phase

        from . import generate

        register_phase("meetings", "会商（会议、出席、议定事项、值班）", generate.run, after="tasks")
