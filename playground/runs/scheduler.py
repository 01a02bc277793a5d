"""Which queued run trains next: the visitor with the fewest runs training, then the one who had a
device least recently, first come first served within a visitor; and no owner takes every slot."""
from __future__ import annotations

from collections import Counter

from django.db.models import Max, Q

from playground.runs.models import Run

LATER = 1e12  # a timestamp past any real one


def per_owner_slots(total_slots: int) -> int:
    # With one slot an owner may use it; with more, one owner leaves at least one free for others.
    return max(1, total_slots - 1)


def running_owner_keys() -> list[str]:
    """The owners of the runs in training processes now, one entry per run."""
    return [run.owner_key for run in Run.objects.filter(status__in=("running", "paused")).only("owner_id", "session_key")]


def last_device_use(runs: list[Run]) -> dict[str, float]:
    """When each of these runs' owners last had a run start on a device (a timestamp; absent: never)."""
    users = {run.owner_id for run in runs if run.owner_id}
    sessions = {run.session_key for run in runs if not run.owner_id}
    if not runs:
        return {}
    rows = (Run.objects.filter(started__isnull=False)
            .filter(Q(owner_id__in=users) | Q(owner__isnull=True, session_key__in=sessions))
            .values("owner_id", "session_key").annotate(last=Max("started")).order_by())
    used: dict[str, float] = {}
    for row in rows:
        key = f"user:{row['owner_id']}" if row["owner_id"] else f"session:{row['session_key']}"
        used[key] = max(used.get(key, 0.0), row["last"].timestamp())
    return used


def queue_order(running_owner_keys: list[str]) -> list[tuple[int, int]]:
    """Every queued run as (run id, its owner's load), in the order the runs will start.

    The next run is always the oldest of those whose owner trains the fewest runs,
    and among owners who train as few, of the one whose last run started longest
    ago (one who never trained first). Taking that rule again and again puts an
    owner's k-th queued run at load (runs training) + k, so the order is by that
    load, then by the owner's last start, then by age: a visitor's backlog never
    holds back another visitor's first run.
    """
    busy = Counter(running_owner_keys)
    ahead: Counter[str] = Counter()
    queued = list(Run.objects.filter(status="queued").order_by("created", "pk").only("pk", "owner_id", "session_key"))
    used = last_device_use(queued)
    keys = []
    for age, run in enumerate(queued):
        key = run.owner_key
        # An owner's later queued runs come after the earlier one has started: their owner will
        # then have had a device most recently of all, so they go after those of equal load.
        recency = used.get(key, 0.0) if not ahead[key] else LATER + age
        keys.append(((busy[key] + ahead[key], recency, age), run.pk))
        ahead[key] += 1
    keys.sort(key=lambda item: item[0])
    return [(run_id, sort_key[0]) for sort_key, run_id in keys]


def next_run_id(total_slots: int, running_owner_keys: list[str]) -> int | None:
    """The queued run to start now, given the owners of the runs already training."""
    order = queue_order(running_owner_keys)
    if order and order[0][1] < per_owner_slots(total_slots):
        return order[0][0]
    return None
