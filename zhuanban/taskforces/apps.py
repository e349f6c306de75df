from django.apps import AppConfig


class TaskforcesConfig(AppConfig):
    name = "zhuanban.taskforces"
    label = "taskforces"
    verbose_name = "工作专班"
