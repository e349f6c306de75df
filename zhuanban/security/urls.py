from django.urls import path

from . import views

urlpatterns = [
    path("audit/", views.audit_search, name="security_audit"),
    path("audit/export.<str:fmt>", views.audit_export, name="security_audit_export"),
    path("roles/", views.roles, name="security_roles"),
    path("roles/grant/", views.role_grant, name="security_role_grant"),
    path("roles/<int:user_id>/revoke/", views.role_revoke, name="security_role_revoke"),
]
