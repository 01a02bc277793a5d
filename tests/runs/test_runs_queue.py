"""A queued run says where it stands: its position in the scheduler's order, and why when it waits for a process."""
from __future__ import annotations

import pytest

from playground.runs import queue, scheduler, store
from playground.runs.models import Run

pytestmark = pytest.mark.django_db


def queued_statuses(run_id: int) -> list[dict]:
    return [e["data"] for e in store.events_after(run_id, 0) if e["type"] == "status" and e["data"]["status"] == "queued"]


def create(session: str) -> Run:
    return store.create_run("basics", {"epochs": 1}, session_key=session)


def test_each_new_run_is_told_its_place_at_the_back_of_the_queue(alice):
    ids = [alice.post("/api/runs", {"task": "basics"}, content_type="application/json").json()["id"] for _ in range(3)]
    assert [queued_statuses(run_id) for run_id in ids] == [[{"status": "queued", "position": n}] for n in (1, 2, 3)]
    assert [alice.get(f"/api/runs/{run_id}").json()["queue_position"] for run_id in ids] == [1, 2, 3]


def test_a_visitor_already_training_goes_behind_the_others():
    alices = create("alice")
    assert store.claim_run(alices.pk, worker="test")
    waiting, bobs = create("alice"), create("bob")
    order = scheduler.queue_order(scheduler.running_owner_keys())
    assert [run_id for run_id, _ in order] == [bobs.pk, waiting.pk]
    assert scheduler.next_run_id(2, scheduler.running_owner_keys()) == bobs.pk
    Run.objects.filter(pk=bobs.pk).update(status="cancelled")
    # With two slots one visitor may train on one: Alice's second run waits for her first.
    assert scheduler.next_run_id(2, scheduler.running_owner_keys()) is None
    assert scheduler.next_run_id(3, scheduler.running_owner_keys()) == waiting.pk


def test_a_new_status_is_stored_only_when_the_position_or_the_reason_changes(alice):
    first, second, third = (create(name) for name in ("a", "b", "c"))

    announced = queue.announce(preparing=1)
    assert list(announced) == [first.pk]
    assert queued_statuses(first.pk)[-1] == {"status": "queued", "position": 1, "message": queue.PREPARING}
    assert queue.announce(preparing=1) == {}

    store.append_status(first.pk, "cancelled")
    announced = queue.announce(preparing=0)
    assert sorted(announced) == [second.pk, third.pk]
    assert queued_statuses(second.pk) == [{"status": "queued", "position": 2}, {"status": "queued", "position": 1}]
    assert queued_statuses(third.pk)[-1] == {"status": "queued", "position": 2}
    for run in (second, third):
        run.refresh_from_db()
        assert store.queue_position(run) == queued_statuses(run.pk)[-1]["position"]
    assert queue.announce(preparing=0) == {}


def test_a_run_that_left_the_queue_is_not_told_it_is_queued():
    run = create("a")
    assert store.claim_run(run.pk, worker="test")
    assert queue.record({run.pk: queue.queued_status(1, queue.PREPARING)}) == {}
    assert Run.objects.get(pk=run.pk).status == "running"
    assert queued_statuses(run.pk) == [{"status": "queued", "position": 1}]
