"""How long a short job takes to answer: POST /api/runs/{id}/jobs for a Basics prediction, end to end.

Run from the repository root:

    .venv/bin/python bench/jobs.py                    # about a minute on a 2-core CPU
    .venv/bin/python bench/jobs.py --jobs 200 --points 1000 --device cuda

One site (bench/site.py) with ``--slots`` training slots (default 2) and the job
pool as configured (``LAYERLAB_JOB_WORKERS``, default 1). A short Basics run
trains to its end and saves its checkpoint; then ``--jobs`` predictions (default
50), one after another, each asking for ``--points`` random points of the plane
(default 100), are timed from the request to the whole answer:

- **idle**: nothing else trains;
- **busy**: every training slot trains another visitor's long run (the runs have
  sent their first reports, so they have dropped to their lowest priority).

It prints the median, 90th percentile and max of each, and the target line (a
job answers within a second, on a busy server too). It reports; it does not fail.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.site import Site  # noqa: E402

TARGET = 1.0  # seconds
QUICK = {"dataset": "xor", "epochs": 30}
LONG = {"dataset": "spiral", "n_points": 2000, "batch_size": 1, "epochs": 5000, "hidden": [8, 8, 8]}


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


def predict(site: Site, run: dict, points: list[list[float]]) -> float:
    """Seconds from sending one prediction to reading its whole answer."""
    body = json.dumps({"kind": "predict", "args": {"points": points}}).encode()
    request = urllib.request.Request(f"{site.url}/api/runs/{run['id']}/jobs?token={run['share_token']}", data=body,
                                     method="POST", headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read())
    took = time.perf_counter() - started
    assert len(answer["result"]["classes"]) == len(points), answer
    return took


def measure(site: Site, run: dict, jobs: int, points: int, rng: random.Random) -> list[float]:
    return [predict(site, run, [[rng.uniform(-6, 6), rng.uniform(-6, 6)] for _ in range(points)]) for _ in range(jobs)]


def summary(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return (f"{name:<5} median {statistics.median(ordered) * 1000:7.1f} ms   p90 {p90 * 1000:7.1f} ms   "
            f"max {ordered[-1] * 1000:7.1f} ms   ({len(ordered)} jobs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--slots", type=int, default=2)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()
    rng = random.Random(0)
    with Site(slots=args.slots, device=args.device) as site:
        run = site.post_run(QUICK)
        wait_for(lambda: site.run(run)["status"] == "succeeded", 120, "the quick run to succeed")
        measure(site, run, 3, args.points, rng)  # the job process's first answers load its kernels
        idle = measure(site, run, args.jobs, args.points, rng)
        long_runs = [site.post_run(LONG) for _ in range(args.slots)]  # each from a visitor of its own
        wait_for(lambda: all(site.run(r)["status"] == "running" and site.run(r)["last_seq"] >= 4 for r in long_runs),
                 120, "every slot to train")
        busy = measure(site, run, args.jobs, args.points, rng)
        still = sum(site.run(r)["status"] == "running" for r in long_runs)
    print(f"short jobs: Basics predict, {args.points} points each, {args.slots} training slots, device {args.device}")
    print(summary("idle", idle))
    print(summary("busy", busy) + f"   ({still} of {args.slots} slots still training at the end)")
    print(f"target: p90 <= {TARGET:.1f} s in both; {'met' if max(sorted(t)[int(0.9 * (len(t) - 1))] for t in (idle, busy)) <= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
