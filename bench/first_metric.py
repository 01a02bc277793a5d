"""How long after the click the first loss point arrives: POST /api/runs to the first metric on the WebSocket.

Run from the repository root:

    .venv/bin/python bench/first_metric.py                   # both cases, about 2 minutes on a 2-core CPU
    .venv/bin/python bench/first_metric.py --case cold --tries 10
    .venv/bin/python bench/first_metric.py --case loaded --burners 0 --device cuda

Two cases, each ``--tries`` times (default 5):

- **cold**: a fresh site each try (bench/site.py: new data directory, migrated,
  then daphne started); one second after its port first answers, the click. Then
  the site is stopped with SIGTERM to its process group, as ``kill -- -PID`` does,
  and the time until none of its processes is left is taken too.
- **loaded**: one site with one slot more than the machine has cores; every core
  trains another visitor's long run, and ``--burners`` processes (default: one per
  core, at normal priority, like ``stress-ng --cpu N``) keep the machine busy
  besides. Each try clicks on the free slot, reads the run to its end, and waits a
  second.

A click: take the time, post a Basics run (``--epochs``, default 20), open
``/ws/runs/ID/?after=0&token=SHARE_TOKEN`` as soon as the POST answers, and read to
the first ``metric`` event (then on to the run's end). Per try it prints, in seconds
after the click: the POST answered, the socket open, the run's "running" status
emitted (the server's clock: the run reached a training process), the first metric
emitted and received; then the median and max of the last, per case. It also prints
what queued status events the run got (a run that waits says why). It reports; it
does not fail.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from websockets.asyncio.client import connect  # noqa: E402

from bench.site import Site, is_final  # noqa: E402

TARGET = 1.5  # seconds
COLUMNS = ("posted", "open", "running", "metric emitted", "metric")
LONG = {"dataset": "spiral", "n_points": 2000, "batch_size": 1, "epochs": 5000, "hidden": [8, 8, 8]}


async def events_of(site: Site, run: dict[str, Any]):
    """Every event of a run, one at a time, from the start to its final status."""
    async with connect(site.ws_url(run), origin=site.origin, compression=None, max_size=None,
                       ping_interval=None, proxy=None) as socket:
        yield {"type": "open"}
        async for message in socket:
            batch = json.loads(message)
            for event in batch if isinstance(batch, list) else [batch]:
                yield event
                if is_final(event):
                    return


async def one_try(site: Site, config: dict[str, Any]) -> dict[str, Any]:
    """Times of one click's milestones, in seconds after it, and the queued statuses it got."""
    clicked = time.time()
    run = await asyncio.to_thread(site.post_run, config)
    times: dict[str, Any] = {"posted": time.time() - clicked, "queued": []}
    async for event in events_of(site, run):
        if event["type"] == "open":
            times["open"] = time.time() - clicked
        elif event["type"] == "status" and event["data"]["status"] == "queued":
            times["queued"].append({k: v for k, v in event["data"].items() if k != "status"})
        elif event["type"] == "status" and event["data"]["status"] == "running":
            times["running"] = event["time"] - clicked
        elif event["type"] == "metric" and "metric" not in times:
            times["metric emitted"] = event["time"] - clicked
            times["metric"] = time.time() - clicked
    return times  # read on to the end: the next try starts with this run finished


def print_try(number: int, times: dict[str, Any]) -> float:
    print(f"  {number:5d} " + " ".join(f"{times.get(name, math.nan):8.3f}" for name in COLUMNS)
          + f"   queued: {times['queued']}")
    return times.get("metric", math.inf)  # none: the socket ended without a metric


def header() -> None:
    print(f"  {'try':>5s} {'posted':>8s} {'open':>8s} {'running':>8s} {'emitted':>8s} {'metric':>8s}   (s after the click)")


def summary(name: str, firsts: list[float]) -> None:
    print(f"  {name}: first metric median {statistics.median(firsts):.3f} s, max {max(firsts):.3f} s "
          f"(target <= {TARGET:.1f} s)")


def cold(args, config: dict[str, Any]) -> None:
    print(f"cold: {args.tries} fresh sites, a Basics run {config} clicked 1 s after each first answers")
    header()
    firsts, answers, stops = [], [], []
    for number in range(1, args.tries + 1):
        with Site(slots=args.slots, device=args.device) as site:
            answers.append(site.answered_after)
            time.sleep(1.0)
            firsts.append(print_try(number, asyncio.run(one_try(site, config))))
        stops.append(site.gone_after if site.gone_after is not None else math.inf)
    print(f"  port answered after median {statistics.median(answers):.2f} s, max {max(answers):.2f} s "
          f"(daphne started to first answer)")
    print(f"  stopped (SIGTERM to the group until no process left): median {statistics.median(stops):.2f} s, "
          f"max {max(stops):.2f} s")
    summary("cold", firsts)


def burn() -> None:
    while True:
        pass


def loaded(args, config: dict[str, Any]) -> None:
    cores = os.cpu_count() or 1
    slots = args.slots or cores + 1
    burners = cores if args.burners is None else args.burners
    print(f"loaded: {cores} long runs training on a {slots}-slot site, {burners} CPU burners beside; "
          f"{args.tries} Basics runs {config} clicked on the free slot")
    burning = [multiprocessing.Process(target=burn, daemon=True) for _ in range(burners)]
    with Site(slots=slots, device=args.device, env={"LAYERLAB_RUN_QUOTA_ANONYMOUS": "100"}) as site:
        try:
            long_runs = [site.post_run(LONG) for _ in range(min(cores, slots - 1))]
            while not all(site.run(run)["status"] == "running" for run in long_runs):
                time.sleep(0.2)
            for process in burning:
                process.start()
            time.sleep(2.0)  # the burners and runs settle
            print(f"  load average now {os.getloadavg()[0]:.1f}")
            header()
            firsts = []
            for number in range(1, args.tries + 1):
                firsts.append(print_try(number, asyncio.run(one_try(site, config))))
                time.sleep(1.0)
            print(f"  load average now {os.getloadavg()[0]:.1f}")
        finally:
            for process in burning:
                if process.is_alive():
                    process.kill()
    summary("loaded", firsts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=("cold", "loaded", "both"), default="both")
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=20, help="epochs of each run (the Basics defaults otherwise)")
    parser.add_argument("--slots", type=int, default=None,
                        help="LAYERLAB_SLOTS; default: the site's default (cold), cores + 1 (loaded)")
    parser.add_argument("--burners", type=int, default=None, help="CPU burners in the loaded case; default: one per core")
    parser.add_argument("--device", default="auto", help="LAYERLAB_DEVICE of the site: auto, cpu, cuda ...")
    args = parser.parse_args()
    config = {"epochs": args.epochs}
    print(f"first_metric on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    if args.case in ("cold", "both"):
        cold(args, config)
    if args.case in ("loaded", "both"):
        loaded(args, config)


if __name__ == "__main__":
    main()
