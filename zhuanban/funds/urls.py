from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("tf/<int:pk>/funds/", views.tf_funds, name="tf_funds"),
    path("tf/<int:pk>/funds/lines", views.funds_line, name="tf_funds_line"),
    path("tf/<int:pk>/funds/lines/<int:line_id>/approve", views.funds_line_approve, name="tf_funds_line_approve"),
    path("tf/<int:pk>/funds/lines/<int:line_id>/edit", views.funds_line_edit, name="tf_funds_line_edit"),
    path("tf/<int:pk>/funds/expenses", views.funds_expense, name="tf_funds_expense"),
    path("tf/<int:pk>/funds/expenses/<int:expense_id>/void", views.funds_expense_void, name="tf_funds_expense_void"),
    path("tf/<int:pk>/funds/procurements", views.funds_procurement, name="tf_funds_procurement"),
    path("tf/<int:pk>/funds/resources", views.funds_resource, name="tf_funds_resource"),
    path("tf/<int:pk>/funds/resources/<int:resource_id>/return", views.funds_resource_return,
         name="tf_funds_resource_return"),
    path("tf/<int:pk>/funds/ledger.xlsx", views.funds_export, name="tf_funds_export"),
]
