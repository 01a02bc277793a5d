"""The short-job pool: warm processes that answer jobs, and are replaced when they crash, run late or grow."""
from __future__ import annotations

import pytest
import torch

from playground.runs.jobs import (
    JobCrashed, JobFailed, JobPool, JobsBusy, JobTimedOut, JobTooBig, resident_bytes,
)
from playground.tasks import checkpoint

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pool():
    pool = JobPool(workers=1, device="cpu", seconds=3, memory_mb=4096, queue=1)
    pool.start()
    assert pool.wait_ready(timeout=60)
    yield pool
    pool.shutdown()


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    directory = tmp_path_factory.mktemp("checkpoint")
    model = torch.nn.Linear(2, 1)
    checkpoint.save_checkpoint(directory, model, torch.optim.SGD(model.parameters(), lr=0.1), {}, {"step": 5})
    return directory


def job(saved, kind, **args) -> dict:
    return {"task": "probe", "config": {}, "checkpoint_dir": str(saved), "kind": kind, "args": args}


def pid_of(pool) -> int:
    (proc,) = pool.processes()
    return proc.process.pid


def test_a_job_answers_and_streams_its_parts_in_order(pool, saved):
    parts = []
    result = pool.run(job(saved, "echo", text="hi", parts=3), parts.append)
    assert result["text"] == "hi" and result["step"] == 5
    assert parts == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert pool.run(job(saved, "echo"))["pid"] == result["pid"]  # the same warm process


def test_a_task_failure_keeps_the_process(pool, saved):
    before = pid_of(pool)
    with pytest.raises(JobFailed, match="the probe cannot answer that"):
        pool.run(job(saved, "misbehave", how="fail"))
    with pytest.raises(JobFailed, match="ValueError: a bug in the probe's job"):
        pool.run(job(saved, "misbehave", how="error"))
    assert pid_of(pool) == before


def test_a_crashed_process_is_replaced(pool, saved):
    before = pid_of(pool)
    with pytest.raises(JobCrashed, match="ended unexpectedly"):
        pool.run(job(saved, "misbehave", how="crash"))
    assert pid_of(pool) != before
    assert pool.run(job(saved, "echo", text="again"))["text"] == "again"


def test_a_job_past_its_time_limit_is_ended_and_its_process_replaced(pool, saved):
    before = pid_of(pool)
    with pytest.raises(JobTimedOut, match="limit of 3 seconds"):
        pool.run(job(saved, "misbehave", how="sleep", seconds=30))
    assert pid_of(pool) != before
    assert pool.run(job(saved, "echo", text="awake"))["text"] == "awake"


def test_a_job_past_the_memory_limit_is_ended_and_its_process_replaced(pool, saved):
    pool.run(job(saved, "echo"))  # a fresh process has answered once: its memory has settled
    before = pid_of(pool)
    limit, seconds = pool.memory_bytes, pool.seconds
    # Touching memory is slow on a crowded machine: a small margin, and time to pass it.
    pool.memory_bytes, pool.seconds = resident_bytes(before) + 40 * 2**20, 20
    try:
        with pytest.raises(JobTooBig, match="more than"):
            pool.run(job(saved, "misbehave", how="hog", megabytes=150, seconds=20))
    finally:
        pool.memory_bytes, pool.seconds = limit, seconds
    assert pid_of(pool) != before
    assert pool.run(job(saved, "echo", text="lighter"))["text"] == "lighter"


def test_jobs_past_the_queue_are_refused_at_once(pool, saved):
    import threading
    import time

    sleeper = threading.Thread(target=pool.run, args=(job(saved, "misbehave", how="sleep", seconds=1.5),))
    sleeper.start()
    time.sleep(0.3)
    waiter = threading.Thread(target=pool.run, args=(job(saved, "echo"),))
    waiter.start()  # waits for the process: the queue's one place
    time.sleep(0.2)
    asked = time.monotonic()
    with pytest.raises(JobsBusy, match="already waiting"):
        pool.run(job(saved, "echo"))
    assert time.monotonic() - asked < 0.5
    sleeper.join()
    waiter.join()
