from django.urls import path

from . import views

urlpatterns = [
    path("tf/<int:pk>/tasks/", views.tf_tasks, name="tf_tasks"),
    path("tf/<int:pk>/tasks/new/", views.task_new, name="task_new"),
    path("tf/<int:pk>/tasks/import/", views.task_import, name="task_import"),
    path("tf/<int:pk>/tasks/export.xlsx", views.task_export, name="task_export"),
    path("tf/<int:pk>/tasks/reassign/", views.task_reassign, name="task_reassign"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/action/<slug:action>/", views.task_action, name="task_action"),
    path("my-tasks/", views.my_tasks, name="my_tasks"),
]
