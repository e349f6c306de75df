from django.urls import path

from . import views

urlpatterns = [
    path("import", views.import_upload, name="org_import"),
    path("import/template.xlsx", views.import_template, name="org_import_template"),
    path("import/<int:pk>", views.import_job, name="org_import_job"),
    path("import/<int:pk>/progress", views.import_progress, name="org_import_progress"),
]
