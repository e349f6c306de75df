"""The per-home-unit export (.xlsx and .docx) as a background job with progress, read back with openpyxl
and python-docx; formula injection neutralised; only the creator (or an administrator) reads the job."""

from __future__ import annotations

import io

from django.db import transaction
from docx import Document
from openpyxl import load_workbook

from tests.api.conftest import error
from zhuanban.assessment import services
from zhuanban.assessment.models import ExportJob


def _scores(cast, scheme):
    bob, liam = f"p{cast.people.bob.pk}", f"p{cast.people.liam.pk}"
    services.submit_score(cast.alice, scheme, bob, {"a1": 90, "a2": 8, "b": 80})
    services.submit_score(cast.alice, scheme, liam, {"a1": 60, "a2": 5, "b": 70})
    services.add_mark(cast.olivia, scheme, subject_key=bob, kind="award", title="=揭榜挂帅一等奖", points=3)


def test_xlsx_for_one_home_unit(cast, scheme, aapi):
    _scores(cast, scheme)
    office = aapi(cast.olivia)
    r = office.post(f"/assessment/schemes/{scheme.pk}/exports?sync=1", {"unit": cast.units.zjw.pk, "fmt": "xlsx"})
    assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["percent"] == 100, r.content
    got = office.client.get(r.json()["download"])
    ws = load_workbook(io.BytesIO(b"".join(got.streaming_content))).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    header, data = rows[0], rows[1:]
    assert header[:5] == ["排名", "考核对象", "派出单位", "身份", "总分"]
    # 市住建委 dispatched liam and bob only (alice and olivia come from 市政府办公厅)
    assert [(d[1], d[2]) for d in data] == [("李成员", "市住建委"), ("陈联络", "市住建委")]
    # bob: 30×0.9 + 30×0.8 + 40×0.8 = 83 (internal only) + 3 award
    assert data[0][4] == 86 and data[0][header.index("揭榜挂帅奖励")] == "'=揭榜挂帅一等奖"
    assert data[0][header.index("领导评价得分")] == 83


def test_docx_in_the_background_with_progress(cast, scheme, aapi, django_capture_on_commit_callbacks):
    _scores(cast, scheme)
    office = aapi(cast.olivia)
    with django_capture_on_commit_callbacks(execute=True):
        r = office.post(f"/assessment/schemes/{scheme.pk}/exports", {"fmt": "docx"})
    assert r.status_code == 202 and r.json()["status"] == "queued"
    job = office.get(f"/assessment/exports/{r.json()['id']}").json()
    assert job["status"] == "done" and job["total"] == 4 and job["processed"] == 4
    doc = Document(io.BytesIO(b"".join(office.client.get(job["download"]).streaming_content)))
    assert "全部派出单位" in doc.paragraphs[0].text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:5] == ["排名", "考核对象", "派出单位", "身份", "总分"]
    assert len(table.rows) == 5 and table.rows[1].cells[1].text == "李成员"
    error(aapi(cast.alice).get(f"/assessment/exports/{job['id']}"), 404, "not_found")


def test_export_refused_to_viewers(cast, scheme, aapi):
    error(aapi(cast.bob).post(f"/assessment/schemes/{scheme.pk}/exports", {"fmt": "xlsx"}), 403, "forbidden")
    error(aapi(cast.olivia).post(f"/assessment/schemes/{scheme.pk}/exports", {"fmt": "pdf"}), 422, "invalid_export")
    with transaction.atomic():
        assert not ExportJob.objects.exists()
