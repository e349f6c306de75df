"""The load run's user: 80 % reads, 20 % writes, as people use the platform during a working day.

Run by scripts/prod/loadrun.sh (``make loadrun``); by hand::

    . var/prod/env && .venv/bin/python scripts/load/prepare.py --users 50
    .venv/bin/locust -f scripts/load/locustfile.py --host "$PROD_URL" --headless -u 50 -r 10 -t 60s

Identities come from the JSON file of scripts/load/prepare.py (LOAD_SUBJECTS, default var/prod/load.json):
each simulated user takes the next one (round robin), with its web session cookie and its API token.

Reads (weights out of 100): my tasks page 20, the task-force list (the home page) 10, a task force's page 15,
its task tab 15, the task list API 15, the my-tasks API 5.  Writes 20: a progress report through the API
(POST /api/v1/tasks/{id}/progress with the version last seen); a 409 (someone else wrote first) re-reads the
task and retries, up to three times.  409s are reported under their own name and are not errors.

LOAD_WAIT_MIN / LOAD_WAIT_MAX (seconds, default 0.5 / 2): think time between a user's requests.
LOAD_ACK_LOG: a file to append every acknowledged write to (task, version, progress-update id, note), one
JSON line each — used to check that every acknowledged write is in the database afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

ROOT = Path(__file__).resolve().parents[2]
SUBJECTS_FILE = Path(os.environ.get("LOAD_SUBJECTS", ROOT / "var" / "prod" / "load.json"))
MAX_RETRIES = 3

_subjects: list[dict] = []
_next = itertools.count()
_ack_lock = threading.Lock()
_ack_file = None


@events.init.add_listener
def _load(environment, **kwargs):  # noqa: ARG001
    global _ack_file
    data = json.loads(SUBJECTS_FILE.read_text(encoding="utf-8"))
    _subjects.extend(data["users"])
    if not _subjects:
        raise SystemExit(f"{SUBJECTS_FILE}: no users (run scripts/load/prepare.py)")
    if os.environ.get("LOAD_ACK_LOG"):
        _ack_file = open(os.environ["LOAD_ACK_LOG"], "a", encoding="utf-8")  # noqa: SIM115 - kept for the run


@events.quitting.add_listener
def _close(environment, **kwargs):  # noqa: ARG001
    if _ack_file is not None:
        _ack_file.close()


def _ack(row: dict) -> None:
    if _ack_file is not None:
        with _ack_lock:
            _ack_file.write(json.dumps(row) + "\n")
            _ack_file.flush()


class Official(HttpUser):
    """A task-force member or office worker with a browser session and an API token."""

    wait_time = between(float(os.environ.get("LOAD_WAIT_MIN", "0.5")), float(os.environ.get("LOAD_WAIT_MAX", "2")))

    def on_start(self) -> None:
        me = _subjects[next(_next) % len(_subjects)]
        self.username = me["username"]
        self.client.cookies.set("sessionid", me["session"])
        self.api = {"Authorization": f"Bearer {me['token']}", "Accept": "application/json"}
        self.taskforces = me["taskforces"]
        self.writable = {t["id"]: t["version"] for t in me["tasks"]}

    # ---- reads (80) ----------------------------------------------------------------------------------

    def _page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} (session lost?)" if r.status_code == 302 else str(r.status_code))

    @task(20)
    def my_tasks_page(self) -> None:
        self._page("/my-tasks/", "GET /my-tasks/")

    @task(10)
    def taskforce_list(self) -> None:
        self._page("/tf/", "GET /tf/")

    @task(15)
    def taskforce_page(self) -> None:
        self._page(f"/tf/{random.choice(self.taskforces)}/", "GET /tf/{id}/")

    @task(15)
    def taskforce_tasks(self) -> None:
        self._page(f"/tf/{random.choice(self.taskforces)}/tasks/", "GET /tf/{id}/tasks/")

    @task(15)
    def api_task_list(self) -> None:
        self.client.get(f"/api/v1/tasks?taskforce={random.choice(self.taskforces)}", headers=self.api,
                        name="GET /api/v1/tasks")

    @task(5)
    def api_my_tasks(self) -> None:
        self.client.get("/api/v1/my-tasks", headers=self.api, name="GET /api/v1/my-tasks")

    # ---- writes (20) ---------------------------------------------------------------------------------

    @task(20)
    def report_progress(self) -> None:
        if not self.writable:
            return self.my_tasks_page()  # a reader without tasks of their own reads instead
        task_id = random.choice(list(self.writable))
        note = f"load {uuid.uuid4().hex[:12]}"
        progress = random.randint(1, 99)
        for attempt in range(MAX_RETRIES + 1):
            body = {"progress": progress, "note": note, "version": self.writable[task_id]}
            with self.client.post(f"/api/v1/tasks/{task_id}/progress", json=body, headers=self.api,
                                  name="POST /api/v1/tasks/{id}/progress", catch_response=True) as r:
                if r.status_code == 200:
                    data = r.json()
                    self.writable[task_id] = data["version"]
                    update = next((u["id"] for u in data.get("progress_updates", []) if u["note"] == note), None)
                    _ack({"task": task_id, "version": data["version"], "update": update, "note": note,
                          "progress": progress, "user": self.username})
                    return None
                if r.status_code != 409:
                    r.failure(f"{r.status_code}: {r.text[:200]}")
                    return None
                # Someone else wrote first: the optimistic-concurrency protocol working, not an error.
                r.request_meta["name"] = "POST /api/v1/tasks/{id}/progress → 409 stale"
                if attempt == MAX_RETRIES:
                    r.failure(f"still 409 after {MAX_RETRIES} retries")
                    return None
                r.success()
            with self.client.get(f"/api/v1/tasks/{task_id}", headers=self.api,
                                 name="GET /api/v1/tasks/{id} (re-read after 409)", catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(str(r.status_code))
                    return None
                self.writable[task_id] = r.json()["version"]
        return None
