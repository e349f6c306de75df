from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "zhuanban.files"
    label = "files"
    verbose_name = "附件"
