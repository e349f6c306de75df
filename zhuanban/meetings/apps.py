from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "zhuanban.meetings"
    verbose_name = "周期性会商与值守驻点"
