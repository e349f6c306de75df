"""Security headers: a Content-Security-Policy without inline script on every page, framing denied."""

from __future__ import annotations

import pytest
from django.urls import reverse

PAGES = ["taskforce_list", "tf_new", "directory_units", "directory_people", "me", "org_import"]


def csp_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: " ".join(d.split()[1:]) for d in header.split(";") if d.strip()}


def assert_strict(response) -> None:
    csp = csp_of(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no hosts
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["form-action"] == "'self'"
    assert csp["img-src"] == "'self' data:" and csp["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("name", PAGES)
def test_pages_carry_a_strict_csp(cast, client, name):
    client.force_login(cast.admin)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_strict(response)


@pytest.mark.parametrize("tab", ["tf_detail", "tf_type", "tf_structure", "tf_members", "tf_history", "tf_edit"])
def test_task_force_pages_carry_a_strict_csp_and_no_inline_script(cast, client, tab):
    client.force_login(cast.alice)
    response = client.get(reverse(tab, args=[cast.tf.pk]))
    assert_strict(response)
    html = response.content.decode()
    # Only external scripts and JSON data islands: nothing the CSP would have to allow inline.
    import re

    for attrs in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    assert not re.search(r"\son[a-z]+=", html)


def test_login_error_pages_and_the_api_carry_it_too(db, client):
    assert_strict(client.get(reverse("login")))
    assert_strict(client.get("/no-such-page/"))
    assert_strict(client.get("/api/v1/taskforces"))


def test_the_api_docs_page_works_under_the_same_policy(cast, client):
    client.force_login(cast.admin)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert_strict(response)
    html = response.content.decode()
    assert "swagger-ui-init.js" in html  # ninja's initialiser is an external file, not inline script


def test_htmx_is_configured_not_to_inject_inline_styles_or_eval(cast, client):
    client.force_login(cast.alice)
    html = client.get(reverse("taskforce_list")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false' in html
    assert '"allowEval":false' in html


def test_no_template_carries_inline_script_style_or_event_handlers():
    """The CSP refuses them; a template that used one would silently lose it in the browser."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "zhuanban"
    offenders = []
    for path in root.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\sstyle=\"", r"<style[\s>]", r"<script>", r"<script\s(?![^>]*\b(src|type=\"application/json\")=?)",
                        r"\son[a-z]+=\"", r"javascript:"):
            for m in re.finditer(pattern, text):
                offenders.append(f"{path.relative_to(root)}:{text[:m.start()].count(chr(10)) + 1}: {m.group(0)!r}")
    assert not offenders, "inline script/style in templates (blocked by the CSP):\n" + "\n".join(offenders)
