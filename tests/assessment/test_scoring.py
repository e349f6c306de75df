"""Evaluator weighting, awards and the negative list, the bad inputs of scoring, replacement with history,
409 when configured, idempotency and anonymity — through HTTP (/api/v1/assessment/...)."""

from __future__ import annotations

import pytest

from tests.api.conftest import error
from zhuanban.assessment import services
from zhuanban.assessment.models import Score, ScoreHistory

from .conftest import make_scheme


def score(aapi, user, scheme, subject, a1, a2, b, **kw):
    return aapi(user).post("/assessment/evaluations", {"scheme": scheme.pk, "subject": subject,
                                                       "values": {"a1": a1, "a2": a2, "b": b}, **kw})


def result_of(aapi, cast, scheme, subject, **params):
    r = aapi(cast.olivia).get("/assessment/results", {"scheme": scheme.pk, **params})
    assert r.status_code == 200, r.content
    return next(i for i in r.json()["items"] if i["subject"] == subject), r.json()


@pytest.fixture
def scored(cast, scheme, aapi):
    bob = f"p{cast.people.bob.pk}"
    for user, vals in ((cast.alice, (90, 8, 80)), (cast.olivia, (70, 6, 60)), (cast.liam, (80, 9, 100)),
                       (cast.bob, (100, 10, 100))):
        kw = {"kind": "expert"} if user == cast.liam else {}
        assert score(aapi, user, scheme, bob, *vals, **kw).status_code == 201
    return bob


class TestWeighting:
    def test_hand_computed_total_and_points_per_evaluator_type(self, cast, scheme, aapi, scored):
        # Shares: 工作作风 30, 工作实绩 30, 群众满意度 40.  Internal = mean of alice and olivia.
        # 工作作风: 30 × (0.5×0.8 + 0.3×0.8 + 0.2×1.0) = 25.2
        # 工作实绩: 30 × (0.5×0.7 + 0.3×0.9 + 0.2×1.0) = 24.6
        # 群众满意度: 40 × (0.5×0.7 + 0.3×1.0 + 0.2×1.0) = 34.0     → 83.8
        item, body = result_of(aapi, cast, scheme, scored)
        assert item["total"] == 83.8
        assert item["by_source"] == {"internal": 36.5, "expert": 27.3, "self": 20.0}
        rows = {(r["indicator"], r["source"]): r for r in item["breakdown"]}
        assert rows[("a2", "internal")]["points"] == 10.5 and rows[("a2", "internal")]["count"] == 2
        assert rows[("a2", "internal")]["raw"] == 7.0  # mean score out of 10
        assert rows[("a1", "expert")]["share"] == 9.0
        assert item["rank"] == 1 and body["anonymous"] is True

    def test_a_type_that_did_not_score_neither_helps_nor_hurts(self, cast, scheme, aapi):
        liam = f"p{cast.people.liam.pk}"
        assert score(aapi, cast.alice, scheme, liam, 50, 5, 50).status_code == 201
        item, _ = result_of(aapi, cast, scheme, liam)
        assert item["total"] == 50.0 and item["by_source"] == {"internal": 50.0}

    def test_unscored_subject_gets_zero_and_is_flagged(self, cast, scheme, aapi, scored):
        item, body = result_of(aapi, cast, scheme, f"p{cast.people.alice.pk}")
        assert item["total"] == 0 and item["unscored"] == ["a1", "a2", "b"]
        assert item["rank"] == 2 and body["count"] == 4  # the three unscored share the second place

    def test_awards_add_negative_list_subtracts(self, cast, scheme, aapi, scored):
        office = aapi(cast.olivia)
        r = office.post(f"/assessment/schemes/{scheme.pk}/marks",
                        {"subject": scored, "kind": "award", "title": "揭榜挂帅：物业纠纷调解机制", "points": 5})
        assert r.status_code == 201, r.content
        office.post(f"/assessment/schemes/{scheme.pk}/marks",
                    {"subject": scored, "kind": "negative", "title": "逾期未报送被通报", "points": 2})
        item, _ = result_of(aapi, cast, scheme, scored)
        assert item["total"] == 86.8 and item["base"] == 83.8 and item["bonus"] == 3.0
        assert [m["kind"] for m in item["marks"]] == ["award", "negative"]

    def test_result_never_names_who_scored(self, cast, scheme, aapi, scored):
        r = aapi(cast.olivia).get("/assessment/results", {"scheme": scheme.pk})
        text = r.content.decode()
        for name in ("王组长", "刘主任", "陈联络"):
            assert name not in text


