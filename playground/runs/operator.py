"""The operator's page (``/staff/``, staff only): workers and their devices, what runs where, the queue, recent failures.

One page of plain HTML from the database alone, so it shows the same picture from
any web node; it refreshes itself every 10 seconds.
"""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.utils import timezone

from playground.runs import scheduler
from playground.runs.models import Run, Worker

RECENT = timedelta(hours=24)


def worker_state(worker: Worker, now) -> str:
    if worker.stopped is not None:
        return f"stopped ({worker.stop_reason})" if worker.stop_reason else "stopped"
    silent = (now - worker.last_beat).total_seconds()
    return "alive" if silent <= settings.LAYERLAB_WORKER_TIMEOUT else f"silent for {silent:.0f} s"


@staff_member_required
def operator_page(request):
    now = timezone.now()
    active = list(Run.objects.filter(status__in=("running", "paused")).order_by("started")
                  .only("pk", "task", "status", "worker", "device", "started", "owner_id", "session_key"))
    by_worker: dict[str, list[Run]] = {}
    for run in active:
        run.age = (now - run.started).total_seconds() if run.started else 0
        by_worker.setdefault(run.worker, []).append(run)
    workers = [{"row": w, "state": worker_state(w, now), "beat_age": (now - w.last_beat).total_seconds(),
                "runs": by_worker.get(w.name, [])}
               for w in Worker.objects.filter(last_beat__gte=now - RECENT).order_by("stopped", "name")]
    order = scheduler.queue_order(scheduler.running_owner_keys())
    queued = Run.objects.in_bulk([run_id for run_id, _ in order[:30]])
    queue = [{"position": i, "run": queued[run_id], "load": load,
              "waiting": (now - queued[run_id].created).total_seconds()} for i, (run_id, load) in enumerate(order[:30], 1)]
    failures = Run.objects.filter(status="failed", finished__gte=now - RECENT).order_by("-finished")[:30]
    live = [w for w in workers if w["state"] == "alive"]
    return render(request, "runs/operator.html", {
        "executor": settings.LAYERLAB_EXECUTOR,
        "workers": workers,
        "alive": len(live),
        "slots": sum(w["row"].slots for w in live),
        "busy": sum(min(w["row"].busy, w["row"].slots) for w in live),
        "active": active,
        "queue": queue,
        "queue_length": len(order),
        "failures": failures,
        "now": now,
    })
