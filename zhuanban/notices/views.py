from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhuanban.web.views.common import load_taskforce, tf_context


@login_required
def tf_notices(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk)
    return render(request, "notices/tab.html", tf_context(tf, acc, "notices"))


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "notices/inbox.html", {"section": "inbox"})
