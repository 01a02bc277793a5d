"""Short jobs through HTTP and their socket: who may ask, every answer's status, streaming, and busy slots."""
from __future__ import annotations

import json
import time

import pytest
import torch
from channels.testing import WebsocketCommunicator

from playground.runs import store
from playground.runs.models import Run
from playground.runs.runner import checkpoint_dir
from playground.tasks import checkpoint
from waiting import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def post(client, url, body, **extra):
    return client.post(url, json.dumps(body) if not isinstance(body, str) else body, content_type="application/json", **extra)


def message(response) -> str:
    body = response.json()
    assert set(body) == {"errors"}, body
    return body["errors"][0]["message"]


def probe_run(client, saved: bool = True) -> Run:
    """A run of the test task owned by client's session, with a checkpoint unless told otherwise."""
    client.get("/api/csrf")  # the session starts
    client.session.save()
    run = Run.objects.create(task="probe", config={}, status="succeeded", session_key=client.session.session_key)
    if saved:
        model = torch.nn.Linear(2, 1)
        checkpoint.save_checkpoint(checkpoint_dir(run.pk), model, torch.optim.SGD(model.parameters(), lr=0.1), {}, {"step": 3})
    return run


def ask(client, run, kind, args=None, token=None):
    url = f"/api/runs/{run.pk}/jobs" + (f"?token={token}" if token else "")
    return post(client, url, {"kind": kind, "args": args or {}})


def test_the_owner_and_a_share_token_holder_get_an_answer_and_others_404(job_pool, alice, bob):
    run = probe_run(alice)
    mine = ask(alice, run, "echo", {"text": "hi", "parts": 2})
    assert mine.status_code == 200, mine.content
    assert mine.json()["kind"] == "echo" and mine.json()["result"]["text"] == "hi" and mine.json()["result"]["step"] == 3
    assert ask(bob, run, "echo", token=run.share_token).status_code == 200
    assert ask(bob, run, "echo").status_code == 404
    assert ask(bob, run, "echo", token="guess").status_code == 404


def test_bad_requests_get_a_4xx_with_a_sentence(job_pool, alice):
    run = probe_run(alice)
    unknown = ask(alice, run, "teleport")
    assert unknown.status_code == 400 and "its jobs: echo, misbehave" in message(unknown)
    bad_args = ask(alice, run, "echo", {"parts": "many"})
    assert bad_args.status_code == 400 and bad_args.json()["errors"][0]["path"] == "args.parts"
    assert ask(alice, run, "echo", {"parts": True}).status_code == 400
    assert ask(alice, run, "echo", {"colour": "red"}).status_code == 400
    assert post(alice, f"/api/runs/{run.pk}/jobs", {"args": {}}).status_code == 400
    assert post(alice, f"/api/runs/{run.pk}/jobs", "[1, 2").status_code == 400
    plain = alice.post(f"/api/runs/{run.pk}/jobs", "kind=echo", content_type="text/plain")
    assert plain.status_code == 415


def test_a_run_without_a_checkpoint_answers_409(job_pool, alice):
    run = probe_run(alice, saved=False)
    response = ask(alice, run, "echo")
    assert response.status_code == 409 and "no checkpoint yet" in message(response)


def test_a_task_failure_is_422_with_its_sentence(job_pool, alice):
    run = probe_run(alice)
    response = ask(alice, run, "misbehave", {"how": "fail"})
    assert response.status_code == 422 and message(response) == "the probe cannot answer that"
    crashed = ask(alice, run, "misbehave", {"how": "crash"})
    assert crashed.status_code == 422 and "ended unexpectedly" in message(crashed)


def test_a_job_past_its_time_limit_is_504_with_a_sentence(job_pool, alice):
    run = probe_run(alice)
    response = ask(alice, run, "misbehave", {"how": "sleep", "seconds": 30})
    assert response.status_code == 504 and "limit of 5 seconds" in message(response)
    assert ask(alice, run, "echo").status_code == 200  # the replacement answers


