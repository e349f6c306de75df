from django.contrib import admin
from django.urls import include, path

from zhuanban.accounts import views as accounts_views
from zhuanban.api import api
from zhuanban.core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # before web.urls: database, cache and queue checks
    # The admin logs in through the platform's login (lockout, second factor), not its own form.
    path("admin/login/", accounts_views.login_view),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("zhuanban.org.urls")),
    path("security/", include("zhuanban.security.urls")),
    path("", include("zhuanban.files.urls")),
    path("", include("zhuanban.tasks.urls")),
    path("", include("zhuanban.meetings.urls")),
    path("", include("zhuanban.reports.urls")),
    path("", include("zhuanban.notices.urls")),
    path("", include("zhuanban.accountability.urls")),
    path("", include("zhuanban.assessment.urls")),
    path("", include("zhuanban.funds.urls")),
    path("", include("zhuanban.insight.urls")),
    path("", include("zhuanban.accounts.urls")),
    path("", include("zhuanban.web.urls")),
]

# An oversized body found while reading it (RequestDataTooBig) is a 413, not a 400 (zhuanban.core.limits).
handler400 = "zhuanban.core.limits.bad_request"
