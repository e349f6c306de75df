from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("assessment/", views.home, name="assessment_home"),
    path("tf/<int:pk>/assessment/", views.tf_assessment, name="tf_assessment"),
    path("tf/<int:pk>/assessment/new/", views.scheme_new, name="assessment_scheme_new"),
    path("assessment/schemes/<int:scheme_id>/", views.scheme_detail, name="assessment_scheme"),
    path("assessment/schemes/<int:scheme_id>/edit/", views.scheme_edit, name="assessment_scheme_edit"),
    path("assessment/schemes/<int:scheme_id>/evaluators/", views.scheme_evaluators, name="assessment_scheme_evaluators"),
    path("assessment/schemes/<int:scheme_id>/forms/", views.scheme_forms, name="assessment_scheme_forms"),
    path("assessment/schemes/<int:scheme_id>/marks/", views.scheme_mark, name="assessment_scheme_mark"),
    path("assessment/schemes/<int:scheme_id>/export/", views.scheme_export, name="assessment_scheme_export"),
    path("assessment/schemes/<int:scheme_id>/score/", views.score, name="assessment_score"),
    path("assessment/schemes/<int:scheme_id>/results/", views.results, name="assessment_results"),
    path("assessment/exports/<int:export_id>/", views.export_status, name="assessment_export_status"),
    path("assessment/exports/<int:export_id>/download/", views.export_download, name="assessment_export_download"),
]
