from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "zhuanban.assessment"
    verbose_name = "考核评价"

    def ready(self) -> None:
        from zhuanban.scale.generator import register_phase

        from . import gen

        register_phase("assessment", "考核评价（200 人的年度考核方案、评价人与评分）", gen.run, after="tasks")
