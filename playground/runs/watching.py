"""An owner's open socket keeps the runs their page started alive: a heartbeat in the run's row.

Each web process keeps the set of runs that its owners' sockets watch and stamps
their ``watched_at`` every few seconds in one UPDATE. The executor needs only the
database to see which runs created with ``stop_when_unwatched`` nobody watches
any more (abandoned.py), however many web processes there are. Share-token
watchers do not count: a run belongs to its owner's page.
"""
from __future__ import annotations

import asyncio
from collections import Counter

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from playground.runs import access
from playground.runs.models import ACTIVE, Run

_watched: Counter[int] = Counter()
_heartbeat: asyncio.Task | None = None


def heartbeat_seconds() -> float:
    # A few beats per grace period, so that one late beat never stops a watched run.
    return max(0.5, min(15.0, settings.LAYERLAB_UNWATCHED_GRACE / 4))


def needs_owner(scope, run: Run) -> bool:
    """Whether this socket is its owner's, on an unfinished run that stops when unwatched.

    Read from the run the feed already loaded: a class watching by share link costs
    no database trip here.
    """
    return run.stop_when_unwatched and run.status in ACTIVE and access.owns_scope(scope, run)


@database_sync_to_async
def stamp(run_ids: list[int]) -> None:
    Run.objects.filter(pk__in=run_ids, status__in=ACTIVE).update(watched_at=timezone.now())


async def watch_as_owner(run_id: int) -> None:
    """Keep the run marked as watched for as long as this task runs (cancel it when the socket closes)."""
    global _heartbeat
    await stamp([run_id])
    _watched[run_id] += 1
    if _heartbeat is None or _heartbeat.done() or _heartbeat.get_loop() is not asyncio.get_running_loop():
        _heartbeat = asyncio.create_task(beat())
    try:
        await asyncio.get_running_loop().create_future()  # until the socket closes
    finally:
        _watched[run_id] -= 1
        if _watched[run_id] <= 0:
            del _watched[run_id]
        if not _watched and _heartbeat is not None:
            _heartbeat.cancel()


async def beat() -> None:
    while True:
        await asyncio.sleep(heartbeat_seconds())
        if _watched:
            await stamp(list(_watched))
