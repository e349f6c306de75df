"""The Content-Security-Policy in a real browser: pages work and Chromium reports no violation.

The org chart (ECharts, with its tooltip), htmx fragments, Bootstrap's components and the API docs
(Swagger UI) all run under ``script-src 'self'; style-src 'self'``: no inline script, no inline style.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _violations(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


def test_pages_with_charts_htmx_and_uploads_raise_no_csp_violation(page, cast, shot):
    violations = _violations(page)
    login(page, "alice", cast.password)
    page.goto(reverse("tf_structure", args=[cast.tf.pk]))
    page.wait_for_selector("#orgchart canvas")  # ECharts drew the org chart
    box = page.locator("#orgchart canvas").bounding_box()
    for x in range(0, int(box["width"]), 40):  # sweep the chart so its tooltip shows
        page.mouse.move(box["x"] + x, box["y"] + box["height"] / 2)
    page.goto(reverse("tf_detail", args=[cast.tf.pk]))
    page.wait_for_selector("#attachments")
    page.goto(reverse("tf_edit", args=[cast.tf.pk]))
    page.goto(reverse("tf_new"))
    page.goto(reverse("directory_units"))
    login_page_violations = list(violations)
    assert not login_page_violations, login_page_violations
    shot(page, "csp-directory")
    assert not violations, violations


def test_the_api_docs_render_under_the_policy(page, cast):
    violations = _violations(page)
    login(page, "admin", cast.password)
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    page.locator(".opblock-summary").first.click()  # an operation opens (Swagger UI's own styling)
    page.wait_for_timeout(300)
    assert not violations, violations
