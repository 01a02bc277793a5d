"""The event store: every event of every run, numbered 1, 2, 3... within its run.

The store is the truth. The channel layer is only a fast path that may drop
messages; anything a client misses is read back from here.
"""
from __future__ import annotations

import json
import math
import time
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from playground.runs import scheduler
from playground.runs.models import ACTIVE, TERMINAL, Event, Run


def clean_json(value: Any) -> Any:
    """JSON has no NaN or infinity: store None instead, so the store and the wire agree."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_json(v) for v in value]
    return value


def encode_event(event: dict[str, Any]) -> str:
    """An event as JSON text, once, for the store and every watcher; numbers JSON cannot hold become null."""
    try:
        return json.dumps(event, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return json.dumps(clean_json(event), default=str, separators=(",", ":"))


def is_end(event: dict[str, Any]) -> bool:
    return event["type"] == "status" and event["data"].get("status") in TERMINAL


def last_seq(run_id: int) -> int:
    return Event.objects.filter(run_id=run_id).aggregate(m=Max("seq"))["m"] or 0


def record_events(batches: dict[int, list[dict[str, Any]]]) -> dict[int, int]:
    """Store numbered events of several runs in one transaction; returns how many of each run's were kept.

    Status events also move their run's status, so a run's row and its stream always
    agree. Nothing is kept after a run has ended: a run ends once.
    """
    kept: dict[int, int] = {}
    rows: list[tuple] = []
    with transaction.atomic():
        statuses = run_statuses(list(batches))
        for run_id, events in batches.items():
            status = statuses.get(run_id)
            count = 0
            for event in events:
                if status is None or status in TERMINAL:
                    break
                if event["type"] == "status":
                    status = event["data"]["status"]
                    apply_status(run_id, status, event["data"])
                rows.append((run_id, event["seq"], event["type"], event["step"], json.dumps(event["data"]), event["time"]))
                count += 1
            kept[run_id] = count
        insert_events(rows)
    return kept


# The two statements below are the web server's hottest: the relay runs them for every batch
# of every training run. Through the ORM, building each statement took longer than running it.


def run_statuses(run_ids: list[int]) -> dict[int, str]:
    if not run_ids:
        return {}
    table = connection.ops.quote_name(Run._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, status FROM {table} WHERE id IN ({', '.join(['%s'] * len(run_ids))})", run_ids)
        return dict(cursor.fetchall())


def insert_events(rows: list[tuple]) -> None:
    """Insert (run_id, seq, type, step, data as JSON text, time) rows with one executemany."""
    if not rows:
        return
    columns = ", ".join(connection.ops.quote_name(Event._meta.get_field(name).column)
                        for name in ("run", "seq", "type", "step", "data", "time"))
    table = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)", rows)


def apply_status(run_id: int, status: str, data: dict[str, Any]) -> None:
    fields: dict[str, Any] = {"status": status}
    if status in TERMINAL:
        fields["finished"] = timezone.now()
        fields["error"] = data.get("error", "")
    if status == "running" and "device" in data:
        fields["device"] = data["device"]
    if status == "queued":
        fields["queue_position"] = data.get("position")
        fields["queue_message"] = data.get("message", "")
    Run.objects.filter(pk=run_id).update(**fields)


def events_after(run_id: int, after: int, limit: int = 1000) -> list[dict[str, Any]]:
    rows = (
        Event.objects.filter(run_id=run_id, seq__gt=after)
        .order_by("seq")
        .values("seq", "type", "step", "data", "time")[:limit]
    )
    return list(rows)


def create_run(task: str, config: dict, *, owner=None, session_key: str = "", parent: Run | None = None,
               stop_when_unwatched: bool = False) -> Run:
    with transaction.atomic():
        run = Run.objects.create(task=task, config=config, owner=owner, session_key=session_key, parent=parent,
                                 stop_when_unwatched=stop_when_unwatched, watched_at=timezone.now())
        order = [run_id for run_id, _ in scheduler.queue_order(scheduler.running_owner_keys())]
        run.queue_position = order.index(run.pk) + 1
        Run.objects.filter(pk=run.pk).update(queue_position=run.queue_position)
        Event.objects.create(run=run, seq=1, type="status", step=None,
                             data={"status": "queued", "position": run.queue_position}, time=time.time())
    return run


def append_status(run_id: int, status: str, **extra: Any) -> dict[str, Any] | None:
    """Record a status change of a run that is not finished; None if it already was."""
    with transaction.atomic():
        event = {"seq": last_seq(run_id) + 1, "type": "status", "step": None, "data": {"status": status, **extra},
                 "time": time.time()}
        if not record_events({run_id: [event]}).get(run_id):
            return None
    return event


def claim_run(run_id: int, worker: str) -> bool:
    """Move a queued run to running for one worker; False if someone else took it or it was cancelled."""
    with transaction.atomic():
        return bool(
            Run.objects.filter(pk=run_id, status="queued").update(status="running", worker=worker, started=timezone.now())
        )


def fail_interrupted_runs(reason: str) -> list[int]:
    """Runs that a stopped server left running or paused end as failed, with the reason."""
    ids = list(Run.objects.filter(status__in=("running", "paused")).values_list("pk", flat=True))
    for run_id in ids:
        append_status(run_id, "failed", error=reason)
    return ids


def queue_position(run: Run) -> int | None:
    """What the run's last queued status event said (queue.py keeps them up to date)."""
    return run.queue_position if run.status == "queued" else None


def active_count(owner_key_filter: dict[str, Any]) -> int:
    return Run.objects.filter(status__in=ACTIVE, **owner_key_filter).count()
