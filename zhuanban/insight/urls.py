from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("insight/", views.home, name="insight_home"),
    path("insight/health/", views.health, name="insight_health"),
    path("insight/health/rules/", views.rules, name="insight_rules"),
    path("insight/summaries/<int:summary_id>/", views.summary_page, name="insight_summary"),
    path("insight/summaries/<int:summary_id>/docx", views.summary_docx, name="insight_summary_docx"),
    path("insight/<str:dashboard>/", views.board, name="insight_board"),
    path("tf/<int:pk>/summaries/", views.tf_summaries, name="tf_summaries"),
]
