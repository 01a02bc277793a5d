"""A small world for account, sharing and classroom tests: people (a teacher, students, a stranger)
signed in through Django's test client, and finished runs stored by hand (nothing trains)."""
from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from playground.accounts.models import Account
from playground.runs import store
from playground.tasks import TASKS


def person(name: str, role: str = "student") -> Client:
    user = get_user_model().objects.create_user(username=name, email=f"{name}@example.org", password="not-used-here-1")
    Account.objects.create(user=user, role=role)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def finished_run(owner: Client | None, config: dict[str, Any] | None = None, *, accuracy: float = 0.9,
                 loss: float = 0.2, status: str = "succeeded", visibility: str = "link", task: str = "basics",
                 reports: list[dict[str, Any]] | None = None):
    """A run of `task` owned by `owner` (None: an anonymous session "anon"), with a last train and test report
    (or the metric events' data `reports`, for a task that reports other splits)."""
    full = TASKS[task].Config.model_validate(config or {}).model_dump(mode="json")
    owner_fields = {"owner": owner.user, "session_key": ""} if owner is not None else {"owner": None, "session_key": "anon"}
    run = store.create_run(task, full, **owner_fields)
    now = time.time()
    if reports is None:
        reports = [{"split": "train", "epoch": 1, "loss": loss + 0.3, "accuracy": accuracy - 0.2},
                   {"split": "train", "epoch": 2, "loss": loss, "accuracy": accuracy},
                   {"split": "test", "epoch": 2, "loss": loss + 0.05, "accuracy": accuracy}]
    events = [{"seq": 2, "type": "status", "step": None, "data": {"status": "running", "device": "cpu"}, "time": now}]
    events += [{"seq": 3 + i, "type": "metric", "step": 10 * data.get("epoch", i + 1), "data": data, "time": now} for i, data in enumerate(reports)]
    if status != "running":
        events.append({"seq": 3 + len(reports), "type": "status", "step": None, "data": {"status": status}, "time": now})
    store.record_events({run.pk: events})
    run.refresh_from_db()
    if visibility != run.visibility:
        run.visibility = visibility
        run.save(update_fields=["visibility"])
    return run


def json_post(client: Client, path: str, body: Any, **extra):
    return client.post(path, body, content_type="application/json", **extra)
