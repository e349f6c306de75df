from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "zhuanban.idempotency"
    label = "idempotency"
    verbose_name = "幂等键"
