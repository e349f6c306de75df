from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("tf/<int:pk>/reports/", views.tf_reports, name="tf_reports"),
    path("tf/<int:pk>/reports/new", views.template_new, name="report_template_new"),
    path("my-reports/", views.my_reports, name="my_reports"),
    path("reports/<int:template_id>/", views.report_aggregate, name="report_aggregate"),
    path("reports/<int:template_id>/fill", views.report_fill, name="report_fill"),
    path("reports/<int:template_id>/remind", views.report_remind, name="report_remind"),
    path("reports/<int:template_id>/share", views.report_share, name="report_share"),
    path("reports/<int:template_id>/export", views.report_export, name="report_export"),
    path("reports/submissions/<int:submission_id>/return", views.submission_return, name="report_submission_return"),
    path("reports/exports/<int:job_id>/", views.export_job, name="report_export_job"),
    path("reports/exports/<int:job_id>/progress", views.export_progress, name="report_export_progress"),
    path("reports/exports/<int:job_id>/download", views.export_download, name="report_export_download"),
]
