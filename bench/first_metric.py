"""How long after the click the first loss point arrives: POST /api/runs to the first metric on the WebSocket.

Run from the repository root:

    .venv/bin/python bench/first_metric.py                 # 5 tries, about 1 minute on a 2-core CPU
    .venv/bin/python bench/first_metric.py --tries 20 --device cuda

It starts the embedded site (bench/site.py) with its default slots, waits for the
spare training processes to warm, trains and finishes one throw-away run (so the
server's first-request costs are paid), and then, each try: takes the time, posts
a Basics run, opens ``/ws/runs/ID/?after=0&token=SHARE_TOKEN`` as soon as the POST
answers, and reads until the first ``metric`` event; then it lets the run finish
and waits for the site to go idle (a fresh spare warm) before the next try.

Figures, per try, in seconds from the moment before the POST: the POST answered,
the socket open, the run's "running" status emitted (the server's clock: the run
reached a training process), the first metric emitted, and the first metric
received; then the median and max of the last. It reports; it does not fail.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from websockets.asyncio.client import connect  # noqa: E402

from bench.site import Site, is_final  # noqa: E402

TARGET = 1.0  # seconds


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


async def one_try(site: Site, config: dict[str, Any]) -> dict[str, float]:
    """Times of one click's milestones, in seconds after it."""
    clicked = time.time()
    run = await asyncio.to_thread(site.post_run, config)
    times = {"posted": time.time() - clicked}
    async for event in events_of(site, run):
        if event["type"] == "open":
            times["open"] = time.time() - clicked
        elif event["type"] == "status" and event["data"]["status"] == "running":
            times["running"] = event["time"] - clicked
        elif event["type"] == "metric" and "metric" not in times:
            times["metric emitted"] = event["time"] - clicked
            times["metric"] = time.time() - clicked
    return times  # read on to the end: the next try starts with this run finished


async def throw_away(site: Site, config: dict[str, Any]) -> None:
    run = await asyncio.to_thread(site.post_run, config)
    async for _ in events_of(site, run):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=20, help="epochs of each run (the Basics defaults otherwise)")
    parser.add_argument("--slots", type=int, default=None, help="LAYERLAB_SLOTS; default: the site's default")
    parser.add_argument("--device", default="auto", help="LAYERLAB_DEVICE of the site: auto, cpu, cuda ...")
    args = parser.parse_args()
    config = {"epochs": args.epochs}

    print(f"first_metric: {args.tries} Basics runs {config}, each clicked on an idle site")
    with Site(slots=args.slots, device=args.device) as site:
        print(f"  site up at {site.url}; spares warm after {site.wait_idle():.0f} s")
        asyncio.run(throw_away(site, config))
        print(f"  throw-away run done; idle again after {site.wait_idle():.0f} s")
        print(f"  {'try':>5s} {'posted':>8s} {'open':>8s} {'running':>8s} {'emitted':>8s} {'metric':>8s}   (s after the click)")
        firsts = []
        for number in range(1, args.tries + 1):
            times = asyncio.run(one_try(site, config))
            firsts.append(times.get("metric", math.inf))  # none: the socket ended without a metric
            columns = ("posted", "open", "running", "metric emitted", "metric")
            print(f"  {number:5d} " + " ".join(f"{times.get(name, math.nan):8.3f}" for name in columns))
            site.wait_idle()
    print(f"  first metric: median {statistics.median(firsts):.3f} s, max {max(firsts):.3f} s (target <= {TARGET:.1f} s)")


if __name__ == "__main__":
    main()
