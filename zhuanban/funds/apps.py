from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "zhuanban.funds"
    verbose_name = "经费与办公保障"

    def ready(self) -> None:
        from zhuanban.scale.generator import register_phase

        from . import gen, openitems

        openitems.register()  # unreturned office space / equipment → the dissolution checklist, merges
        register_phase("funds", "经费台账（预算线、支出、借用资源）", gen.run, after="tasks")
