from django.urls import path

from . import views

urlpatterns = [
    path("tf/<int:pk>/reports/", views.tf_reports, name="tf_reports"),
    path("my-reports/", views.my_reports, name="my_reports"),
]
