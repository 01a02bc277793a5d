"""Abandoned runs give their slot back: paused too long, or started by a page nobody has open any more."""
from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from playground.asgi import application
from playground.runs import abandoned, runner, store
from playground.runs.models import Run
from waiting import wait_for

# Tests that train commit their rows (training processes read them); the others keep theirs
# in a transaction, out of sight of an executor that another test started.
training = pytest.mark.django_db(transaction=True)

LONG = {"dataset": "spiral", "n_points": 2000, "batch_size": 1, "epochs": 5000, "hidden": [8, 8, 8]}
ORIGIN = [(b"origin", b"http://localhost:8000"), (b"host", b"localhost:8000")]


def start(client, config, **flags) -> int:
    response = client.post("/api/runs", {"task": "basics", "config": config, **flags}, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def run_of(run_id: int) -> Run:
    return Run.objects.get(pk=run_id)


def final_status(run_id: int) -> dict:
    return store.events_after(run_id, store.last_seq(run_id) - 1, 1)[0]["data"]


@pytest.mark.django_db
def test_a_queued_page_run_nobody_watches_is_cancelled_saying_why():
    page_run = store.create_run("basics", {"epochs": 1}, session_key="gone", stop_when_unwatched=True)
    script_run = store.create_run("basics", {"epochs": 1}, session_key="script")
    watched_run = store.create_run("basics", {"epochs": 1}, session_key="here", stop_when_unwatched=True)
    long_ago = timezone.now() - timedelta(seconds=120)
    Run.objects.filter(pk__in=[page_run.pk, script_run.pk]).update(watched_at=long_ago)

    in_training, ended = abandoned.stop_abandoned(pause_limit=600, unwatched_grace=60)

    assert in_training == [] and list(ended) == [page_run.pk]
    assert run_of(page_run.pk).status == "cancelled"
    assert final_status(page_run.pk) == {"status": "cancelled", "error": run_of(page_run.pk).error}
    assert "nobody watched the run for 60 seconds" in run_of(page_run.pk).error
    assert run_of(script_run.pk).status == "queued"  # scripts that did not ask are never stopped this way
    assert run_of(watched_run.pk).status == "queued"


@pytest.mark.django_db
def test_a_run_paused_past_the_limit_is_asked_to_stop_and_one_paused_briefly_is_not():
    paused_long, paused_now = (store.create_run("basics", {"epochs": 1}, session_key=name) for name in ("a", "b"))
    for run, since in ((paused_long, time.time() - 700), (paused_now, time.time() - 5)):
        store.claim_run(run.pk, worker="test")
        store.record_events({run.pk: [{"seq": 2, "type": "status", "step": None, "data": {"status": "paused"},
                                       "time": since}]})

    in_training, ended = abandoned.stop_abandoned(pause_limit=600, unwatched_grace=60)

    assert in_training == [paused_long.pk] and ended == {}
    row = run_of(paused_long.pk)
    assert row.stop_requested and row.stop_reason.startswith("the run was paused for longer than 10 minutes")
    assert not run_of(paused_now.pk).stop_requested


@training
@pytest.mark.slow
def test_a_paused_run_past_the_limit_ends_cancelled_with_the_reason(executor, alice, monkeypatch):
    monkeypatch.setattr(executor, "pause_limit", 1.0)
    run_id = start(alice, LONG)
    wait_for(lambda: run_of(run_id).status == "running" and store.last_seq(run_id) >= 3, timeout=60)
    alice.post(f"/api/runs/{run_id}/pause")
    wait_for(lambda: run_of(run_id).status in ("cancelled", "failed", "succeeded"), timeout=60)
    run = run_of(run_id)
    assert (run.status, run.error) == ("cancelled", "the run was paused for longer than 1 second, so it was stopped "
                                                    "to free its training slot")
    statuses = [e["data"]["status"] for e in store.events_after(run_id, 0, 100_000) if e["type"] == "status"]
    assert statuses[-2:] == ["paused", "cancelled"]


@training
@pytest.mark.slow
def test_a_run_the_server_stops_says_why_in_its_last_events():
    run = store.create_run("basics", LONG, session_key="gone")
    assert store.claim_run(run.pk, worker="this test")
    reason = "its page was closed: nobody watched the run for 60 seconds, so it was stopped"
    Run.objects.filter(pk=run.pk).update(stop_requested=True, stop_reason=reason, stop_status="cancelled")
    sent: list[dict] = []

    status = runner.execute_run(run.pk, lambda run_id, texts: sent.extend(json.loads(t) for t in texts), "cpu")

    assert status == "cancelled"
    assert sent[-1]["data"] == {"status": "cancelled", "error": reason}
    assert sent[-2]["type"] == "log" and sent[-2]["data"] == {"level": "warning", "message": f"Stopped: {reason}."}


@training
@pytest.mark.slow
async def test_a_page_run_lives_while_its_owner_watches_and_stops_when_the_page_goes(executor, alice, bob, settings,
                                                                                     monkeypatch):
    grace = 4.0
    settings.LAYERLAB_UNWATCHED_GRACE = grace  # the sockets' heartbeat: a second
    monkeypatch.setattr(executor, "unwatched_grace", grace)
    page_run = await sync_to_async(start)(alice, LONG, stop_when_unwatched=True)
    script_run = await sync_to_async(start)(bob, LONG)
    cookie = f"sessionid={alice.cookies['sessionid'].value}".encode()
    page = WebsocketCommunicator(application, f"/ws/runs/{page_run}/?after=0", headers=ORIGIN + [(b"cookie", cookie)])
    assert (await page.connect())[0]

    def both_training():
        return all(run_of(run_id).status == "running" and store.last_seq(run_id) >= 3
                   for run_id in (page_run, script_run))

    await sync_to_async(wait_for)(both_training, timeout=60)
    await asyncio.sleep(2 * grace)  # the point: longer than the grace, while the page watches
    assert (await sync_to_async(run_of)(page_run)).status == "running"

    await page.disconnect()
    await sync_to_async(wait_for)(lambda: run_of(page_run).status == "cancelled", timeout=60)
    run = await sync_to_async(run_of)(page_run)
    assert run.error == "its page was closed: nobody watched the run for 4 seconds, so it was stopped"
    assert (await sync_to_async(run_of)(script_run)).status == "running"
    await sync_to_async(bob.post)(f"/api/runs/{script_run}/cancel")
    await sync_to_async(wait_for)(lambda: run_of(script_run).status == "cancelled", timeout=60)
