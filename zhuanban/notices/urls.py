from django.urls import path

from . import views

urlpatterns = [
    path("tf/<int:pk>/notices/", views.tf_notices, name="tf_notices"),
    path("inbox/", views.inbox, name="inbox"),
]
