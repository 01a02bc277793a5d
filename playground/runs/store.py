"""The event store: every event of every run, numbered 1, 2, 3... within its run.

The store is the truth. The channel layer is only a fast path that may drop
messages; anything a client misses is read back from here.
"""
from __future__ import annotations

import json
import math
import time
from typing import Any, Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

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


def event_data(data: dict[str, Any]) -> dict[str, Any]:
    """Data as it will be stored: finite numbers only, plain JSON types."""
    try:
        json.dumps(data, allow_nan=False)
        return data
    except (TypeError, ValueError):
        return json.loads(json.dumps(clean_json(data), default=str))


def last_seq(run_id: int) -> int:
    return Event.objects.filter(run_id=run_id).aggregate(m=Max("seq"))["m"] or 0


def append_events(run_id: int, events: Iterable[dict[str, Any]]) -> None:
    """Store numbered events in one transaction (the caller numbers them)."""
    rows = [Event(run_id=run_id, seq=e["seq"], type=e["type"], step=e["step"], data=e["data"], time=e["time"]) for e in events]
    if rows:
        with transaction.atomic():
            Event.objects.bulk_create(rows)


def events_after(run_id: int, after: int, limit: int = 1000) -> list[dict[str, Any]]:
    rows = (
        Event.objects.filter(run_id=run_id, seq__gt=after)
        .order_by("seq")
        .values("seq", "type", "step", "data", "time")[:limit]
    )
    return list(rows)


def create_run(task: str, config: dict, *, owner=None, session_key: str = "", parent: Run | None = None) -> Run:
    with transaction.atomic():
        run = Run.objects.create(task=task, config=config, owner=owner, session_key=session_key, parent=parent)
        Event.objects.create(run=run, seq=1, type="status", step=None, data={"status": "queued"}, time=time.time())
    return run


def append_status(run_id: int, status: str, **extra: Any) -> dict[str, Any] | None:
    """Record a status change of a run that is not finished; None if it already was."""
    now = timezone.now()
    with transaction.atomic():
        run = Run.objects.filter(pk=run_id).only("status").first()
        if run is None or run.status in TERMINAL:
            return None
        fields: dict[str, Any] = {"status": status}
        if status in TERMINAL:
            fields["finished"] = now
            fields["error"] = extra.get("error", "")
        if status == "running" and "device" in extra:
            fields["device"] = extra["device"]
        Run.objects.filter(pk=run_id).update(**fields)
        seq = last_seq(run_id) + 1
        event = {"seq": seq, "type": "status", "step": None, "data": {"status": status, **extra}, "time": time.time()}
        Event.objects.create(run_id=run_id, **event)
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
    if run.status != "queued":
        return None
    return Run.objects.filter(status="queued", created__lt=run.created).count() + 1


def active_count(owner_key_filter: dict[str, Any]) -> int:
    return Run.objects.filter(status__in=ACTIVE, **owner_key_filter).count()
