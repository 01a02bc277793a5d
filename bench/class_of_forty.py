"""A class of forty: 40 students each submit small Basics runs and watch them over WebSockets.

    .venv/bin/python bench/class_of_forty.py                 both stacks, one after the other
    .venv/bin/python bench/class_of_forty.py --stack scaleout --runs-each 2

Against two stacks on this machine:

- **scaleout**: PostgreSQL, Redis, two Celery workers (one training slot each, on
  the CPU here) and two Daphne web nodes (tests/scaleout.py: its own database, queue
  and channel prefix); students alternate between the web nodes.
- **embedded**: the default, one Daphne process with SQLite, the in-memory layer
  and two local training slots (bench/site.py), so both stacks train two runs at once.

Each student is a browser-like visitor (its own session cookie and CSRF token): it
queues a run, opens a socket on its web node at once, reads events until the run's
final status, and queues the next. Figures:

- runs completed per minute: runs that succeeded / minutes from the first POST to the last final status;
- event latency: the time a socket read an event minus the time the training process
  emitted it (one clock: same machine), p50 and p99 over every event every socket read;
- events lost: stored events (read back from the API afterwards) that the run's socket
  never received, plus any received out of order or twice. Must be 0.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from websockets.asyncio.client import connect  # noqa: E402

from bench.site import Site  # noqa: E402
from scaleout import FINAL, ScaleOut, Visitor  # noqa: E402

CONFIG = {"epochs": 20, "grid_every": 10, "grid_size": 20}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def one_run(visitor: Visitor, ws_base: str) -> dict[str, Any]:
    run = await asyncio.to_thread(visitor.post_run, CONFIG)
    url = f"{ws_base}/ws/runs/{run['id']}/?token={run['share_token']}"
    received: list[tuple[int, float]] = []  # (seq, latency)
    async with connect(url, origin=visitor.url, max_size=None, compression=None) as socket:
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=600))
            now = time.time()
            events = message if isinstance(message, list) else [message]
            received += [(e["seq"], now - e["time"]) for e in events if e.get("time")]
            last = events[-1]
            if last["type"] == "status" and last["data"].get("status") in FINAL:
                return {"run": run, "received": received, "status": last["data"]["status"]}


async def student(url: str, runs_each: int) -> list[dict[str, Any]]:
    visitor = await asyncio.to_thread(Visitor, url)
    ws_base = url.replace("http://", "ws://")
    return [await one_run(visitor, ws_base) for _ in range(runs_each)]


def stored_seqs(visitor: Visitor, run: dict[str, Any]) -> list[int]:
    seqs: list[int] = []
    while True:
        _, page = visitor.call("GET", f"/api/runs/{run['id']}/events?after={seqs[-1] if seqs else 0}&limit=5000"
                                      f"&token={run['share_token']}")
        seqs += [e["seq"] for e in page["events"]]
        if not page["more"]:
            return seqs


async def the_class(urls: list[str], students: int, runs_each: int) -> tuple[list[dict[str, Any]], float]:
    started = time.monotonic()
    results = await asyncio.gather(*(student(urls[i % len(urls)], runs_each) for i in range(students)))
    return [r for rs in results for r in rs], time.monotonic() - started


def measure(name: str, urls: list[str], students: int, runs_each: int) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    runs, seconds = asyncio.run(the_class(urls, students, runs_each))
    checker = Visitor(urls[0])
    lost = disorder = 0
    latencies: list[float] = []
    for result in runs:
        got = [seq for seq, _ in result["received"]]
        stored = stored_seqs(checker, result["run"])
        # Events without a time (none today) are not in `got`; compare against those that have one.
        lost += len(set(stored) - set(got))
        disorder += sum(1 for a, b in zip(got, got[1:]) if b != a + 1)
        latencies += [latency for _, latency in result["received"]]
    succeeded = sum(1 for r in runs if r["status"] == "succeeded")
    return {
        "stack": name, "students": students, "runs": len(runs), "succeeded": succeeded,
        "seconds": round(seconds, 1), "runs_per_minute": round(succeeded / seconds * 60, 1),
        "events": len(latencies), "latency_p50_ms": round(percentile(latencies, 50) * 1000),
        "latency_p99_ms": round(percentile(latencies, 99) * 1000), "events_lost": lost, "out_of_order": disorder,
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }


def warm(urls: list[str]) -> None:
    """One run first, so both stacks are measured with their training processes ready."""
    asyncio.run(student(urls[0], 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", choices=("scaleout", "embedded", "both"), default="both")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--runs-each", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=CONFIG["epochs"])
    args = parser.parse_args()
    CONFIG["epochs"] = args.epochs
    limits = json.dumps({"anonymous": {"runs": 1000}})
    figures = []
    if args.stack in ("scaleout", "both"):
        with ScaleOut(workers=2, webs=2, env={"LAYERLAB_ROLE_LIMITS": limits}) as stack:
            warm(stack.urls)
            figures.append(measure("scale-out: 2 workers, 2 web nodes", stack.urls, args.students, args.runs_each))
            print(json.dumps(figures[-1]), flush=True)
    if args.stack in ("embedded", "both"):
        with Site(slots=2, device="cpu", env={"LAYERLAB_ROLE_LIMITS": limits}) as site:
            warm([site.url])
            figures.append(measure("embedded: 1 Daphne, 2 slots", [site.url], args.students, args.runs_each))
            print(json.dumps(figures[-1]), flush=True)
    print()
    print("| stack | runs | runs/min | event p50 | event p99 | events | lost | out of order | load avg |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for f in figures:
        print(f"| {f['stack']} | {f['succeeded']}/{f['runs']} | {f['runs_per_minute']} | {f['latency_p50_ms']} ms | "
              f"{f['latency_p99_ms']} ms | {f['events']} | {f['events_lost']} | {f['out_of_order']} | "
              f"{f['load_average'][0]} → {f['load_average'][1]} |")
    print("target: 0 events lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
