"""Entry point of a training process started by the local executor.

A spare process is forked from the executor's fork server (``preload.py``), which
has imported Django, PyTorch and the tasks once, so a spare is ready in a fraction
of a second. It sets its device up (on a GPU it creates the CUDA context), says
it is ready and waits for a run id. Then it trains that one run and exits, so the
memory it used, GPU memory included, goes back to the system.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from multiprocessing import forkserver
from typing import Any

# A run keeps the server's priority until its first report has left (or this long), so that
# a visitor's first point comes quickly on a busy machine; then it yields.
YIELD_AFTER_SECONDS = 2.0


def fork_context() -> multiprocessing.context.BaseContext:
    """The multiprocessing context whose processes are forked from the fork server of preload.py.

    Never a plain fork of the web process: it has threads, and CUDA cannot start in a
    forked child of a process that used it. The fork server has neither.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["playground.runs.preload"])
    return context


def start_fork_server() -> None:
    """Start the fork server now, so that it imports PyTorch while the web process starts too."""
    fork_context()
    forkserver.ensure_running()


def spare_main(conn, slot: int, device: str, threads: int, overrides: dict[str, Any]) -> None:
    # Its own process group, so that a cancel can kill it together with anything it started.
    os.setpgrp()
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

    yielded = threading.Event()
    timer = threading.Timer(YIELD_AFTER_SECONDS, yield_cpu, args=(yielded,))
    timer.daemon = True
    timer.start()

    def deliver(run_id: int, texts: list[str]) -> None:
        conn.send(("events", run_id, texts))
        if not yielded.is_set() and any(is_metric(text) for text in texts):
            yield_cpu(yielded)

    runner.execute_run(run_id, deliver, chosen)


def is_metric(text: str) -> bool:
    # Events arrive encoded by store.encode_event: {"seq":N,"type":"metric",...}
    return '"type":"metric"' in text[:40]


def yield_cpu(done: threading.Event) -> None:
    """Drop every thread of this process to the lowest CPU priority.

    Training yields to the web process: pages, sockets and the event relay stay quick when
    every core trains. At 19, ten busy slots together weigh a seventh of the server's one
    thread. On Linux a priority belongs to a thread, so each one is set; threads started
    later inherit it.
    """
    if done.is_set():
        return
    done.set()
    set_priority(os.getpid(), 19)


def set_priority(pid: int, nice: int) -> None:
    """Give every thread of a process this nice value, as far as the system allows it."""
    try:
        threads = [int(tid) for tid in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        threads = [pid]  # no /proc: the process's main thread
    for tid in threads:
        try:
            os.setpriority(os.PRIO_PROCESS, tid, nice)
        except OSError:
            pass  # gone, or raising a priority needs privileges the server lacks


def warm_up(torch, device: str) -> None:
    """Take one optimiser step now; on a CPU its imports are already done (preload.py), on a GPU it loads kernels."""
    layer = torch.nn.Linear(2, 1, device=device)
    optimizer = torch.optim.Adam(layer.parameters())
    layer(torch.zeros(1, 2, device=device)).sum().backward()
    optimizer.step()


def kill_group(process: multiprocessing.process.BaseProcess) -> None:
    """Kill a process started here together with its process group (it made one of its own)."""
    if process.pid is None or process.exitcode is not None:
        return
    # A killed process still has to run to exit: at nice 19 beside busy programs that took
    # 4-5 s. It gets the server's priority back first, where the system allows it.
    set_priority(process.pid, os.getpriority(os.PRIO_PROCESS, 0))
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            process.kill()
        except OSError:
            pass
