from zhuanban.taskforces import queries


def test_cast_task_force_is_cross_sector_because_of_the_enterprise_member(cast):
    t = queries.classify(cast.tf)
    assert t.boundary.value == "cross_sector"
    assert "赵外部" in t.boundary.reason
    assert t.li.label == "项目合作型"
