from django.urls import path

from . import views

urlpatterns = [
    path("tf/<int:pk>/files/upload/", views.upload, name="tf_file_upload"),
    # By id only: no file name or path ever comes from the URL.
    path("files/<int:attachment_id>/download", views.download, name="file_download"),
]
