"""The web import: /org/import (system administrators only), the background job and its progress page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory
from zhuanban.org.models import ImportJob, Person, Unit

pytestmark = pytest.mark.usefixtures("immediate_tasks", "media")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    def post(client, path):
        # The task is enqueued on commit; the test's transaction never commits, so run the callbacks.
        with open(path, "rb") as fh, django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("org_import"), {"file": SimpleUploadedFile("名录.xlsx", fh.read(), XLSX)})

    return post


def test_an_admin_uploads_a_workbook_and_the_job_completes(client, admin, directory, make_workbook, media,
                                                            upload):
    path = make_workbook([("B市水务局", "市水务局", "党政机关", "市政府", "110000")],
                         [("王海", "市水务局", "副局长", "行政编制", "", "是", "wanghai"),
                          ("刘洋", "B市水务局", "", "行政编制", "", "", "")])
    client.force_login(admin)

    response = upload(client, path)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("org_import_job", args=[job.pk])
    assert (job.status, job.processed, job.total, job.people_created) == ("done", 3, 3, 2)
    assert job.original_name == "名录.xlsx" and job.created_by == admin and job.channel == "web"
    assert Person.objects.get(name="王海").home_unit == Unit.objects.get(name="B市水务局")
    # The upload was stored under a random name and is removed once processed.
    assert job.file.name.startswith("imports/") and "名录" not in job.file.name
    assert not (media / job.file.name).exists()
    page = client.get(response.url)
    assert page.status_code == 200
    assert "导入成功：新增单位 1 个、人员 2 名" in page.content.decode()
    assert "hx-trigger" not in page.content.decode()  # finished: no more polling


def test_a_bad_workbook_shows_the_row_level_error_table(client, admin, directory, make_workbook, upload):
    path = make_workbook([], [("王海", "市水务局", "", "行政编制", "", "", "")])
    client.force_login(admin)

    response = upload(client, path)

    job = ImportJob.objects.get()
    assert job.status == "failed"
    html = client.get(response.url).content.decode()
    assert "未导入任何数据" in html
    assert "<td>人员</td>" in html and "<td>2</td>" in html and "<td>所在单位</td>" in html
    assert "找不到单位“市水务局”" in html
    assert not Person.objects.exists()


def test_a_running_job_polls_its_progress_every_second(client, admin):
    job = ImportJob.objects.create(original_name="a.xlsx", status="running", processed=5, total=20, created_by=admin)
    client.force_login(admin)

    fragment = client.get(reverse("org_import_progress", args=[job.pk])).content.decode()

    assert 'hx-trigger="every 1s"' in fragment
    assert f'hx-get="{reverse("org_import_progress", args=[job.pk])}"' in fragment
    assert 'aria-valuenow="25"' in fragment and "5 / 20" in fragment


def test_a_file_that_is_not_xlsx_is_refused_before_any_job(client, admin):
    client.force_login(admin)

    response = client.post(reverse("org_import"), {"file": SimpleUploadedFile("名录.xls", b"\xd0\xcf\x11\xe0")})

    assert response.status_code == 200
    assert "请上传 .xlsx 格式" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_page_offers_the_template(client, admin):
    client.force_login(admin)

    page = client.get(reverse("org_import"))
    template = client.get(reverse("org_import_template"))

    assert page.status_code == 200 and reverse("org_import_template") in page.content.decode()
    assert template.status_code == 200 and template["Content-Type"] == XLSX
    assert template.content[:2] == b"PK"


@pytest.mark.parametrize("who", ["plain", "unit_leader", "staff"])
def test_everyone_but_a_system_admin_gets_404(client, admin, directory, make_workbook, upload, who):
    job = ImportJob.objects.create(original_name="a.xlsx", status="done", created_by=admin)
    if who == "unit_leader":
        user = PersonFactory(home_unit=directory["gov"], is_unit_leader=True).user
    else:
        user = UserFactory(username=who, is_staff=(who == "staff"))
    client.force_login(user)
    path = make_workbook([("B市水务局", "", "党政机关", "", "")])

    assert client.get(reverse("org_import")).status_code == 404
    assert upload(client, path).status_code == 404
    assert client.get(reverse("org_import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("org_import_progress", args=[job.pk])).status_code == 404
    assert client.get(reverse("org_import_template")).status_code == 404
    assert not Unit.objects.filter(name="B市水务局").exists()
    assert ImportJob.objects.count() == 1


def test_an_unknown_job_is_404_for_an_admin_too(client, admin):
    client.force_login(admin)

    assert client.get(reverse("org_import_job", args=[999])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("org_import"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_job_that_could_not_be_enqueued_says_so(client, admin, directory, make_workbook, upload, monkeypatch):
    from zhuanban.org import views

    class BrokenTask:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue down")

    monkeypatch.setattr(views, "run_import_job", BrokenTask())
    client.force_login(admin)

    upload(client, make_workbook([("B市水务局", "", "党政机关", "", "")]))

    job = ImportJob.objects.get()
    assert job.status == "failed" and "无法提交后台任务" in job.message


def test_a_job_runs_once_even_if_enqueued_twice(admin, directory, make_workbook, media):
    from django.core.files import File

    from zhuanban.org.tasks import run_import_job

    job = ImportJob(original_name="a.xlsx", created_by=admin)
    with open(make_workbook([("B市水务局", "", "党政机关", "", "")]), "rb") as fh:
        job.file.save("a.xlsx", File(fh), save=False)
    job.save()

    first = run_import_job.call(job.pk)
    second = run_import_job.call(job.pk)

    assert first["ok"] and second == {"job": job.pk, "skipped": True}
    assert Unit.objects.filter(name="B市水务局").count() == 1
