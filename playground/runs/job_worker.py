"""Entry point of a short-job process of the job pool (``jobs.py``).

Like a training spare it is forked from the fork server (``preload.py``), so it
starts with PyTorch and the tasks imported; unlike one it stays: it answers one
job after another, each a request ``(task, config, checkpoint_dir, kind, args)``
sent down its pipe, until the pool replaces it (a crash, its time limit, too
much memory) or the server stops. It never touches the database: the web
process sends everything a job needs.

Up the pipe it sends ``("ready", pid)`` once, then for each job any number of
``("part", data)`` and then ``("result", data)`` or ``("failure", sentence)``
(a TaskFailure's own sentence, or what went wrong, as the runner words it).
"""
from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import Any


def job_main(conn, index: int, device: str, threads: int) -> None:
    # Its own process group, so that the pool can kill it together with anything it started.
    os.setpgrp()
    import torch

    from playground.runs.runner import describe_failure, pick_device
    from playground.runs.worker import warm_up

    torch.set_num_threads(threads)
    chosen = pick_device(device, index)
    if chosen.startswith("cuda"):
        torch.cuda.set_device(torch.device(chosen))
    warm_up(torch, chosen)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            request = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if request is None:
            return
        try:
            conn.send(("result", answer(request, chosen, lambda data: conn.send(("part", data)))))
        except (BrokenPipeError, EOFError):
            return  # whoever asked is gone, and with it the pool
        except Exception as error:  # every failure is told to whoever asked; the process goes on
            if not is_task_failure(error):
                traceback.print_exc()
            conn.send(("failure", describe_failure(error)))


def answer(request: dict[str, Any], device: str, send) -> dict[str, Any]:
    """Run one job: the task's ``job`` on the run's checkpoint, with validated arguments."""
    from playground.tasks import get_task
    from playground.tasks.base import JobContext

    task = get_task(request["task"])
    config = task.Config.model_validate(request["config"])
    args = task.Jobs[request["kind"]].model_validate(request["args"])
    ctx = JobContext(
        config=config,
        checkpoint_dir=Path(request["checkpoint_dir"]),
        device=device,
        data_dir=Path(request["data_dir"]) if request.get("data_dir") else None,
        uploads_dir=Path(request["uploads_dir"]) if request.get("uploads_dir") else None,
        send=send,
    )
    # No inference mode here: a job may need gradients (saliency); the task decides.
    return task().job(request["kind"], args, ctx)


def is_task_failure(error: BaseException) -> bool:
    from playground.tasks.base import TaskFailure

    return isinstance(error, TaskFailure)