class TestBadInput:
    def test_score_out_of_bounds_is_422_naming_the_indicator(self, cast, scheme, aapi):
        bob = f"p{cast.people.bob.pk}"
        body = error(score(aapi, cast.alice, scheme, bob, 90, 11, 80), 422, "invalid_score")
        assert "values.a2" in body["fields"] and "0–10" in body["fields"]["values.a2"]
        body = error(score(aapi, cast.alice, scheme, bob, -1, 5, 80), 422, "invalid_score")
        assert "values.a1" in body["fields"]
        body = error(aapi(cast.alice).post("/assessment/evaluations", {
            "scheme": scheme.pk, "subject": bob, "values": {"a1": 1, "a2": 1}}), 422, "invalid_score")
        assert "values.b" in body["fields"]
        body = error(aapi(cast.alice).post("/assessment/evaluations", {
            "scheme": scheme.pk, "subject": bob, "values": {"a1": 1, "a2": 1, "b": 1, "zz": 3}}), 422,
            "invalid_score")
        assert "values.zz" in body["fields"]
        assert not Score.objects.exists()

    def test_non_evaluator_gets_404(self, cast, scheme, aapi):
        bob = f"p{cast.people.bob.pk}"
        for user in (cast.charlie, cast.hank, cast.erin, cast.admin):
            error(score(aapi, user, scheme, bob, 90, 8, 80), 404, "not_found")
        # bob is a self evaluator: of himself only
        error(score(aapi, cast.bob, scheme, f"p{cast.people.liam.pk}", 90, 8, 80), 404, "not_found")
        # a leader scores the others, not herself (only a self-assessment does)
        error(score(aapi, cast.alice, scheme, f"p{cast.people.alice.pk}", 90, 8, 80), 404, "not_found")
        # an unknown subject, an unknown scheme
        error(score(aapi, cast.alice, scheme, "p999999", 90, 8, 80), 404, "not_found")
        error(aapi(cast.alice).post("/assessment/evaluations", {"scheme": 999999, "subject": bob,
                                                                "values": {}}), 404, "not_found")

    def test_scoring_twice_replaces_with_history(self, cast, scheme, aapi):
        bob = f"p{cast.people.bob.pk}"
        first = score(aapi, cast.alice, scheme, bob, 90, 8, 80).json()
        r = score(aapi, cast.alice, scheme, bob, 60, 6, 60)
        assert r.status_code == 200 and r.json()["replaced"] == 1 and r.json()["version"] == first["version"] + 1
        (old,) = ScoreHistory.objects.all()
        assert old.values == {"a1": 90, "a2": 8, "b": 80}
        assert Score.objects.get().values == {"a1": 60, "a2": 6, "b": 60}
        item, _ = result_of(aapi, cast, scheme, bob)
        assert item["by_source"] == {"internal": 60.0}

    def test_scoring_twice_is_409_when_the_scheme_says_so(self, cast, aapi):
        s = make_scheme(cast, duplicate_policy="reject")
        services.add_evaluators(cast.olivia, s, "internal", [cast.people.alice.pk])
        bob = f"p{cast.people.bob.pk}"
        assert score(aapi, cast.alice, s, bob, 90, 8, 80).status_code == 201
        error(score(aapi, cast.alice, s, bob, 60, 6, 60), 409, "already_scored")
        assert Score.objects.get().values["a1"] == 90 and not ScoreHistory.objects.exists()

    def test_two_evaluator_roles_must_name_one(self, cast, scheme, aapi):
        bob = f"p{cast.people.bob.pk}"
        services.add_evaluators(cast.olivia, scheme, "expert", [cast.people.alice.pk])
        body = error(score(aapi, cast.alice, scheme, bob, 90, 8, 80), 422, "invalid_score")
        assert "kind" in body["fields"]
        assert score(aapi, cast.alice, scheme, bob, 90, 8, 80, kind="expert").status_code == 201

    def test_closed_scheme_takes_no_scores(self, cast, scheme, aapi):
        r = aapi(cast.olivia).put(f"/assessment/schemes/{scheme.pk}", {"version": scheme.version, "status": "closed"})
        assert r.status_code == 200, r.content
        error(score(aapi, cast.alice, scheme, f"p{cast.people.bob.pk}", 90, 8, 80), 409, "scheme_not_open")

    def test_idempotency_key_files_once(self, cast, scheme, aapi):
        client = aapi(cast.alice)
        body = {"scheme": scheme.pk, "subject": f"p{cast.people.bob.pk}", "values": {"a1": 90, "a2": 8, "b": 80}}
        r1 = client.post_key("/assessment/evaluations", body, "score-1")
        r2 = client.post_key("/assessment/evaluations", body, "score-1")
        assert r1.status_code == r2.status_code == 201 and r1.json() == r2.json()
        assert r2.headers.get("Idempotent-Replayed") == "true"
        assert Score.objects.count() == 1 and not ScoreHistory.objects.exists()


class TestForms:
    def test_forms_go_out_as_notices_requiring_acknowledgement(self, cast, scheme, aapi, django_capture_on_commit_callbacks):
        from zhuanban.notices.models import InboxItem, Notice

        with django_capture_on_commit_callbacks(execute=True):
            r = aapi(cast.olivia).post(f"/assessment/schemes/{scheme.pk}/forms", {})
        assert r.status_code == 200 and r.json() == {"sent": 4}
        notice = Notice.objects.get()
        assert notice.requires_ack and notice.title.startswith("考核评价表")
        assert set(InboxItem.objects.filter(notice=notice).values_list("person_id", flat=True)) == {
            cast.people.alice.pk, cast.people.olivia.pk, cast.people.liam.pk, cast.people.bob.pk}
        error(aapi(cast.olivia).post(f"/assessment/schemes/{scheme.pk}/forms", {}), 422, "no_evaluators")
        error(aapi(cast.bob).post(f"/assessment/schemes/{scheme.pk}/forms", {}), 403, "forbidden")

    def test_my_evaluations_lists_the_forms(self, cast, scheme, aapi, scored):
        forms = aapi(cast.liam).get("/assessment/evaluations").json()
        assert sorted((f["kind"], f["scored"]) for f in forms) == [("expert", 1), ("self", 0)]
        assert aapi(cast.charlie).get("/assessment/evaluations").json() == []
