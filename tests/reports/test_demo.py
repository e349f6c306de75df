"""The reporting demo: ya_office's daily report shared with ya_news and ya_online, brain's weekly report,
weeks of submissions (late ones, one returned, some missing today); loading twice adds nothing."""

from __future__ import annotations

from django.utils import timezone

from zhuanban.demo import loader
from zhuanban.demo.cases import TASKFORCES
from zhuanban.reports import demo, queries
from zhuanban.reports.models import ReportTemplate, Submission
from zhuanban.taskforces.models import TaskForce


def test_demo_loads_once(db):
    loader.load()
    names = {s.key: s.name for s in TASKFORCES}
    tfs = {k: TaskForce.objects.get(name=n) for k, n in names.items()}
    daily = ReportTemplate.objects.get(taskforce=tfs["ya_office"], name="每日信息报送")
    assert set(daily.shared_with.values_list("id", flat=True)) == {tfs["ya_news"].pk, tfs["ya_online"].pk}
    assert ReportTemplate.objects.filter(taskforce=tfs["brain"], cadence="weekly").exists()
    subs = Submission.objects.filter(template=daily)
    assert subs.filter(is_late=True).exists() and Submission.objects.filter(status="returned").exists()
    agg = queries.aggregate(daily, timezone.localdate())
    assert agg["missing"] and agg["filed"]
    n = Submission.objects.count()
    from zhuanban.org.models import User
    demo.load(User.objects.get(username="admin") if User.objects.filter(username="admin").exists() else None, tfs)
    assert Submission.objects.count() == n
