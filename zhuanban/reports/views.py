from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhuanban.web.views.common import load_taskforce, tf_context


@login_required
def tf_reports(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk)
    return render(request, "reports/tab.html", tf_context(tf, acc, "reports"))


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/my.html", {"section": "my_reports"})