def test_a_busy_pool_is_429_with_a_sentence(job_pool, alice, monkeypatch):
    import threading

    run = probe_run(alice)
    monkeypatch.setattr(job_pool, "queue", 0)
    sleeper = threading.Thread(target=job_pool.run, args=({
        "task": "probe", "config": {}, "checkpoint_dir": str(checkpoint_dir(run.pk)), "kind": "misbehave",
        "args": {"how": "sleep", "seconds": 1.5}},))
    sleeper.start()
    wait_for(lambda: not job_pool._idle, timeout=5)
    response = ask(alice, run, "echo")
    sleeper.join()
    assert response.status_code == 429 and "try again in a few seconds" in message(response)


def test_without_a_pool_jobs_are_503(alice, monkeypatch):
    from playground.runs import jobs

    monkeypatch.setattr(jobs, "_pool", jobs.JobPool(workers=1, device="cpu"))  # never started
    run = probe_run(alice)
    response = ask(alice, run, "echo")
    assert response.status_code == 503 and "not available" in message(response)


async def socket(run, **query):
    from playground.asgi import application

    path = f"/ws/runs/{run.pk}/jobs/" + (f"?token={query['token']}" if query else "")
    communicator = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")])
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_the_socket_streams_parts_then_the_result(job_pool, bob):
    from asgiref.sync import sync_to_async

    run = await sync_to_async(probe_run)(bob)
    communicator = await socket(run, token=run.share_token)
    await communicator.send_json_to({"kind": "echo", "args": {"text": "streamed", "parts": 3}})
    received = [await communicator.receive_json_from(timeout=10) for _ in range(4)]
    assert received[:3] == [{"type": "part", "data": {"n": n}} for n in range(3)]
    assert received[3]["type"] == "result" and received[3]["data"]["text"] == "streamed"
    await communicator.send_json_to({"kind": "misbehave", "args": {"how": "fail"}})
    assert await communicator.receive_json_from(timeout=10) == {"type": "error", "message": "the probe cannot answer that"}
    await communicator.send_json_to({"kind": "echo", "args": {"parts": -1}})
    assert (await communicator.receive_json_from(timeout=10))["type"] == "error"
    await communicator.send_to(text_data="not json")
    assert "send a job as JSON" in (await communicator.receive_json_from(timeout=10))["message"]
    await communicator.disconnect()


async def test_the_socket_refuses_a_stranger(job_pool, bob):
    from asgiref.sync import sync_to_async

    run = await sync_to_async(probe_run)(bob)
    communicator = await socket(run)
    assert (await communicator.receive_output(timeout=5))["type"] == "websocket.close"
    await communicator.disconnect()


def test_a_basics_prediction_answers_while_every_training_slot_is_busy(executor, job_pool, alice, bob):
    quick = post(alice, "/api/runs", {"task": "basics", "config": {"dataset": "xor", "epochs": 20}}).json()["id"]
    wait_for(lambda: Run.objects.get(pk=quick).status == "succeeded", timeout=60)
    long = {"dataset": "spiral", "n_points": 2000, "batch_size": 1, "epochs": 5000, "hidden": [8, 8, 8]}
    # One owner may not take every slot: alice and bob each fill one.
    owners = {run_id: visitor for visitor in (alice, bob)
              for run_id in [post(visitor, "/api/runs", {"task": "basics", "config": long}).json()["id"]]}
    busy = list(owners)
    assert len(executor.slots) == len(busy)
    wait_for(lambda: all(store.last_seq(run_id) >= 3 for run_id in busy) and all(s.run_id in busy for s in executor.slots),
             timeout=60)
    try:
        asked = time.monotonic()
        response = ask(alice, Run.objects.get(pk=quick), "predict", {"points": [[2, 2], [-2, 2], [0.5, -0.5]]})
        took = time.monotonic() - asked
        assert response.status_code == 200, response.content
        result = response.json()["result"]
        assert result["problem"] == "classification" and len(result["probabilities"]) == 3
        assert all(abs(sum(row) - 1) < 1e-5 for row in result["probabilities"])
        assert took < 3.0
        assert all(Run.objects.get(pk=run_id).status == "running" for run_id in busy)
    finally:
        for run_id, visitor in owners.items():
            visitor.post(f"/api/runs/{run_id}/cancel")
        wait_for(lambda: all(Run.objects.get(pk=r).status == "cancelled" for r in busy), timeout=30)
