"""Spares wait at the server's priority; a run yields the CPU, every thread of it, once its first report is out."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from playground.runs import store
from waiting import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

LONG = {"dataset": "spiral", "n_points": 2000, "batch_size": 1, "epochs": 5000, "hidden": [8, 8, 8]}


def thread_nices(pid: int) -> set[int]:
    """The nice value of each thread of a process (Linux keeps one per thread)."""
    nices = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        nices.add(int(fields[16]))  # field 19 of stat, counted after the command name
    return nices


def test_spares_keep_the_servers_priority_and_a_run_drops_to_the_lowest_after_its_first_report(executor, alice):
    wait_for(lambda: all(s.spare and s.spare.ready for s in executor.slots), timeout=60)
    server = os.getpriority(os.PRIO_PROCESS, 0)  # the executor runs in this process
    assert {nice for slot in executor.slots for nice in thread_nices(slot.spare.process.pid)} == {server}

    response = alice.post("/api/runs", {"task": "basics", "config": LONG}, content_type="application/json")
    run_id = response.json()["id"]
    wait_for(lambda: any(e["type"] == "metric" for e in store.events_after(run_id, 0, 1000)), timeout=60)
    slot = next(s for s in executor.slots if s.run_id == run_id)
    wait_for(lambda: thread_nices(slot.active.process.pid) == {19}, timeout=10)

    alice.post(f"/api/runs/{run_id}/cancel")
    wait_for(lambda: slot.run_id is None, timeout=60)
