from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "zhuanban.assessment"
    verbose_name = "考核评价"
