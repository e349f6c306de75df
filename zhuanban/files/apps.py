from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "zhuanban.files"
    label = "files"
    verbose_name = "附件"

    def ready(self) -> None:
        from . import queries  # noqa: F401  (hides invisible attachments in task-force histories)
