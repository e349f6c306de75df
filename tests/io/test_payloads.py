"""SQL, HTML and script payloads in every text field of the main forms and the API come back inert:
the database holds them as text (plain fields verbatim, rich-text fields sanitised) and every page that
shows them escapes them."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.api.conftest import Api
from tests.web.test_taskforce_edit import edit_data
from tests.web.test_wizard import STEP1, STEP2, STEP3, step
from zhuanban.core.text import sanitize_rich_text
from zhuanban.taskforces.models import DemandItem, Membership, MembershipChange, Target, TaskForce, ThemeGroup
from zhuanban.taskforces.services import RICH_TEXT_FIELDS

PAYLOADS = {
    "script": "<script>alert('zb')</script>",
    "img": "<img src=x onerror=alert(1)>",
    "attr": "\" onmouseover=\"alert(1)\" x=\"",
    "sql": "'; DROP TABLE taskforces_taskforce; --",
    "sql_union": "1' OR '1'='1' UNION SELECT password FROM org_user --",
    "template": "{{ request.user.password }}{% debug %}",
    "js_url": "[点我](javascript:alert(1))",
}
class _Page(HTMLParser):
    """What a browser would build from the page: attributes, and the text of every script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str, str]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._in_script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        if tag == "script":
            self._in_script = {k: v or "" for k, v in attrs}
            self.scripts.append((self._in_script, ""))
        if tag == "img" and any(k == "src" and v == "x" for k, v in attrs):
            self.attrs.append((tag, "injected-img", ""))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def assert_inert_page(html: str) -> None:
    """No payload became markup: no event handler, no injected element, no script but our own files
    and JSON data islands, no javascript: link."""
    page = _Page()
    page.feed(html)
    for tag, name, value in page.attrs:
        assert not name.startswith("on"), (tag, name, value)
        assert name != "injected-img", tag
        if name in ("href", "src", "action"):
            assert not value.strip().lower().startswith("javascript:"), (tag, name, value)
    for attrs, text in page.scripts:
        assert "src" in attrs or attrs.get("type") == "application/json", attrs
        assert "alert(" not in text or attrs.get("type") == "application/json", text


def expected_stored(field: str, payload: str) -> str:
    return sanitize_rich_text(payload) if field in RICH_TEXT_FIELDS else payload


TF_TEXT = ["name", "core_matter", "goals", "basis_note", "dissolution_conditions", "leading_body",
           "basis_document_no"]


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_the_edit_form_stores_payloads_as_text_and_pages_escape_them(cast, client, kind):
    payload = PAYLOADS[kind]
    client.force_login(cast.alice)
    values = {f: f"{f}{payload}" for f in TF_TEXT}
    response = client.post(reverse("tf_edit", args=[cast.tf.pk]), edit_data(cast.tf, **values))
    assert response.status_code == 302, response.content.decode()[:500]
    tf = TaskForce.objects.get(pk=cast.tf.pk)
    for f in TF_TEXT:
        assert getattr(tf, f) == expected_stored(f, values[f]), f
    assert TaskForce.objects.count() == 2  # nothing dropped, nothing injected
    for name in ("tf_detail", "tf_structure", "tf_history", "tf_edit", "taskforce_list"):
        url = reverse(name, args=[tf.pk]) if name != "taskforce_list" else reverse(name)
        page = client.get(url)
        assert page.status_code == 200
        assert_inert_page(page.content.decode())


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_the_wizard_stores_payloads_as_text(cast, client, kind):
    payload = PAYLOADS[kind]
    client.force_login(cast.alice)
    name = f"专班{payload}"[:120]
    data = {**STEP1, "name": name, "core_matter": f"核心{payload}", "goals": payload, "basis_note": payload[:200],
            "dissolution_conditions": f"条件{payload}"}
    assert client.post(step(1), data).status_code == 302
    assert_inert_page(client.get(step(2)).content.decode())
    assert client.post(step(2), STEP2).status_code == 302
    response = client.post(step(3), {**STEP3, "groups": f"组{payload}", "lead_unit": cast.units.gov.pk})
    assert response.status_code == 302
    tf = TaskForce.objects.get(name=name)
    assert tf.basis_note == payload[:200] and tf.core_matter == sanitize_rich_text(f"核心{payload}")
    assert ThemeGroup.objects.filter(taskforce=tf, name=f"组{payload}").exists()
    for url in (reverse("tf_detail", args=[tf.pk]), reverse("tf_structure", args=[tf.pk]), response["Location"]):
        assert_inert_page(client.get(url).content.decode())


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_membership_forms_store_payloads_as_text(cast, client, kind):
    payload = PAYLOADS[kind]
    client.force_login(cast.alice)
    tf = cast.tf
    m = Membership.objects.get(taskforce=tf, person=cast.people.bob)
    posts = [
        (reverse("tf_group_add", args=[tf.pk]), {"name": f"组{payload}"[:100]}),
        (reverse("tf_demand_add", args=[tf.pk]), {"title": f"需求{payload}", "source": payload[:120]}),
        (reverse("tf_target_add", args=[tf.pk]), {"description": f"目标{payload}", "metric": payload[:80]}),
        (reverse("tf_member_exit", args=[tf.pk, m.pk]), {"decided_by": payload[:120], "reason": f"退出{payload}"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.status_code)
    assert ThemeGroup.objects.filter(name=f"组{payload}"[:100]).exists()
    assert DemandItem.objects.filter(title=f"需求{payload}", source=payload[:120]).exists()
    assert Target.objects.filter(description=f"目标{payload}", metric=payload[:80]).exists()
    assert MembershipChange.objects.filter(reason=f"退出{payload}", decided_by=payload[:120]).exists()
    for name in ("tf_detail", "tf_members", "tf_structure", "tf_history"):
        assert_inert_page(client.get(reverse(name, args=[tf.pk])).content.decode())


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_the_api_stores_payloads_as_text_and_returns_them_as_json_strings(cast, client, kind):
    payload = PAYLOADS[kind]
    api = Api(cast.alice)
    tf = cast.tf
    response = api.patch(f"/taskforces/{tf.pk}", {"version": tf.version, "name": f"名{payload}"[:120],
                                                  "goals": payload, "basis_note": payload[:200]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == f"名{payload}"[:120] and body["goals"] == sanitize_rich_text(payload)
    assert response["Content-Type"].startswith("application/json")
    assert api.post(f"/taskforces/{tf.pk}/demands", {"title": payload, "source": payload[:120]}).status_code == 201
    assert api.post(f"/taskforces/{tf.pk}/groups", {"name": payload[:100]}).status_code == 201
    listed = api.get("/taskforces", {"q": payload})
    assert listed.status_code == 200  # a search for the payload is a parameter, not SQL
    assert TaskForce.objects.filter(pk=tf.pk, name=f"名{payload}"[:120]).exists()
    client.force_login(cast.alice)
    for name in ("tf_detail", "tf_structure"):
        assert_inert_page(client.get(reverse(name, args=[tf.pk])).content.decode())


@pytest.mark.parametrize("kind", ["sql", "sql_union", "script"])
def test_search_filters_treat_payloads_as_values(cast, client, kind):
    client.force_login(cast.alice)
    for url in (reverse("taskforce_list"), reverse("directory_units"), reverse("directory_people")):
        response = client.get(url, {"q": PAYLOADS[kind], "region": PAYLOADS[kind], "unit": PAYLOADS[kind]})
        assert response.status_code == 200
        assert_inert_page(response.content.decode())
