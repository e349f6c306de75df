"""Scheme validation (weights per level, kinds, rules, evaluator weights — 422 naming the field), who may
define and revise a scheme, and versioning: a revision mid-period keeps earlier results reproducible."""

from __future__ import annotations

import copy

from tests.api.conftest import error
from zhuanban.assessment import services
from zhuanban.assessment.models import SchemeRevision

from .conftest import TREE, WEIGHTS


def body(cast, **kw):
    return {"taskforce": cast.tf.pk, "name": "2026年度考核", "period_start": "2026-01-01",
            "period_end": "2026-12-31", "indicators": copy.deepcopy(TREE), "evaluator_weights": WEIGHTS, **kw}


class TestValidation:
    def test_create_and_read_back(self, cast, aapi):
        r = aapi(cast.olivia).post("/assessment/schemes", body(cast))
        assert r.status_code == 201, r.content
        s = r.json()
        assert s["revision"] == 1 and s["revisions"] == [1]
        assert [n["key"] for n in s["current"]["indicators"]] == ["a", "b"]
        assert aapi(cast.bob).get(f"/assessment/schemes/{s['id']}").status_code == 200  # a viewer reads it
        error(aapi(cast.charlie).get(f"/assessment/schemes/{s['id']}"), 404, "not_found")
        assert [x["id"] for x in aapi(cast.charlie).get("/assessment/schemes").json()] == []

    def test_children_not_summing_to_100_name_their_parent(self, cast, aapi):
        tree = copy.deepcopy(TREE)
        tree[0]["children"][1]["weight"] = 40
        e = error(aapi(cast.olivia).post("/assessment/schemes", body(cast, indicators=tree)), 422, "invalid_scheme")
        assert list(e["fields"]) == ["indicators[0].children"] and "90" in e["fields"]["indicators[0].children"]

    def test_third_level_names_the_path(self, cast, aapi):
        tree = copy.deepcopy(TREE)
        tree[0]["children"][0] = {"name": "作风", "weight": 50, "children": [
            {"name": "纪律", "weight": 70, "kind": "subjective"}, {"name": "担当", "weight": 20, "kind": "subjective"}]}
        e = error(aapi(cast.olivia).post("/assessment/schemes", body(cast, indicators=tree)), 422, "invalid_scheme")
        assert list(e["fields"]) == ["indicators[0].children[0].children"]

    def test_top_level_not_summing_to_100(self, cast, aapi):
        tree = copy.deepcopy(TREE)
        tree[1]["weight"] = 50
        e = error(aapi(cast.olivia).post("/assessment/schemes", body(cast, indicators=tree)), 422, "invalid_scheme")
        assert list(e["fields"]) == ["indicators"] and "110" in e["fields"]["indicators"]

    def test_kinds_metrics_rules_and_evaluator_weights(self, cast, aapi):
        tree = [{"name": "按期", "weight": 50, "kind": "objective", "metric": "nope", "rule": {"type": "linear"}},
                {"name": "作风", "weight": 30, "kind": "guess"},
                {"name": "分档", "weight": 20, "kind": "objective", "metric": "overdue",
                 "rule": {"type": "thresholds", "steps": [{"at": 0, "pct": 150}]}}]
        e = error(aapi(cast.olivia).post("/assessment/schemes", body(
            cast, indicators=tree, evaluator_weights={"internal": 60, "boss": 40})), 422, "invalid_scheme")
        assert {"indicators[0].metric", "indicators[0].rule", "indicators[1].kind", "indicators[2].rule.steps[0]",
                "evaluator_weights.boss"} <= set(e["fields"])
        e = error(aapi(cast.olivia).post("/assessment/schemes", body(cast, evaluator_weights={"internal": 60,
                                                                                            "expert": 30})),
                  422, "invalid_scheme")
        assert "evaluator_weights" in e["fields"]
        e = error(aapi(cast.olivia).post("/assessment/schemes", body(cast, evaluator_weights={})), 422,
                  "invalid_scheme")
        assert "evaluator_weights" in e["fields"]

    def test_header_errors(self, cast, aapi):
        e = error(aapi(cast.olivia).post("/assessment/schemes", body(
            cast, period_end="2025-12-31", subject_kind="unit", track="full_time")), 422, "invalid_scheme")
        assert {"period_end", "track"} <= set(e["fields"])

    def test_only_the_office_and_leaders_define(self, cast, aapi):
        assert aapi(cast.alice).post("/assessment/schemes", body(cast)).status_code == 201  # 组长
        error(aapi(cast.bob).post("/assessment/schemes", body(cast)), 403, "forbidden")
        error(aapi(cast.liam).post("/assessment/schemes", body(cast)), 403, "forbidden")
        error(aapi(cast.charlie).post("/assessment/schemes", body(cast)), 404, "not_found")


