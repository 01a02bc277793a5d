"""Which queued run trains next: oldest first, but no owner takes every slot."""
from __future__ import annotations

from collections import Counter

from playground.runs.models import Run


def per_owner_slots(total_slots: int) -> int:
    # With one slot an owner may use it; with more, one owner leaves at least one free for others.
    return max(1, total_slots - 1)


def next_run_id(total_slots: int, running_owner_keys: list[str]) -> int | None:
    """The queued run to start now, given the owners of the runs already training."""
    busy = Counter(running_owner_keys)
    cap = per_owner_slots(total_slots)
    queued = Run.objects.filter(status="queued").order_by("created", "pk").only("pk", "owner_id", "session_key")[:200]
    best, best_load = None, None
    for run in queued:
        load = busy[run.owner_key]
        if load >= cap:
            continue
        if best is None or load < best_load:
            best, best_load = run, load
            if load == 0:
                break
    return best.pk if best else None
