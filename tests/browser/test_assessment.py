"""考核评价 in a real browser: the office builds a scheme in the builder (the level sum turns red at 90 and
green at 100), names an evaluator and sends the forms; the evaluator scores on a phone (an out-of-bounds
score is refused next to the field); the result page shows the breakdown and the chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from zhuanban.assessment.models import Scheme, Score

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _immediate(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def test_office_builds_evaluator_scores_result_shows_breakdown(page, phone, cast, shot):
    login(page, "olivia", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/")
    page.get_by_test_id("tab-assessment").click()
    page.get_by_test_id("scheme-new").click()
    page.get_by_label("方案名称").fill("2026年度专班成员考核")
    tree = page.get_by_test_id("tree")
    child = tree.locator("[data-path='indicators[0].children[1]']")
    level = tree.locator("[data-level='indicators[0].children']")
    expect(level).to_contain_text("100 / 100")
    child.get_by_label("权重").first.fill("40")
    expect(level).to_contain_text("本级权重合计 90 / 100")
    expect(level).to_have_class("small fw-semibold text-danger")
    shot(page, "assessment-builder-sum-90")
    page.get_by_test_id("scheme-save").click()  # the server refuses it and names the level
    expect(page.get_by_test_id("builder-errors")).to_contain_text("indicators[0].children")
    expect(page.get_by_test_id("level-error")).to_contain_text("现为 90")
    tree.locator("[data-path='indicators[0].children[1]']").get_by_label("权重").first.fill("50")
    expect(tree.locator("[data-level='indicators[0].children']")).to_have_class("small fw-semibold text-success")
    expect(page.get_by_test_id("ew-sum")).to_contain_text("合计 100 / 100")
    shot(page, "assessment-builder")
    page.get_by_test_id("scheme-save").click()
    expect(page.get_by_test_id("scheme-title")).to_contain_text("2026年度专班成员考核")

    form = page.get_by_test_id("evaluator-form")
    form.get_by_label("评价主体类型").select_option("internal")
    form.get_by_label("评价人").select_option(label="李成员（成员）")
    page.get_by_test_id("add-evaluators").click()
    expect(page.get_by_test_id("evaluators")).to_contain_text("李成员")
    page.get_by_test_id("send-forms").click()
    expect(page.locator(".alert").first).to_contain_text("评价表已发送给 1 人")
    scheme = Scheme.objects.get()

    login(phone, "bob", cast.password)
    phone.goto("/inbox/")
    expect(phone.get_by_test_id("inbox-item").filter(has_text="考核评价表")).to_be_visible()
    phone.get_by_test_id("nav-assessment").click() if phone.get_by_test_id("nav-assessment").is_visible() else phone.goto("/assessment/")
    phone.get_by_test_id("open-form").click()
    phone.locator(f"[data-subject='p{cast.people.liam.pk}']").click()
    phone.get_by_label("工作实绩 / 工作成效").fill("120")
    phone.get_by_label("工作作风").fill("90")
    phone.get_by_test_id("score-submit").click()
    expect(phone.get_by_test_id("score-error")).to_contain_text("0–100")
    expect(phone.get_by_label("工作作风")).to_have_value("90")
    phone.get_by_label("工作实绩 / 工作成效").fill("80")
    phone.get_by_test_id("score-submit").click()
    expect(phone.locator(f"[data-subject='p{cast.people.liam.pk}']")).to_contain_text("✓")
    shot(phone, "assessment-score-phone")
    assert Score.objects.get(scheme=scheme).values.values() is not None

    page.goto(f"/assessment/schemes/{scheme.pk}/results/?subject=p{cast.people.liam.pk}")
    breakdown = page.get_by_test_id("breakdown")
    # 任务按期完成率 (30): no finished task → full marks; 工作成效 30 × 0.8 = 24; 工作作风 40 × 0.9 = 36 → 90
    expect(breakdown).to_contain_text("领导评价（1人）")
    expect(breakdown).to_contain_text("24.00 / 30")
    expect(page.get_by_test_id("ranking").locator(f"tr[data-subject='p{cast.people.liam.pk}'] [data-testid=total]"))\
        .to_have_text("90.00")
    expect(page.get_by_test_id("chart").locator("canvas")).to_have_count(1)
    expect(page.get_by_test_id("ranking")).not_to_contain_text("李成员（")  # never who scored
    shot(page, "assessment-results")
