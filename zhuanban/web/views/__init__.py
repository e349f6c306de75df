"""The web UI's views, one module per area: task forces, membership actions, lifecycle, the formation
wizard, the org directory and person pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

# The user help lives in docs/ (docs move with the code) and is shown in the app as well.
HELP_FILE = settings.BASE_DIR / "docs" / "help.zh.md"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("taskforce_list")


@login_required
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/help.html", {"body": HELP_FILE.read_text(encoding="utf-8")})
