from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_otp, name="login_otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/reauth/", views.reauth, name="account_reauth"),
    path("account/password/", views.password_change, name="account_password"),
    path("account/password/required/", views.password_required, name="account_password_required"),
    path("account/2fa/setup/", views.two_factor_setup, name="account_2fa_setup"),
    path("account/2fa/disable/", views.two_factor_disable, name="account_2fa_disable"),
    path("account/2fa/recovery-codes/", views.recovery_codes, name="account_recovery_codes"),
    path("account/sessions/<int:pk>/revoke/", views.session_revoke, name="account_session_revoke"),
    path("account/tokens/", views.token_create, name="account_token_create"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="account_token_revoke"),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
