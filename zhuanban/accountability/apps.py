from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "zhuanban.accountability"
    verbose_name = "责任与督办"

    def ready(self) -> None:
        from zhuanban.scale.generator import register_phase

        from . import gen

        register_phase("accountability", "督办记录（个体责任画像）", gen.run, after="tasks")
