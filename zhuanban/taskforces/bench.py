"""Benchmark scenarios of the task-force pages (``zhuanban bench``; the runner is ``zhuanban.scale.bench``)."""

from __future__ import annotations

from typing import Any

from zhuanban.scale.bench import Request, scenario

from .models import Membership, TaskForce

TF, M = TaskForce._meta.db_table, Membership._meta.db_table


def _list_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"SELECT COUNT(*) FROM {TF}", []),
            (f"SELECT tf.id, tf.name, tf.status, tf.established_on, (SELECT COUNT(*) FROM {M} m "
             f"WHERE m.taskforce_id = tf.id AND m.end_on IS NULL) FROM {TF} tf ORDER BY tf.id DESC LIMIT 50", [])]


@scenario("tf_list", "专班列表（办公室）", raw=_list_raw)
def tf_list(s: dict[str, Any]) -> Request:
    return Request(s["office_director_username"], "/tf/")


@scenario("api_taskforces", "API 专班列表（办公室）", raw=_list_raw)
def api_taskforces(s: dict[str, Any]) -> Request:
    return Request(s["office_director_username"], "/api/v1/taskforces?limit=50")


@scenario("tf_my_list", "专班列表（忙碌的人，只看自己的专班）")
def tf_my_list(s: dict[str, Any]) -> Request:
    return Request(s["busy_username"], "/tf/")


def _detail_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"SELECT * FROM {TF} WHERE id = %s", [s["taskforce_id"]]),
            (f"SELECT * FROM {M} WHERE taskforce_id = %s AND end_on IS NULL", [s["taskforce_id"]])]


@scenario("tf_overview", "专班概况页（大专班）", raw=_detail_raw)
def tf_overview(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/tf/{s['taskforce_id']}/")


@scenario("tf_members", "专班成员页（大专班）", raw=_detail_raw)
def tf_members(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/tf/{s['taskforce_id']}/members/")


@scenario("tf_structure", "组织架构（大专班）", raw=_detail_raw)
def tf_structure(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/tf/{s['taskforce_id']}/structure/")
