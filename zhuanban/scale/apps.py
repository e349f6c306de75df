from django.apps import AppConfig


class ScaleConfig(AppConfig):
    name = "zhuanban.scale"
    verbose_name = "规模与性能"
    default_auto_field = "django.db.models.BigAutoField"
