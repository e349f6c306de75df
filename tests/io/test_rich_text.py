"""Rich text: nh3 on the way in, markdown rendered safely on the way out, never a live script."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_taskforce
from zhuanban.core.text import render_markdown, sanitize_html, sanitize_rich_text
from zhuanban.taskforces import services


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]


def assert_inert(out: str) -> None:
    """What a browser would parse out of ``out``: no script-capable tag, handler, style or js: URL."""
    p = _Collect()
    p.feed(out)
    p.close()
    assert not set(p.tags) & {"script", "style", "iframe", "object", "embed", "svg", "math", "img", "form"}, out
    for _tag, name, value in p.attrs:
        assert not name.startswith("on"), out
        assert name != "style", out
        if name in ("href", "src", "action", "formaction"):
            assert not value.strip().lower().replace("\x00", "").startswith(("javascript:", "vbscript:", "data:")), out
    assert "<script" not in out.lower()


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<p style="position:fixed" onclick="x()">p</p>',
    "<iframe src=//evil></iframe>",
    "[x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![i](javascript:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="https://ok.example/" onmouseover="x">ok</a>',
]


@pytest.mark.parametrize("payload", XSS)
def test_sanitize_html_leaves_nothing_that_runs(payload):
    assert_inert(sanitize_html(payload))


@pytest.mark.parametrize("payload", XSS)
def test_markdown_rendering_of_hostile_text_is_inert(payload):
    assert_inert(render_markdown(payload))
    assert_inert(render_markdown(sanitize_rich_text(payload)))


def test_the_allow_list_keeps_what_minutes_and_plans_need():
    out = sanitize_html('<h3>议程</h3><p><strong>一</strong><em>二</em><br></p><ul><li>a</li></ul><ol><li>b</li></ol>'
                        '<table><thead><tr><th>项</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
                        '<a href="https://gov.example/">链接</a>')
    for tag in ("<h3>", "<strong>", "<em>", "<br>", "<ul>", "<ol>", "<li>", "<table>", "<th>", "<td>"):
        assert tag in out
    assert '<a href="https://gov.example/" rel="noopener noreferrer">' in out


def test_links_get_noopener_and_only_safe_schemes():
    assert 'rel="noopener noreferrer"' in sanitize_html('<a href="/tf/1/">x</a>')
    assert "href" not in sanitize_html('<a href="vbscript:x">x</a>')


def test_markdown_renders_emphasis_lists_tables_and_demotes_headings():
    out = render_markdown("# 标题\n\n**加粗** 与 *强调*\n\n- 一\n- 二\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h3>标题</h3>" in out and "<strong>加粗</strong>" in out and "<em>强调</em>" in out
    assert "<li>一</li>" in out and "<td>1</td>" in out and "<h1>" not in out


def test_stored_text_keeps_ordinary_characters_as_typed():
    assert sanitize_rich_text("收入 < 支出 & R&D > 0") == "收入 < 支出 & R&D > 0"
    assert sanitize_rich_text("**重点**：完成 3 项") == "**重点**：完成 3 项"
    assert sanitize_rich_text("说明<script>alert(1)</script>") == "说明"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("<>/=\"' &#;:()[]!-*|\nabcjsvrptnoeil") + [
    "<script", "</script>", "javascript:", "onerror=", "onload=", "<a href=", "<img src=x ", "<svg ",
    "style=", "&#x09;", "&lt;", "data:", "](", "<iframe", "<p ", "\x00", "JaVa", "ScRipt:",
]), max_size=40).map("".join))
def test_fuzz_sanitiser_output_never_contains_a_script_handler_or_js_url(text):
    assert_inert(sanitize_html(text))
    assert_inert(render_markdown(text))
    stored = sanitize_rich_text(text)
    assert_inert(render_markdown(stored))
    assert sanitize_rich_text(stored) == stored  # idempotent: saving again changes nothing


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_fuzz_arbitrary_unicode_is_inert_after_sanitising(text):
    assert_inert(sanitize_html(text))
    assert_inert(render_markdown(text))


# ---- the services sanitise on the way in -----------------------------------------------------------


def test_create_and_update_store_rich_text_without_script(cast):
    tf = make_taskforce(cast.admin, name="富文本专班", core_matter="核心<script>alert(1)</script>事务",
                       goals='目标<img src=x onerror=alert(1)>')
    tf.refresh_from_db()
    assert tf.core_matter == "核心事务" and tf.goals == "目标"
    services.update_taskforce(cast.admin, tf, version=tf.version,
                              dissolution_conditions='[点我](javascript:alert(1)) <b onclick="x">完成</b>')
    tf.refresh_from_db()
    assert "onclick" not in tf.dissolution_conditions and "<b>完成</b>" in tf.dissolution_conditions


def test_the_task_force_page_renders_the_fields_as_markdown(cast, client):
    tf = cast.tf
    services.update_taskforce(cast.admin, tf, version=tf.version, goals="**全年** 完成\n\n- 立法调研\n- 草案起草",
                              core_matter="起草 [条例](https://gov.example/) <script>alert(1)</script>")
    client.force_login(cast.alice)
    page = client.get(reverse("tf_detail", args=[tf.pk])).content.decode()
    assert "<strong>全年</strong>" in page and "<li>立法调研</li>" in page
    assert '<a href="https://gov.example/" rel="noopener noreferrer">条例</a>' in page
    assert "alert(1)" not in page
