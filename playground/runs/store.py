"""The event store: every event of every run, numbered 1, 2, 3... within its run.

The store is the truth. The channel layer is only a fast path that may drop
messages; anything a client misses is read back from here.
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, TextField
from django.db.models.functions import Cast, Length
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


@dataclass
class Recorded:
    """What ``record_events`` kept of one run's batch: how many of the given events, and any event the
    store added itself (the end of a run that reached its event cap)."""

    kept: int = 0
    added: list[dict[str, Any]] = field(default_factory=list)


def event_cap_reason(max_events: int, max_bytes: int) -> str:
    return (f"the run stopped because it reached the most one run may record ({max_events} events "
            f"or {max_bytes / 1_048_576:g} MB of them); report less often or train fewer epochs")


def record_events(batches: dict[int, list[dict[str, Any]]]) -> dict[int, Recorded]:
    """Store numbered events of several runs in one transaction; say what was kept of each run's.

    Status events also move their run's status, so a run's row and its stream always
    agree. Nothing is kept after a run has ended: a run ends once. An event that would
    take a run past LAYERLAB_RUN_MAX_EVENTS or LAYERLAB_RUN_MAX_EVENT_BYTES is not kept:
    the run ends failed instead, saying so, and is asked to stop. Whatever a training
    process sends, a run's events stay within the caps.
    """
    max_events, max_bytes = settings.LAYERLAB_RUN_MAX_EVENTS, settings.LAYERLAB_RUN_MAX_EVENT_BYTES
    recorded: dict[int, Recorded] = {}
    rows: list[tuple] = []
    sizes: list[tuple[int, int]] = []
    with transaction.atomic():
        states = run_states(list(batches))
        for run_id, events in batches.items():
            status, stored_bytes = states.get(run_id, (None, 0))
            result = recorded[run_id] = Recorded()
            added_bytes = 0
            for event in events:
                if status is None or status in TERMINAL:
                    break
                data = json.dumps(event["data"])
                ending = event["type"] == "status" and event["data"]["status"] in TERMINAL
                if not ending and (event["seq"] > max_events or stored_bytes + added_bytes + len(data) > max_bytes):
                    reason = event_cap_reason(max_events, max_bytes)
                    end = {"seq": event["seq"], "type": "status", "step": None,
                           "data": {"status": "failed", "error": reason}, "time": time.time()}
                    event, data = end, json.dumps(end["data"])
                    result.added.append(end)
                    request_stop(run_id, reason)
                if event["type"] == "status":
                    status = event["data"]["status"]
                    apply_status(run_id, status, event["data"])
                rows.append((run_id, event["seq"], event["type"], event["step"], data, event["time"]))
                added_bytes += len(data)
                if not result.added:
                    result.kept += 1
            if added_bytes:
                sizes.append((added_bytes, run_id))
        insert_events(rows)
        add_event_bytes(sizes)
    return recorded


# The statements below are the web server's hottest: the relay runs them for every batch
# of every training run. Through the ORM, building each statement took longer than running it.


def run_states(run_ids: list[int]) -> dict[int, tuple[str, int]]:
    """Each run's status and the bytes of event data it has stored."""
    if not run_ids:
        return {}
    table = connection.ops.quote_name(Run._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, status, event_bytes FROM {table} WHERE id IN ({', '.join(['%s'] * len(run_ids))})",
                       run_ids)
        return {run_id: (status, stored) for run_id, status, stored in cursor.fetchall()}


def add_event_bytes(sizes: list[tuple[int, int]]) -> None:
    if not sizes:
        return
    table = connection.ops.quote_name(Run._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET event_bytes = event_bytes + %s WHERE id = %s", sizes)


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


def events_page(run_id: int, after: int, limit: int = 1000, max_bytes: int | None = None) -> tuple[list[dict[str, Any]], bool]:
    """A replay page: the events after ``after``, at most ``limit`` of them and, past the first, at most
    ``max_bytes`` (LAYERLAB_EVENT_PAGE_BYTES) of data as stored JSON text; and whether more may follow.

    The sizes are read first, in the database, so a page of large events is never loaded whole to be cut.
    """
    max_bytes = settings.LAYERLAB_EVENT_PAGE_BYTES if max_bytes is None else max_bytes
    sizes = list(Event.objects.filter(run_id=run_id, seq__gt=after).order_by("seq")
                 .values_list("seq", Length(Cast("data", output_field=TextField())))[:limit])
    if not sizes:
        return [], False
    count, total = 0, 0
    for _, size in sizes:
        if count and total + (size or 0) > max_bytes:
            break
        count, total = count + 1, total + (size or 0)
    return events_after(run_id, after, count), count < len(sizes) or len(sizes) == limit


def create_run(task: str, config: dict, *, parent: Run | None = None, stop_when_unwatched: bool = False,
               **owner_fields: Any) -> Run:
    """Queue a run; ``owner_fields`` come from ``access.owner_fields``."""
    with transaction.atomic():
        run = Run.objects.create(task=task, config=config, parent=parent, stop_when_unwatched=stop_when_unwatched,
                                 watched_at=timezone.now(), **owner_fields)
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
        if not record_events({run_id: [event]})[run_id].kept:
            return None
    return event


def request_stop(run_id: int, reason: str = "", status: str = "failed") -> None:
    """Ask a run's training process to stop at its next step. With a reason, the run ends ``status``
    with that sentence as its error; without one (its owner stopped it), it ends cancelled,
    unless the server stopped it already."""
    fields = {"stop_reason": reason, "stop_status": status} if reason else {}
    Run.objects.filter(pk=run_id).update(stop_requested=True, **fields)


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


def active_count(**owner_filter: Any) -> int:
    return Run.objects.filter(status__in=ACTIVE, **owner_filter).count()
