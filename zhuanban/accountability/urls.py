from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("tf/<int:pk>/accountability/", views.tf_accountability, name="tf_accountability"),
    path("tf/<int:pk>/accountability/export.xlsx", views.tf_accountability_export, name="tf_accountability_export"),
    path("tf/<int:pk>/accountability/supervise/", views.tf_supervise, name="tf_supervise"),
    path("people/<int:person_id>/portrait/", views.person_portrait, name="person_portrait"),
    path("supervision/<int:supervision_id>/", views.supervision_detail, name="supervision_detail"),
]
