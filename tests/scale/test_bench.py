"""``zhuanban bench``: every scenario runs through the HTTP stack on generated data and reports its
figures; the bench refuses a database without generated data or with another scale, and an unknown
scenario."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhuanban import cli
from zhuanban.scale import bench


def run_bench(*args: str) -> dict:
    out, err = io.StringIO(), io.StringIO()
    call_command("bench", "--json", "--reps", "2", "--warmup", "0", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue())


@pytest.fixture
def generated(db):
    call_command("generate", "--scale", "demo", "--no-progress", stdout=io.StringIO())


def test_every_scenario_answers_with_figures_query_counts_and_a_raw_sql_ratio(generated):
    report = run_bench()
    names = {r["name"] for r in report["results"]}
    assert {"my_tasks", "api_my_tasks", "tf_wall_chart", "api_tasks_filtered", "tf_list",
            "lights_recompute"} <= names
    assert report["scale"] == "demo"
    for r in report["results"]:
        assert r["error"] == "", (r["name"], r["error"])
        assert r["median_ms"] > 0 and r["p95_ms"] >= r["median_ms"]
        if r["kind"] == "http":
            assert r["queries"] and r["queries"] > 0
    with_raw = [r for r in report["results"] if r["raw_median_ms"] is not None]
    assert with_raw and all(r["ratio"] > 0 for r in with_raw)


def test_only_runs_the_named_scenarios_and_the_table_names_them(generated):
    out = io.StringIO()
    call_command("bench", "--only", "my_tasks,api_my_tasks", "--reps", "1", "--warmup", "0", stdout=out,
                 stderr=io.StringIO())
    text = out.getvalue()
    assert "my_tasks" in text and "api_my_tasks" in text and "tf_wall_chart" not in text
    assert "median ms" in text and "app/raw" in text


def test_a_failing_page_is_reported_in_its_row_not_hidden(generated, monkeypatch):
    sc = bench.discover()["my_tasks"]
    monkeypatch.setitem(bench.SCENARIOS, "broken", bench.Scenario(
        "broken", "坏掉的页面", "http", lambda s: bench.Request(s["busy_username"], "/no-such-page/")))
    report = run_bench("--only", "broken", "--only", sc.name)
    rows = {r["name"]: r for r in report["results"]}
    assert "HTTP 404" in rows["broken"]["error"] and not rows["broken"]["ok"]
    assert rows["my_tasks"]["error"] == ""


def test_the_bench_refuses_a_database_without_generated_data(db):
    with pytest.raises(CommandError, match="zhuanban generate --scale"):
        run_bench()


def test_the_bench_refuses_another_scale_than_the_loaded_one(generated):
    with pytest.raises(CommandError, match="holds the demo scale, not province"):
        run_bench("--scale", "province")


def test_an_unknown_scenario_is_refused_with_the_known_names(db):
    with pytest.raises(CommandError, match="unknown scenario.*my_tasks"):
        run_bench("--only", "no_such_page")


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert bench.percentile(values, 50) == 50.0
    assert bench.percentile(values, 95) == 95.0
    assert bench.percentile([3.0], 95) == 3.0


def test_db_option_picks_the_benchmark_database(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHUANBAN_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("ZHUANBAN_BENCH_SQLITE_URL", raising=False)
    monkeypatch.delenv("ZHUANBAN_BENCH_POSTGRES_URL", raising=False)
    assert cli.bench_database(["bench", "--db", "sqlite"]) == f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    assert cli.bench_database(["generate", "--db=postgres"]) == cli.BENCH_POSTGRES_DEFAULT
    monkeypatch.setenv("ZHUANBAN_BENCH_POSTGRES_URL", "postgres://x@127.0.0.1:1/y")
    assert cli.bench_database(["bench", "--db", "postgres"]) == "postgres://x@127.0.0.1:1/y"
    assert cli.bench_database(["bench"]) is None
