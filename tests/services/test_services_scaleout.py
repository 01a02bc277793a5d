"""The scale-out stack for real: PostgreSQL, Redis, two Celery workers and two Daphne web nodes on this machine.

Runs from several visitors through both web nodes, trained by both workers on the CPU;
sockets on both web nodes; a worker killed mid-run. Skipped, saying why, where
PostgreSQL or Redis neither answer nor can be started here (tests/scaleout.py).
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections import Counter

import pytest

from playground.tasks.checkpoint import OPTIMIZER_JSON, file_name, read_state
from scaleout import FINAL, ScaleOut, Unavailable, wait_until

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.timeout(400)]

VISITORS, RUNS_EACH = 5, 4
# A second or two of training on one core: long enough that all twenty are queued before the first ones end.
SMALL = {"epochs": 10, "grid_every": 5, "grid_size": 20}
LIMITS = {"anonymous": {"runs": RUNS_EACH, "epochs": 1000}}


@pytest.fixture(scope="module")
def stack():
    try:
        with ScaleOut(workers=2, webs=2, env={"LAYERLAB_ROLE_LIMITS": json.dumps(LIMITS)}) as stack:
            yield stack
    except Unavailable as why:
        pytest.skip(f"the scale-out stack cannot run here: {why}")


async def watch(url: str) -> list[dict]:
    """Every event a socket is sent, in the order sent, until the run's final status."""
    import websockets

    seen: list[dict] = []
    async with websockets.connect(url, origin=url.replace("ws://", "http://").split("/ws/")[0], max_size=None) as socket:
        while not (seen and seen[-1]["type"] == "status" and seen[-1]["data"].get("status") in FINAL):
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=150))
            seen += message if isinstance(message, list) else [message]
    return seen


async def watch_all(urls: list[str]) -> list[list[dict]]:
    return await asyncio.gather(*(watch(url) for url in urls))


def test_twenty_runs_from_five_visitors_complete_in_fair_order_and_every_socket_sees_every_event(stack):
    visitors = [stack.visitor(web=i % 2) for i in range(VISITORS)]
    # Two other visitors' longer runs hold both workers while the class queues, so that the start
    # order below is the scheduler's alone, however slowly a busy machine answers the POSTs.
    blockers = [stack.visitor(web=i).post_run({"epochs": 80, "grid_every": 40, "grid_size": 20}) for i in (0, 1)]
    wait_until(lambda: all(stack.status(run["id"]) == "running" for run in blockers), 60, "both workers to be busy")
    runs, whose = [], {}
    for number, visitor in enumerate(visitors):  # each visitor's whole backlog, one visitor after another
        for _ in range(RUNS_EACH):
            run = visitor.post_run(SMALL)
            runs.append(run)
            whose[run["id"]] = number
    ids = [run["id"] for run in runs]
    # A socket on each web node for every run: most are still queued, so they see it all live.
    urls = [stack.ws_url(run, web) for run in runs for web in (0, 1)]
    seen = asyncio.run(watch_all(urls))

    finals = stack.wait_final(ids, timeout=60)
    assert set(finals.values()) == {"succeeded"}, (finals, stack.logs())

    rows = stack.sql("SELECT id, worker FROM runs_run WHERE id = ANY(%s) ORDER BY started, id", ids)
    starts = [whose[run_id] for run_id, _ in rows]
    assert len(set(starts[:VISITORS])) == VISITORS, f"visitors in start order: {starts}"
    assert all(count == 2 for count in Counter(starts[:2 * VISITORS]).values()), f"visitors in start order: {starts}"
    assert len({worker for _, worker in rows}) == 2, "both workers trained"

    for (run, web), events in zip([(run, web) for run in runs for web in (0, 1)], seen):
        stored = stack.stored_events(run["id"])
        assert [e["seq"] for e in events] == list(range(1, len(stored) + 1)), f"run {run['id']} on web node {web}"
        assert [(e["seq"], e["type"], e["data"]) for e in events] == [(e["seq"], e["type"], e["data"]) for e in stored]