class TestVersioning:
    def test_revision_mid_period_keeps_earlier_results_reproducible(self, cast, scheme, aapi):
        office, bob = aapi(cast.olivia), f"p{cast.people.bob.pk}"
        vals = {"a1": 80, "a2": 6, "b": 50}
        assert aapi(cast.alice).post("/assessment/evaluations", {"scheme": scheme.pk, "subject": bob,
                                                                 "values": vals}).status_code == 201
        # v1: 30 × 0.8 + 30 × 0.6 + 40 × 0.5 = 62 (internal only)
        v1 = office.get("/assessment/results", {"scheme": scheme.pk}).json()
        assert v1["revision"] == 1 and _total(v1, bob) == 62.0

        tree = copy.deepcopy(TREE)
        tree[0]["weight"], tree[1]["weight"] = 40, 60
        r = office.put(f"/assessment/schemes/{scheme.pk}", {"version": scheme.version, "indicators": tree,
                                                            "note": "年中调整：加大群众满意度权重"})
        assert r.status_code == 200, r.content
        assert r.json()["revision"] == 2 and r.json()["revisions"] == [1, 2]
        # v2 with the same score: 20 × 0.8 + 20 × 0.6 + 60 × 0.5 = 58
        assert _total(office.get("/assessment/results", {"scheme": scheme.pk}).json(), bob) == 58.0
        assert _total(office.get("/assessment/results", {"scheme": scheme.pk, "revision": 1}).json(), bob) == 62.0

        # alice re-scores under v2; v1 still reads her v1 values (from the history).
        aapi(cast.alice).post("/assessment/evaluations", {"scheme": scheme.pk, "subject": bob,
                                                          "values": {"a1": 100, "a2": 10, "b": 100}})
        assert _total(office.get("/assessment/results", {"scheme": scheme.pk}).json(), bob) == 100.0
        assert office.get("/assessment/results", {"scheme": scheme.pk, "revision": 1}).json() == v1
        assert SchemeRevision.objects.get(scheme=scheme, number=1).indicators[0]["weight"] == 60

    def test_header_only_edit_is_no_new_revision_and_stale_is_409(self, cast, scheme, aapi):
        office = aapi(cast.olivia)
        r = office.put(f"/assessment/schemes/{scheme.pk}", {"version": scheme.version, "name": "2026年度考核（修订）"})
        assert r.status_code == 200 and r.json()["revision"] == 1
        error(office.put(f"/assessment/schemes/{scheme.pk}", {"version": scheme.version, "name": "x"}), 409,
              "stale_version")
        error(aapi(cast.bob).put(f"/assessment/schemes/{scheme.pk}", {"version": r.json()["version"], "name": "x"}),
              403, "forbidden")

    def test_a_score_given_after_a_revision_is_not_in_the_old_result(self, cast, scheme, aapi):
        tree = copy.deepcopy(TREE)
        tree[0]["weight"], tree[1]["weight"] = 40, 60
        services.revise_scheme(cast.olivia, scheme, scheme.version, {"indicators": tree})
        aapi(cast.alice).post("/assessment/evaluations", {"scheme": scheme.pk, "subject": f"p{cast.people.bob.pk}",
                                                          "values": {"a1": 100, "a2": 10, "b": 100}})
        v1 = aapi(cast.olivia).get("/assessment/results", {"scheme": scheme.pk, "revision": 1}).json()
        assert _total(v1, f"p{cast.people.bob.pk}") == 0
        assert aapi(cast.olivia).get("/assessment/results", {"scheme": scheme.pk, "revision": 9}).status_code == 404


def _total(results, key):
    return next(i["total"] for i in results["items"] if i["subject"] == key)
