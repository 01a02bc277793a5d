"""Which queued run trains next: oldest first, but no owner takes every slot."""
from __future__ import annotations

from collections import Counter

from playground.runs.models import Run


def per_owner_slots(total_slots: int) -> int:
    # With one slot an owner may use it; with more, one owner leaves at least one free for others.
    return max(1, total_slots - 1)


def running_owner_keys() -> list[str]:
    """The owners of the runs in training processes now, one entry per run."""
    return [run.owner_key for run in Run.objects.filter(status__in=("running", "paused")).only("owner_id", "session_key")]


def queue_order(running_owner_keys: list[str]) -> list[tuple[int, int]]:
    """Every queued run as (run id, its owner's load), in the order the runs will start.

    The next run is always the oldest of those whose owner trains the fewest runs;
    taking that rule again and again puts an owner's k-th queued run at load
    (runs training) + k, so the order is by that load, then by age.
    """
    busy = Counter(running_owner_keys)
    ahead: Counter[str] = Counter()
    loads = []
    for run in Run.objects.filter(status="queued").order_by("created", "pk").only("pk", "owner_id", "session_key"):
        key = run.owner_key
        loads.append((busy[key] + ahead[key], run.pk))
        ahead[key] += 1
    return [(run_id, load) for load, run_id in sorted(loads, key=lambda item: item[0])]


def next_run_id(total_slots: int, running_owner_keys: list[str]) -> int | None:
    """The queued run to start now, given the owners of the runs already training."""
    order = queue_order(running_owner_keys)
    if order and order[0][1] < per_owner_slots(total_slots):
        return order[0][0]
    return None
