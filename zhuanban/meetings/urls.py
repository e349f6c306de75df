from django.urls import path

from . import views

urlpatterns = [
    path("tf/<int:pk>/meetings/", views.tf_meetings, name="tf_meetings"),
    path("my-meetings/", views.my_meetings, name="my_meetings"),
]
