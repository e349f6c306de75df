from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("tf/<int:pk>/notices/", views.tf_notices, name="tf_notices"),
    path("tf/<int:pk>/notices/settings/", views.tf_notice_settings, name="tf_notice_settings"),
    path("tf/<int:pk>/notices/rules/", views.tf_notice_rule, name="tf_notice_rule"),
    path("notices/<int:notice_id>/", views.notice_receipts, name="notice_receipts"),
    path("notices/<int:notice_id>/receipts/", views.notice_receipts_fragment, name="notice_receipts_fragment"),
    path("notices/<int:notice_id>/remind/", views.notice_remind, name="notice_remind"),
    path("notice-channels/<int:channel_id>/delete/", views.tf_notice_channel_delete, name="tf_notice_channel_delete"),
    path("deliveries/<int:delivery_id>/replay/", views.delivery_replay, name="delivery_replay"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/settings/", views.inbox_settings, name="inbox_settings"),
    path("inbox/digest/", views.inbox_digest, name="inbox_digest"),
    path("inbox/<int:inbox_item_id>/", views.inbox_item_open, name="inbox_item_open"),
    path("inbox/<int:inbox_item_id>/ack/", views.inbox_item_ack, name="inbox_item_ack"),
]
