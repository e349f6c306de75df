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
    assert client.get(url).status_code == 403  # a liaison sees the template but does not read the aggregate
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


def test_my_reports_costs_the_same_queries_for_more_templates(client, cast, template):
    day = timezone.localdate()

    def grow():
        for i in range(3):
            t = services.create_template(cast.olivia, cast.tf, {
                "name": f"日报{i}", "cadence": "daily", "every_day": True, "due_time": "23:59",
                "fields": [{"key": "n", "label": "件数", "kind": "integer"}]})
            sub = services.file_report(cast.liam, t, day, {"n": 1}, submit=True)
            services.return_submission(cast.olivia, sub, "请核对")
            services.remind_missing(cast.olivia, t, day)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    LAST: list = []

    def count() -> tuple[int, int]:
        # the page's own queries (the session's read and its activity stamp vary with the clock)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse("my_reports"))
        own = [q for q in ctx.captured_queries if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
        LAST[:] = own
        return len(own), len(r.context["items"])

    client.force_login(cast.liam)
    client.get(reverse("my_reports"))
    small, rows = count()
    grow()
    large, more = count()
    assert more == rows + 3 and small == large <= 10, (small, large, [q["sql"][:150] for q in LAST])
    body = client.get(reverse("my_reports")).content.decode()
    assert "请核对" in body and "日报2" in body


def test_the_aggregate_page_lists_the_missing_first_a_hundred_a_page(client, cast, template):
    from tests.factories import UnitFactory
    from zhuanban.taskforces import services as tf_services

    for i in range(120):
        tf_services.add_member_unit(cast.admin, cast.tf, unit=UnitFactory(name=f"测试单位{i:03}"),
                                    role="participating", joined_on=timezone.localdate())
    services.file_report(cast.liam, template, timezone.localdate(), {"cases": "3", "people": 1}, submit=True)
    client.force_login(cast.olivia)
    url = reverse("report_aggregate", args=[template.pk])
    r = client.get(url, {"period": today()})
    assert r.status_code == 200 and len(r.context["rows"]) == 100 and r.context["pages"] == 2
    assert "已报 1 / 应报 122" in r.content.decode()
    assert all(row["status"] == "missing" for row in r.context["rows"])
    last = client.get(url, {"period": today(), "page": "2"}).context["rows"]
    assert len(last) == 22 and last[-1]["status"] in ("on_time", "late")
    assert client.get(url, {"period": today(), "page": "x"}).context["page_no"] == 1
