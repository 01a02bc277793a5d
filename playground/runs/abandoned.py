"""Runs nobody is coming back for: paused too long, or started by a page that went away.

A run paused for longer than ``LAYERLAB_PAUSE_LIMIT`` seconds is stopped. A run
created with ``stop_when_unwatched`` (the pages ask for it; scripts that do not
are never stopped this way) is stopped once no WebSocket of its owner has watched
it for ``LAYERLAB_UNWATCHED_GRACE`` seconds: the owner's sockets, in whichever
web process, refresh its ``watched_at`` (watching.py), so the check needs only
the database. Either way the run ends ``cancelled`` with the reason as its final
status's ``error``, and its slot is free for others.
"""
from __future__ import annotations

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from playground.runs import store
from playground.runs.models import ACTIVE, Event, Run


def duration(seconds: float) -> str:
    if seconds >= 120 and seconds % 60 == 0:
        return f"{int(seconds // 60)} minutes"
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"


def paused_too_long(limit: float) -> dict[int, str]:
    reason = f"the run was paused for longer than {duration(limit)}, so it was stopped to free its training slot"
    found = {}
    now = time.time()
    for run_id in Run.objects.filter(status="paused", stop_requested=False).values_list("pk", flat=True):
        since = (Event.objects.filter(run_id=run_id, type="status").order_by("-seq")
                 .values_list("time", flat=True).first())
        if since is not None and now - since > limit:
            found[run_id] = reason
    return found


def unwatched(grace: float) -> dict[int, str]:
    reason = f"its page was closed: nobody watched the run for {duration(grace)}, so it was stopped"
    cutoff = timezone.now() - timedelta(seconds=grace)
    runs = Run.objects.filter(status__in=ACTIVE, stop_when_unwatched=True, stop_requested=False, watched_at__lt=cutoff)
    return {run_id: reason for run_id in runs.values_list("pk", flat=True)}


def stop(reasons: dict[int, str]) -> tuple[list[int], dict[int, dict]]:
    """Ask each run to stop, saying why.

    A queued run ends here; a running or paused one ends cancelled at its next step
    (runner.py), with the reason. Returns the runs a training process has to end,
    and the final status events stored here, by run.
    """
    in_training, ended = [], {}
    for run_id, reason in reasons.items():
        with transaction.atomic():
            if not Run.objects.filter(pk=run_id, status__in=ACTIVE).update(stop_requested=True, stop_reason=reason, stop_status="cancelled"):
                continue
            if Run.objects.values_list("status", flat=True).get(pk=run_id) != "queued":
                in_training.append(run_id)
            elif (event := store.append_status(run_id, "cancelled", error=reason)) is not None:
                ended[run_id] = event
    return in_training, ended


def stop_abandoned(pause_limit: float, unwatched_grace: float) -> tuple[list[int], dict[int, dict]]:
    """Stop every abandoned run (see ``stop``)."""
    return stop({**unwatched(unwatched_grace), **paused_too_long(pause_limit)})
