"""The pages through the test client: the overview, the tab, the builder (errors next to the level, input
kept), the scheme page actions, the evaluator's form (422 next to the field, non-evaluator 404), results."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zhuanban.assessment.models import Evaluator, ExportJob, Mark, Scheme, Score

from .conftest import TREE


def client(cast, user):
    c = Client()
    c.login(username=user.username, password=cast.password)
    return c


def test_overview_and_tab(cast, scheme):
    r = client(cast, cast.bob).get("/assessment/")
    assert r.status_code == 200 and scheme.name in r.content.decode()
    assert 'data-testid="nav-assessment"' in r.content.decode()
    r = client(cast, cast.olivia).get(f"/tf/{cast.tf.pk}/assessment/")
    assert r.status_code == 200 and "新建考核方案" in r.content.decode()
    assert client(cast, cast.charlie).get(f"/tf/{cast.tf.pk}/assessment/").status_code == 404


def _post(cast, tree, **kw):
    data = {"name": "2026年度考核", "period_start": "2026-01-01", "period_end": "2026-12-31",
            "subject_kind": "person", "track": "all", "duplicate_policy": "replace", "anonymous": "on",
            "indicators": json.dumps(tree), "ew_internal": "50", "ew_expert": "30", "ew_self": "20", **kw}
    return client(cast, cast.olivia).post(f"/tf/{cast.tf.pk}/assessment/new/", data)


def test_builder_shows_the_level_error_and_keeps_input(cast):
    assert client(cast, cast.olivia).get(f"/tf/{cast.tf.pk}/assessment/new/").status_code == 200
    bad = json.loads(json.dumps(TREE))
    bad[0]["children"][1]["weight"] = 30
    r = _post(cast, bad)
    body = r.content.decode()
    assert r.status_code == 422 and "indicators[0].children" in body and "现为 80" in body
    assert "2026年度考核" in body and "&quot;weight&quot;: 30" in body  # the input is kept
    assert not Scheme.objects.exists()
    r = _post(cast, TREE)
    assert r.status_code == 302
    assert client(cast, cast.bob).get(f"/tf/{cast.tf.pk}/assessment/new/").status_code == 403


def test_scheme_page_actions(cast, scheme, django_capture_on_commit_callbacks):
    office = client(cast, cast.olivia)
    assert office.get(f"/assessment/schemes/{scheme.pk}/").status_code == 200
    r = office.post(f"/assessment/schemes/{scheme.pk}/evaluators/", {"kind": "expert", "people": [cast.people.bob.pk]})
    assert r.status_code == 302 and Evaluator.objects.filter(scheme=scheme, kind="expert").count() == 2
    office.post(f"/assessment/schemes/{scheme.pk}/marks/", {"subject": f"p{cast.people.bob.pk}", "kind": "award",
                                                             "title": "揭榜挂帅", "points": "2"})
    assert Mark.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        office.post(f"/assessment/schemes/{scheme.pk}/forms/")
        office.post(f"/assessment/schemes/{scheme.pk}/export/", {"fmt": "xlsx", "unit": ""})
    job = ExportJob.objects.get()
    assert job.status == "done"
    assert "下载" in office.get(f"/assessment/exports/{job.pk}/").content.decode()
    assert office.get(f"/assessment/exports/{job.pk}/download/").status_code == 200
    assert client(cast, cast.alice).get(f"/assessment/exports/{job.pk}/").status_code == 404
    assert client(cast, cast.bob).get(f"/assessment/schemes/{scheme.pk}/").status_code == 403
    assert office.get(f"/assessment/schemes/{scheme.pk}/edit/").status_code == 200


def test_evaluator_form(cast, scheme):
    alice = client(cast, cast.alice)
    bob_key = f"p{cast.people.bob.pk}"
    r = alice.get(f"/assessment/schemes/{scheme.pk}/score/?subject={bob_key}")
    assert r.status_code == 200 and 'name="v_a1"' in r.content.decode()
    r = alice.post(f"/assessment/schemes/{scheme.pk}/score/", {"subject": bob_key, "v_a1": "90", "v_a2": "12",
                                                                "v_b": "80"})
    body = r.content.decode()
    assert r.status_code == 422 and "0–10" in body and 'value="90"' in body
    r = alice.post(f"/assessment/schemes/{scheme.pk}/score/", {"subject": bob_key, "v_a1": "90", "v_a2": "8",
                                                                "v_b": "80"})
    assert r.status_code == 302 and Score.objects.get().values == {"a1": 90.0, "a2": 8.0, "b": 80.0}
    assert client(cast, cast.charlie).get(f"/assessment/schemes/{scheme.pk}/score/").status_code == 404
    assert client(cast, cast.hank).get(f"/assessment/schemes/{scheme.pk}/score/").status_code == 404


@pytest.mark.parametrize("user", ["olivia", "alice"])
def test_results_page(cast, scheme, user):
    from zhuanban.assessment import services

    services.submit_score(cast.alice, scheme, f"p{cast.people.bob.pk}", {"a1": 90, "a2": 8, "b": 80})
    r = client(cast, getattr(cast, user)).get(f"/assessment/schemes/{scheme.pk}/results/")
    body = r.content.decode()
    assert r.status_code == 200 and "得分构成" in body and "assessment-chart-data" in body
    assert "83.00" in body  # 30×0.9 + 30×0.8 + 40×0.8
    assert client(cast, cast.bob).get(f"/assessment/schemes/{scheme.pk}/results/").status_code == 403
