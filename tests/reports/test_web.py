"""The reporting pages through the Django test client: tab, define, aggregate, fill, remind, return, my reports,
export job, overview card."""

from __future__ import annotations

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.querycount import assert_constant_queries  # noqa: F401
from zhuanban.reports import services
from zhuanban.reports.models import ReportReminder, ReportTemplate, Submission


def today() -> str:
    return timezone.localdate().isoformat()


def login(client, user):
    client.force_login(user)
    return client


def test_define_a_template_from_the_tab(client, cast):
    c = login(client, cast.olivia)
    assert c.get(reverse("tf_reports", args=[cast.tf.pk])).status_code == 200
    r = c.post(reverse("report_template_new", args=[cast.tf.pk]), {
        "name": "每日报", "cadence": "daily", "due_time": "17:00", "grace_workdays": "1", "every_day": "on",
        "duplicate_policy": "update", "f0_label": "件数", "f0_key": "cases", "f0_kind": "number",
        "f0_required": "on", "f0_min": "0", "f1_label": "等级", "f1_key": "lvl", "f1_kind": "choice",
        "f1_options": "低，高"})
    t = ReportTemplate.objects.get()
    assert r.status_code == 302 and [f.key for f in t.fields.all()] == ["cases", "lvl"]
    assert t.fields.get(key="lvl").options == ["低", "高"]
    r = c.post(reverse("report_template_new", args=[cast.tf.pk]), {"name": "", "f0_label": "x", "f0_kind": "choice"})
    assert r.status_code == 422
    login(client, cast.liam)
    assert client.get(reverse("report_template_new", args=[cast.tf.pk])).status_code == 403


def test_fill_errors_next_to_the_field_and_draft_kept(client, cast, template):
    c = login(client, cast.liam)
    url = reverse("report_fill", args=[template.pk])
    r = c.get(url)
    assert r.status_code == 200 and "系统预填" in r.content.decode()
    r = c.post(url, {"period": today(), "cases": "abc", "people": "2", "action": "submit"})
    assert r.status_code == 422 and "请输入数字" in r.content.decode()
    r = c.post(url, {"period": today(), "cases": "", "people": "2", "note": "草稿内容", "action": "submit"})
    assert r.status_code == 422 and "此项为必填项" in r.content.decode() and "草稿内容" in r.content.decode()
    assert Submission.objects.get().status == "draft"
    r = c.post(url, {"period": today(), "cases": "5", "people": "2", "action": "submit",
                     "version": Submission.objects.get().version})
    assert r.status_code == 302 and Submission.objects.get().status == "submitted"


def test_aggregate_remind_return_and_my_reports(client, cast, template):
    services.file_report(cast.liam, template, timezone.localdate(), {"cases": "3", "people": 1}, submit=True)
    c = login(client, cast.olivia)
    url = reverse("report_aggregate", args=[template.pk])
    r = c.get(url, {"period": today()})
    body = r.content.decode()
    assert r.status_code == 200 and "已报 1 / 应报 2" in body and "市政府办公厅" in body
    c.post(reverse("report_remind", args=[template.pk]), {"period": today()})
    assert ReportReminder.objects.count() == 1
    sub = Submission.objects.get()
    c.post(reverse("report_submission_return", args=[sub.pk]), {"comment": "数字不对"})
    sub.refresh_from_db()
    assert sub.status == "returned"
    login(client, cast.liam)
    body = client.get(reverse("my_reports")).content.decode()
    assert "数字不对" in body and template.name in body
    assert client.get(url).status_code == 404  # a liaison does not read the aggregate
    login(client, cast.charlie)
    assert client.get(reverse("report_fill", args=[template.pk])).status_code == 404


def test_export_job_page_and_download(client, cast, template, immediate_tasks, django_capture_on_commit_callbacks):
    c = login(client, cast.olivia)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("report_export", args=[template.pk]), {"from": today(), "to": today()})
    assert r.status_code == 302
    page = c.get(r.url).content.decode()
    assert "下载" in page
    job_id = int(r.url.rstrip("/").split("/")[-1])
    data = c.get(reverse("report_export_download", args=[job_id]))
    wb = load_workbook(io.BytesIO(b"".join(data.streaming_content)))
    assert wb.active.max_row == 3
    assert c.get(reverse("report_export_progress", args=[job_id])).status_code == 200


def test_overview_card(client, cast, template):
    c = login(client, cast.olivia)
    body = c.get(reverse("tf_detail", args=[cast.tf.pk])).content.decode()
    assert "今日报送" in body and "已报 0 / 应报 2" in body
