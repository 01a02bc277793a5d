"""Entry point of a training process spawned by the local executor.

A spare process starts early, imports PyTorch and Django and (on a GPU) wakes
CUDA, then waits for a run id. Then it trains that one run and exits, so the
memory it used, GPU memory included, goes back to the system.
"""
from __future__ import annotations

import os
from typing import Any


def spare_main(conn, slot: int, device: str, threads: int, overrides: dict[str, Any]) -> None:
    # Its own process group, so that a cancel can kill it together with anything it started.
    os.setpgrp()
    # Training yields to the web process: pages, sockets and the event relay stay quick when
    # every core trains. At 19, ten busy slots together weigh a seventh of the server's one thread.
    os.nice(19)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
    import django
    from django.conf import settings

    django.setup()
    database = overrides.pop("DATABASE_NAME", None)
    if database:
        settings.DATABASES["default"]["NAME"] = database
    for name, value in overrides.items():
        setattr(settings, name, value)

    import torch

    from playground.runs import runner

    # Slots share the CPU: more threads per run than cores per slot only adds contention.
    torch.set_num_threads(threads)
    chosen = runner.pick_device(device, slot)
    if chosen.startswith("cuda"):
        torch.cuda.set_device(torch.device(chosen))
        torch.zeros(1, device=chosen)  # create the CUDA context now, not on the run's first step
    warm_up(torch, chosen)
    conn.send(("ready", os.getpid()))
    try:
        run_id = conn.recv()
    except (EOFError, KeyboardInterrupt):
        return
    if run_id is None:
        return

    def deliver(run_id: int, texts: list[str]) -> None:
        conn.send(("events", run_id, texts))

    runner.execute_run(run_id, deliver, chosen)


def warm_up(torch, device: str) -> None:
    """Take one optimiser step now: the first one imports torch's compiler stack (about a second)."""
    layer = torch.nn.Linear(2, 1, device=device)
    optimizer = torch.optim.Adam(layer.parameters())
    layer(torch.zeros(1, 2, device=device)).sum().backward()
    optimizer.step()
