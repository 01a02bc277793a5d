"""Scale-out bookkeeping that needs only the database: workers' heartbeats, lost runs, the queue.

Every Celery worker writes its heartbeat (``beat``) every LAYERLAB_HEARTBEAT_SECONDS.
``housekeeping`` runs every few seconds in every web node and every worker, one of
them at a time (a PostgreSQL advisory lock; elsewhere one process runs it anyway):

- a run whose worker has not beaten for LAYERLAB_WORKER_TIMEOUT seconds (its machine
  died, its process was killed) ends failed with that cause, or is queued again once
  with LAYERLAB_REQUEUE_LOST_RUNS; it is never left running;
- abandoned runs are asked to stop (abandoned.py), as the local executor does;
- queued runs are told their new place and an estimated wait (queue.py);
- if runs wait while a worker has a free slot and no message is on its way to it
  (a message lost with a killed worker), the workers are asked again.
"""
from __future__ import annotations

import logging
import os
import socket
from contextlib import contextmanager
from datetime import timedelta
from typing import Callable, Iterator

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from playground.runs import abandoned, queue, scheduler, store
from playground.runs.models import Run, Worker

log = logging.getLogger(__name__)

WORKER_PREFIX = "celery:"
LOCK_KEY = 0x1A7E_12AB  # the advisory lock of housekeeping, any number no one else uses
REQUEUED = "its worker stopped; it waits for another"


def worker_name(nodename: str, pid: int | None = None) -> str:
    return f"{WORKER_PREFIX}{nodename}:{pid or os.getpid()}"


def beat(name: str, *, slots: int, busy: int, devices: str = "") -> None:
    """Write this worker's heartbeat (its row is made on its first)."""
    now = timezone.now()
    updated = Worker.objects.filter(name=name).update(last_beat=now, busy=busy, slots=slots, stopped=None, stop_reason="")
    if not updated:
        Worker.objects.create(name=name, hostname=socket.gethostname()[:100], pid=os.getpid(), devices=devices[:200],
                              slots=slots, busy=busy, last_beat=now)


def sign_off(name: str, reason: str = "stopped") -> None:
    Worker.objects.filter(name=name).update(stopped=timezone.now(), stop_reason=reason[:200], busy=0)


def live_workers(timeout: float | None = None):
    timeout = settings.LAYERLAB_WORKER_TIMEOUT if timeout is None else timeout
    return Worker.objects.filter(stopped__isnull=True, last_beat__gte=timezone.now() - timedelta(seconds=timeout))


def capacity(timeout: float | None = None) -> tuple[int, int]:
    """(slots, busy slots) of the live workers."""
    slots = busy = 0
    for total, used in live_workers(timeout).values_list("slots", "busy"):
        slots, busy = slots + total, busy + min(used, total)
    return slots, busy


def lost_reason(worker: str, timeout: float) -> str:
    return (f"the worker training this run ({worker.removeprefix(WORKER_PREFIX)}) stopped answering for "
            f"{timeout:g} seconds (its machine or process died), so the run was lost; start it again")


def reap(timeout: float | None = None, requeue: bool | None = None) -> tuple[dict[int, dict], int]:
    """End (or queue again, once) every run held by a worker that stopped beating.

    Returns the status events stored, by run, and how many runs went back to the queue.
    """
    timeout = settings.LAYERLAB_WORKER_TIMEOUT if timeout is None else timeout
    requeue = settings.LAYERLAB_REQUEUE_LOST_RUNS if requeue is None else requeue
    now = timezone.now()
    silent = Worker.objects.filter(stopped__isnull=True, last_beat__lt=now - timedelta(seconds=timeout))
    for name in silent.values_list("name", flat=True):
        log.warning("worker %s has not beaten for %s s: taking it for dead", name, timeout)
    silent.update(stopped=now, stop_reason=f"no heartbeat for {timeout:g} s", busy=0)
    live = set(live_workers(timeout).values_list("name", flat=True))
    lost = (Run.objects.filter(status__in=("running", "paused"), worker__startswith=WORKER_PREFIX)
            .exclude(worker__in=live).values_list("pk", "worker", "requeues"))
    events, requeued = {}, 0
    for run_id, worker, requeues in lost:
        with transaction.atomic():
            if not Run.objects.select_for_update().filter(pk=run_id, status__in=("running", "paused"), worker=worker).exists():
                continue  # ended meanwhile
            if requeue and requeues == 0:
                Run.objects.filter(pk=run_id).update(requeues=F("requeues") + 1, worker="", started=None,
                                                     pause_requested=False)
                event = store.append_status(run_id, "queued", position=0, message=REQUEUED)
                requeued += event is not None
            else:
                store.request_stop(run_id, lost_reason(worker, timeout))
                event = store.append_status(run_id, "failed", error=lost_reason(worker, timeout))
        if event is not None:
            log.warning("run %s of lost worker %s: %s", run_id, worker, event["data"]["status"])
            events[run_id] = event
    return events, requeued


@contextmanager
def one_at_a_time() -> Iterator[bool]:
    """Whether this process holds housekeeping's lock (PostgreSQL: a session advisory lock)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def housekeeping(publish: Callable[[int, list[dict]], None], ask_for_slots: Callable[[int], None] | None,
                 waiting_messages: Callable[[], int] | None = None) -> bool:
    """One round (see the module's docstring); False when another process holds the lock."""
    with one_at_a_time() as held:
        if not held:
            return False
        ended, requeued = reap()
        for run_id, event in ended.items():
            publish(run_id, [event])
        _, stopped = abandoned.stop_abandoned(settings.LAYERLAB_PAUSE_LIMIT, settings.LAYERLAB_UNWATCHED_GRACE)
        for run_id, event in stopped.items():
            publish(run_id, [event])
        slots, busy = capacity()
        for run_id, event in queue.announce(0, slots=slots).items():
            publish(run_id, [event])
        if ask_for_slots is not None and slots > busy:
            nudge(slots, busy, ask_for_slots, waiting_messages)
    return True


def nudge(slots: int, busy: int, ask_for_slots: Callable[[int], None], waiting_messages: Callable[[], int] | None) -> None:
    """Ask free slots to take runs that could start, when no message is already on its way."""
    if scheduler.next_run_id(slots, scheduler.running_owner_keys()) is None:
        return
    waiting = waiting_messages() if waiting_messages is not None else 0
    queued = Run.objects.filter(status="queued").count()
    wanted = min(slots - busy, queued) - waiting
    if wanted > 0:
        log.debug("%d runs wait and %d slots are free: asking the workers again", queued, slots - busy)
        ask_for_slots(wanted)


def claim_next(worker: str, slots: int | None = None) -> int | None:
    """Claim for this worker the run the scheduler starts next; None when none may start now.

    Claims are taken one at a time (a transaction-scoped advisory lock on PostgreSQL), so two
    workers never both count an owner's load before either has started that owner's run.
    """
    if slots is None:
        slots = max(1, capacity()[0])
    for _ in range(5):
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY + 1])
            run_id = scheduler.next_run_id(slots, scheduler.running_owner_keys())
            if run_id is None:
                return None
            if store.claim_run(run_id, worker):
                return run_id
    return None


