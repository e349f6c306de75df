from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("tf/<int:pk>/meetings/", views.tf_meetings, name="tf_meetings"),
    path("tf/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("tf/<int:pk>/meetings/series/new/", views.series_new, name="meeting_series_new"),
    path("tf/<int:pk>/duty/new/", views.shift_new, name="duty_shift_new"),
    path("tf/<int:pk>/stations/new/", views.station_new, name="station_new"),
    path("tf/<int:pk>/verifications/new/", views.verification_new, name="verification_new"),
    path("meeting-series/<int:series_id>/schedule/", views.series_schedule, name="meeting_series_schedule"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:meeting_id>/decisions/", views.decision_new, name="meeting_decision_new"),
    path("meetings/<int:meeting_id>/decisions/<int:decision_id>/to-task/", views.decision_to_task,
         name="meeting_decision_to_task"),
    path("meetings/<int:meeting_id>/dispatch/", views.meeting_dispatch, name="meeting_dispatch"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:meeting_id>/minutes.docx", views.meeting_docx, name="meeting_docx"),
    path("duty-swaps/new/", views.swap_new, name="duty_swap_new"),
    path("duty-swaps/<int:swap_id>/<str:decision>/", views.swap_decide, name="duty_swap_decide"),
    path("my-meetings/", views.my_meetings, name="my_meetings"),
]
