"""The local executor with real training processes: runs end, stop, fail and recover as promised."""
from __future__ import annotations

import os
import signal
import time

import pytest

from waiting import wait_for
from playground.runs import store
from playground.runs.local import LocalExecutor
from playground.runs.models import Run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

QUICK = {"dataset": "xor", "epochs": 20}
LONG = {"dataset": "spiral", "n_points": 2000, "batch_size": 1, "epochs": 5000, "hidden": [8, 8, 8]}


def start(client, config) -> int:
    response = client.post("/api/runs", {"task": "basics", "config": config}, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def status_of(run_id: int) -> str:
    return Run.objects.values_list("status", flat=True).get(pk=run_id)


def ended(run_id: int):
    def run_ended():
        return status_of(run_id) in ("succeeded", "failed", "cancelled")

    return run_ended


def status_changes(run_id: int) -> list[str]:
    """The statuses a run went through (a queued run may be told more than once where it stands)."""
    changes: list[str] = []
    for event in store.events_after(run_id, 0, 100_000):
        if event["type"] == "status" and event["data"]["status"] not in changes[-1:]:
            changes.append(event["data"]["status"])
    return changes


def seqs(run_id: int) -> list[int]:
    return [e["seq"] for e in store.events_after(run_id, 0, 100_000)]


def test_a_run_trains_to_success_with_contiguous_events(executor, alice):
    run_id = start(alice, QUICK)
    wait_for(ended(run_id), timeout=60)
    assert status_of(run_id) == "succeeded"
    events = store.events_after(run_id, 0, 100_000)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert status_changes(run_id) == ["queued", "running", "succeeded"]
    assert any(e["type"] == "metric" for e in events)


def test_cancel_stops_a_run_within_two_seconds(executor, alice):
    run_id = start(alice, LONG)
    wait_for(lambda: any(e["type"] == "metric" for e in store.events_after(run_id, 0, 1000)), timeout=60)
    asked = time.monotonic()
    assert alice.post(f"/api/runs/{run_id}/cancel").status_code == 200
    wait_for(ended(run_id), timeout=5, interval=0.02)
    assert time.monotonic() - asked < 2.0
    assert status_of(run_id) == "cancelled"
    assert seqs(run_id) == list(range(1, len(seqs(run_id)) + 1))


def test_a_killed_process_fails_its_run_and_the_next_run_succeeds(executor, alice):
    run_id = start(alice, LONG)
    wait_for(lambda: status_of(run_id) == "running" and store.last_seq(run_id) >= 3, timeout=60)
    slot = next(s for s in executor.slots if s.run_id == run_id)
    os.kill(slot.active.process.pid, signal.SIGKILL)
    wait_for(ended(run_id), timeout=60)
    run = Run.objects.get(pk=run_id)
    assert run.status == "failed"
    assert "SIGKILL" in run.error
    last = store.events_after(run_id, store.last_seq(run_id) - 1, 1)[0]
    assert last["data"] == {"status": "failed", "error": run.error}

    next_id = start(alice, QUICK)
    wait_for(ended(next_id), timeout=60)
    assert status_of(next_id) == "succeeded"


@pytest.mark.django_db  # in a transaction: an executor that another test started must not take the queued run
def test_runs_left_running_by_a_dead_server_fail_and_queued_ones_stay():
    running = store.create_run("basics", {"epochs": 10}, session_key="gone")
    assert store.claim_run(running.pk, worker="old-server")
    paused = store.create_run("basics", {"epochs": 10}, session_key="gone")
    store.claim_run(paused.pk, worker="old-server")
    Run.objects.filter(pk=paused.pk).update(status="paused")
    queued = store.create_run("basics", {"epochs": 10}, session_key="gone")
    Run.objects.filter(pk=queued.pk).update(status="queued", stop_requested=True)

    assert sorted(store.fail_interrupted_runs("the server restarted")) == [running.pk, paused.pk]
    for crashed in (running, paused):
        crashed.refresh_from_db()
        assert crashed.status == "failed" and crashed.error == "the server restarted"
        assert store.events_after(crashed.pk, 0)[-1]["data"] == {"status": "failed", "error": "the server restarted"}
    assert Run.objects.get(pk=queued.pk).status == "queued"
    store.append_status(queued.pk, "cancelled")


def test_a_starting_executor_recovers_interrupted_runs():
    running = store.create_run("basics", {"epochs": 10}, session_key="gone")
    store.claim_run(running.pk, worker="old-server")
    fresh = LocalExecutor(slots=1, device="cpu")
    fresh.start()
    try:
        running.refresh_from_db()
        assert running.status == "failed" and "restarted" in running.error
    finally:
        fresh.shutdown()


def test_pause_resume_and_a_new_learning_rate_reach_the_running_run(executor, alice):
    run_id = start(alice, LONG)
    wait_for(lambda: status_of(run_id) == "running" and store.last_seq(run_id) >= 3, timeout=60)
    alice.post(f"/api/runs/{run_id}/pause")
    def paused_event_stored():
        return store.events_after(run_id, store.last_seq(run_id) - 1, 1)[0]["data"].get("status") == "paused"

    wait_for(paused_event_stored, timeout=60)
    assert status_of(run_id) == "paused"
    paused_at = store.last_seq(run_id)
    time.sleep(0.5)
    assert store.last_seq(run_id) == paused_at  # nothing trains while paused
    alice.post(f"/api/runs/{run_id}/control", {"learning_rate": 0.5}, content_type="application/json")
    alice.post(f"/api/runs/{run_id}/resume")
    wait_for(lambda: status_of(run_id) == "running", timeout=60)
    alice.post(f"/api/runs/{run_id}/cancel")
    wait_for(ended(run_id), timeout=60)
    assert status_changes(run_id)[:5] == ["queued", "running", "paused", "running", "cancelled"]


def test_a_finished_run_continues_from_its_checkpoint(executor, alice):
    first = start(alice, QUICK)
    wait_for(ended(first), timeout=60)
    response = alice.post(f"/api/runs/{first}/continue", {"epochs": 5}, content_type="application/json")
    assert response.status_code == 201, response.content
    second = response.json()["id"]
    assert response.json()["parent"] == first
    wait_for(ended(second), timeout=60)
    assert status_of(second) == "succeeded"
    epochs = [e["data"]["epoch"] for e in store.events_after(second, 0, 100_000) if e["type"] == "metric"]
    # The count goes on from the parent's: its first point is where the parent stopped.
    assert min(epochs) == QUICK["epochs"] and max(epochs) == QUICK["epochs"] + 5


def test_a_run_over_the_time_limit_fails_saying_so(executor, alice, monkeypatch):
    monkeypatch.setattr(executor, "time_limit", 1)
    run_id = start(alice, LONG)
    wait_for(ended(run_id), timeout=60)
    run = Run.objects.get(pk=run_id)
    assert run.status == "failed"
    assert run.error == "the run was stopped after the time limit of 1 seconds"
    assert store.events_after(run_id, 0, 100_000)[-1]["data"] == {"status": "failed", "error": run.error}



def test_a_run_stops_at_its_owners_roles_time_limit(executor, alice, settings):
    settings.LAYERLAB_ROLE_LIMITS = {"anonymous": {"run_seconds": 1}}
    run_id = start(alice, LONG)
    wait_for(ended(run_id), timeout=60)
    run = Run.objects.get(pk=run_id)
    assert (run.status, run.error) == ("failed", "the run was stopped after the time limit of 1 seconds")

def test_a_run_that_records_too_many_events_ends_failed_keeping_what_it_recorded(executor, alice, settings):
    settings.LAYERLAB_RUN_MAX_EVENTS = 40
    run_id = start(alice, {**QUICK, "epochs": 60})  # about 200 events if nothing stopped it
    wait_for(ended(run_id), timeout=60)
    run = Run.objects.get(pk=run_id)
    assert run.status == "failed" and "the most one run may record (40 events" in run.error
    assert run.stop_requested and run.stop_reason == run.error  # the training process is told to stop
    wait_for(lambda: not executor.busy(), timeout=60)
    assert seqs(run_id) == list(range(1, 42))  # 40 events, then the end the store wrote in their place


def test_a_live_control_other_than_the_learning_rate_reaches_the_running_task_at_its_next_step(executor, alice):
    response = alice.post("/api/runs", {"task": "probe", "config": {"steps": 100_000, "report_every": 1, "step_seconds": 0.02}},
                          content_type="application/json")
    run_id = response.json()["id"]

    def metrics():
        return [e for e in store.events_after(run_id, 0, 100_000) if e["type"] == "metric"]

    wait_for(lambda: len(metrics()) >= 3, timeout=60)
    assert alice.post(f"/api/runs/{run_id}/control", {"level": 5}, content_type="application/json").status_code == 200
    asked_at = metrics()[-1]["step"]

    def told():
        return next((e for e in store.events_after(run_id, 0, 100_000) if e["type"] == "log" and "level 5" in e["data"]["message"]), None)

    log = wait_for(told, timeout=30)
    wait_for(lambda: metrics()[-1]["step"] > log["step"], timeout=30)
    alice.post(f"/api/runs/{run_id}/cancel")
    wait_for(ended(run_id), timeout=60)
    # The task has it from the step it read it on: every metric before says 0, every one from it on says 5.
    assert {m["data"]["level"] for m in metrics() if m["step"] < log["step"]} == {0}
    assert {m["data"]["level"] for m in metrics() if m["step"] >= log["step"]} == {5}
    # Read by the run's process within its polling interval: a few steps of 20 ms after the request.
    assert asked_at <= log["step"] <= asked_at + 40
