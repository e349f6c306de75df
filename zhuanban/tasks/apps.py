from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "zhuanban.tasks"
    verbose_name = "任务与挂图作战"

    def ready(self) -> None:
        from . import openitems  # noqa: F401  (registers tasks as open items of a task force)