def test_controls_and_continuing_work_through_either_web_node(stack):
    owner = stack.visitor(web=0)
    run = owner.post_run({"epochs": 1000, "grid_every": 100, "grid_size": 20})
    elsewhere = owner.at(stack.urls[1])
    wait_until(lambda: stack.status(run["id"]) == "running", 60, "the run to start")
    assert elsewhere.call("POST", f"/api/runs/{run['id']}/pause")[0] == 200
    wait_until(lambda: stack.status(run["id"]) == "paused", 20, "the run to pause")
    assert elsewhere.call("POST", f"/api/runs/{run['id']}/control", {"learning_rate": 0.01})[0] == 200
    assert owner.call("POST", f"/api/runs/{run['id']}/resume")[0] == 200
    wait_until(lambda: stack.status(run["id"]) == "running", 20, "the run to resume")
    time.sleep(1)  # a few steps at the new rate
    assert elsewhere.call("POST", f"/api/runs/{run['id']}/cancel")[0] == 200
    assert stack.wait_final([run["id"]], timeout=20)[run["id"]] == "cancelled"
    # The checkpoint it saved on the shared data directory has the optimiser at the new rate.
    directory = stack.data_dir / "media" / "runs" / str(run["id"]) / "checkpoint"
    optimizer = json.loads((directory / file_name(OPTIMIZER_JSON, read_state(directory)["generation"])).read_text())
    assert {group["lr"] for group in optimizer["param_groups"]} == {0.01}
    # A short job on its checkpoint, answered by the other web node's pool from the shared directory.
    status, answer = elsewhere.call("POST", f"/api/runs/{run['id']}/jobs",
                                    {"kind": "predict", "args": {"points": [[0.5, 0.5], [-1, 2]]}})
    assert status == 200 and answer["kind"] == "predict", answer
    status, child = owner.call("POST", f"/api/runs/{run['id']}/continue", {"epochs": 5})
    assert status == 201, child
    assert stack.wait_final([child["id"]], timeout=60)[child["id"]] == "succeeded", stack.logs()
    assert child["parent"] == run["id"]


def test_quotas_answer_429_with_a_sentence(stack):
    visitor = stack.visitor(web=1)
    status, answer = visitor.call("POST", "/api/runs", {"task": "basics", "config": {"epochs": 1001}})
    assert status == 429 and "at most 1000 epochs" in answer["errors"][0]["message"]
    long = {"epochs": 1000, "grid_every": 100, "grid_size": 20}
    runs = [visitor.post_run(long) for _ in range(RUNS_EACH)]
    status, answer = visitor.at(stack.urls[0]).call("POST", "/api/runs", {"task": "basics", "config": long})
    assert status == 429 and f"you already have {RUNS_EACH} runs queued or training" in answer["errors"][0]["message"]
    for run in runs:
        visitor.call("POST", f"/api/runs/{run['id']}/cancel")
    stack.wait_final([run["id"] for run in runs], timeout=30)


def test_a_worker_killed_mid_run_leaves_its_run_failed_within_a_minute_and_the_next_run_succeeds(stack):
    visitor = stack.visitor(web=0)
    run = visitor.post_run({"epochs": 1000, "grid_every": 100, "grid_size": 20})
    wait_until(lambda: any(e["type"] == "metric" for e in stack.stored_events(run["id"])), 60, "the run's first metric")
    worker = stack.sql("SELECT worker FROM runs_run WHERE id = %s", run["id"])[0][0]
    pid = int(worker.rsplit(":", 1)[1])
    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    status = stack.wait_final([run["id"]], timeout=60)[run["id"]]
    assert time.monotonic() - killed_at < 60
    assert status == "failed"
    error = stack.sql("SELECT error FROM runs_run WHERE id = %s", run["id"])[0][0]
    assert "stopped answering" in error, error
    # Its training process did not outlive it.
    wait_until(lambda: not [p for p in os.listdir("/proc") if p.isdigit() and _in_group(int(p), pid)], 20,
               "the killed worker's training process to end")
    following = visitor.post_run(SMALL)
    assert stack.wait_final([following["id"]], timeout=90)[following["id"]] == "succeeded", stack.logs()


def _in_group(pid: int, group: int) -> bool:
    try:
        return os.getpgid(pid) == group and pid != group
    except OSError:
        return False
