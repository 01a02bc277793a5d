"""``./layerlab worker``: this machine's training workers for the scale-out mode, one per GPU.

Each worker is a Celery worker (playground/celery.py, runs/celery_worker.py)
that sees one GPU (``CUDA_VISIBLE_DEVICES``), so a run's memory is that GPU's and a
crash takes one GPU's worker with it. With no GPU (or ``--cpu N``), N workers train
on the CPU. Under systemd, run one unit per GPU instead (docs/deploy.md); this
command is for a machine without a service manager: it passes SIGTERM and Ctrl-C
on to its workers (which finish their runs) and starts again a worker that died.

    ./layerlab worker               one worker per GPU that nvidia-smi lists, else one on the CPU
    ./layerlab worker --gpus 0,2    workers for GPUs 0 and 2
    ./layerlab worker --cpu 2       two CPU workers
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time


def visible_gpus() -> list[str]:
    if not shutil.which("nvidia-smi"):
        return []
    try:
        listing = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [str(i) for i, line in enumerate(line for line in listing.splitlines() if line.startswith("GPU "))]


def worker_command(name: str, slots: int = 1, loglevel: str = "INFO", queue: str | None = None) -> list[str]:
    """The command of one Celery training worker called ``name`` (its node name is ``name@host``)."""
    queue = queue or os.environ.get("LAYERLAB_CELERY_QUEUE", "layerlab-runs")
    return [sys.executable, "-m", "celery", "-A", "playground.celery", "worker",
            # One message per slot at a time; a solo pool trains in the worker's own process.
            "--pool", "solo" if slots == 1 else "threads", "--concurrency", str(slots), "--prefetch-multiplier", "1",
            "-n", f"{name}@%h", "-Q", queue, "--without-gossip", "--without-mingle", "-l", loglevel]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./layerlab worker", description=__doc__.split("\n\n")[0])
    parser.add_argument("--gpus", help="comma-separated GPU indices, one worker each (default: every GPU)")
    parser.add_argument("--cpu", type=int, default=0, metavar="N", help="N workers on the CPU instead")
    args = parser.parse_args(argv)
    slots = int(os.environ.get("LAYERLAB_WORKER_SLOTS", "1"))
    if args.cpu:
        plan = [(f"cpu{i}", {"LAYERLAB_DEVICE": "cpu", "CUDA_VISIBLE_DEVICES": ""}) for i in range(args.cpu)]
    else:
        gpus = args.gpus.split(",") if args.gpus else visible_gpus()
        plan = [(f"gpu{g}", {"CUDA_VISIBLE_DEVICES": g}) for g in gpus] or [("cpu0", {"LAYERLAB_DEVICE": "cpu"})]
    stopping = False
    children: dict[str, subprocess.Popen] = {}

    def start(name: str, env: dict[str, str]) -> None:
        print(f"layerlab: starting worker {name}", file=sys.stderr, flush=True)
        children[name] = subprocess.Popen(worker_command(name, slots), env={**os.environ, **env})

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for name, env in plan:
        start(name, env)
    while True:
        time.sleep(1)
        if stopping:
            if all(child.poll() is not None for child in children.values()):
                return 0
            continue
        for name, env in plan:
            if children[name].poll() is not None:
                print(f"layerlab: worker {name} exited ({children[name].returncode}); starting it again in 5 s",
                      file=sys.stderr, flush=True)
                time.sleep(5)
                if not stopping:
                    start(name, env)


if __name__ == "__main__":
    sys.exit(main())
