"""What a visitor whose run waits is told: its place in the queue, and why, when it waits for a process.

A queued run's status events read ``{"status": "queued", "position": N}`` (N = 1
starts next, in the scheduler's order) and, while the training process that will
take it is still getting ready, also ``"message"``. A new event is stored only
when the position or the message changes; the run's row keeps what the last one
said, which ``GET /api/runs/{id}`` answers as ``queue_position``.
"""
from __future__ import annotations

import math
import time
from typing import Any

from django.db import transaction
from django.db.models import Max

from playground.runs import scheduler, store
from playground.runs.models import Event, Run

PREPARING = "Preparing a training process (PyTorch is loading)"


def queued_status(position: int, message: str = "", wait: int | None = None) -> dict[str, Any]:
    return {"status": "queued", "position": position, **({"message": message} if message else {}),
            **({"wait": wait} if wait is not None else {})}


def typical_run_seconds(recent: int = 20) -> float | None:
    """How long the last runs that succeeded trained, on average; None before any did."""
    spans = [(finished - started).total_seconds() for started, finished in
             Run.objects.filter(status="succeeded", started__isnull=False, finished__isnull=False)
             .order_by("-finished").values_list("started", "finished")[:recent]]
    return sum(spans) / len(spans) if spans else None


def estimated_wait(position: int, slots: int, typical: float | None) -> int | None:
    """Seconds until a run at this place starts, if runs take as long as recent ones did and all slots train."""
    if typical is None or slots < 1:
        return None
    return round(math.ceil(position / slots) * typical)


def announce(preparing: int, slots: int | None = None) -> dict[int, dict[str, Any]]:
    """Store a new queued status for each queued run whose position or reason changed; returns them by run.

    ``preparing`` is how many free slots wait for their training process: the first
    that many runs in the queue wait for one. With ``slots`` (how many train at once),
    each new status also has ``wait``: an estimate in seconds (``estimated_wait``).
    """
    order = scheduler.queue_order(scheduler.running_owner_keys())
    if not order:
        return {}
    said = {pk: (position, message) for pk, position, message in
            Run.objects.filter(status="queued").values_list("pk", "queue_position", "queue_message")}
    changes = {}
    typical = None if slots is None else typical_run_seconds()
    for position, (run_id, _) in enumerate(order, 1):
        message = PREPARING if position <= preparing else ""
        if said.get(run_id, (position, message)) != (position, message):
            changes[run_id] = queued_status(position, message,
                                            None if slots is None else estimated_wait(position, slots, typical))
    return record(changes) if changes else {}


def record(changes: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Append each change to its run's events, for the runs that are still queued, in one transaction."""
    with transaction.atomic():
        # Locked, so that a run cannot start or be cancelled between this look and the write.
        queued = list(Run.objects.select_for_update().filter(pk__in=changes, status="queued").values_list("pk", flat=True))
        last = dict(Event.objects.filter(run_id__in=queued).values_list("run_id").annotate(Max("seq")))
        now = time.time()
        events = {run_id: {"seq": last.get(run_id, 0) + 1, "type": "status", "step": None, "data": changes[run_id],
                           "time": now} for run_id in queued}
        store.record_events({run_id: [event] for run_id, event in events.items()})
    return events
