"""How fast, and how completely, live events reach many watchers: 10 runs, 200 WebSocket clients.

Run from the repository root:

    .venv/bin/python bench/stream.py                       # 1 to 3 minutes on a 2-core CPU
    .venv/bin/python bench/stream.py --runs 1 --clients-per-run 500   # a class watching one run
    .venv/bin/python bench/stream.py --runs 20 --clients-per-run 20 --epochs 1500 --timeout 600

It starts the embedded site (bench/site.py) with one slot per run and a high
anonymous quota, waits for its spare training processes to warm, queues the runs
through ``POST /api/runs`` (Basics, every epoch reported, small pictures), then
opens the clients at once, all in this one asyncio process, each on
``/ws/runs/ID/?after=0&token=SHARE_TOKEN`` with the site's ``Origin``, and reads
until the run's final status (or until 10 s after the server says every run has
ended, or --timeout). A client whose connection fails or closes early connects
again with ``after=`` the last sequence number it has, as the page does.

Figures:
- latency of each live event (emitted after its client's connection opened): the
  client's clock on receipt minus the event's ``time``; p50, p90, p99 and max;
- events/s delivered to all clients together, and messages/s (a message is one
  event or a batch);
- per client, the stored events (``GET /api/runs/ID/events``) it did not get, and
  what it got twice or out of order; all must be 0 (a client that could not
  connect, or never got its run's final status, lost the rest);
- the connections: handshake times, and how many failed or closed early, and why;
- where the CPU went: the training processes, daphne, this client process, and how
  late this process's event loop ran (a late client inflates the latencies);
- how long other requests took meanwhile: a process of its own asks for
  ``GET /api/tasks`` and the Basics page in turn, a few times a second, while the
  clients stream (and a few times before, on the idle site, for comparison).
It reports; it does not fail. The site is stopped at the end, also on error.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import sys
import time
import urllib.request
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from websockets.asyncio.client import connect  # noqa: E402

from bench.site import FINAL, Site, is_final  # noqa: E402

TARGET_P99 = 0.100  # seconds
TARGET_OTHER_P99 = 0.5  # seconds, for other requests while the clients stream
OTHER_REQUESTS = ("/api/tasks", "/basics")


@dataclass
class Client:
    """What one WebSocket client saw, over all its connections."""

    run: dict[str, Any]
    connected: float = 0.0  # when its current connection opened; 0 before the first
    handshakes: list[float] = field(default_factory=list)  # seconds each successful one took
    failures: Counter = field(default_factory=Counter)  # why connections failed or ended early
    refused: int = 0  # handshakes that failed (no answer, an error status, a timeout)
    seqs: array = field(default_factory=lambda: array("l"))
    latencies: array = field(default_factory=lambda: array("d"))  # of live events, seconds
    emitted: array = field(default_factory=lambda: array("d"))  # when each of those was emitted
    first_connected: float = 0.0
    messages: int = 0
    last_receive: float = 0.0
    finished: bool = False


async def watch(site: Site, client: Client) -> None:
    """Read one run's stream to its final status, reconnecting after what it has, as the page does."""
    while True:
        after = client.seqs[-1] if client.seqs else 0
        asked = time.time()
        opened = False
        try:
            async with connect(site.ws_url(client.run, after), origin=site.origin, compression=None,
                               max_size=None, ping_interval=None, proxy=None) as socket:
                client.connected, opened = time.time(), True
                client.first_connected = client.first_connected or client.connected
                client.handshakes.append(client.connected - asked)
                async for message in socket:
                    received = time.time()
                    batch = json.loads(message)
                    batch = batch if isinstance(batch, list) else [batch]
                    client.messages += 1
                    client.last_receive = received
                    for event in batch:
                        client.seqs.append(event["seq"])
                        if event["time"] > client.connected:  # live, not read back from the store
                            client.latencies.append(received - event["time"])
                            client.emitted.append(event["time"])
                    if is_final(batch[-1]):
                        client.finished = True
                        return
                client.failures["closed before the final status"] += 1
        except Exception as error:  # one broken connection is a finding, not the end of the benchmark
            client.failures[f"{type(error).__name__}: {error}"] += 1
            client.refused += not opened
        await asyncio.sleep(min(5.0, 0.5 * sum(client.failures.values())))  # back off, as a browser would


class OtherRequests:
    """Times plain HTTP requests, one after another: what a visitor who is not watching waits.

    While the clients stream, the requests go from a process of their own, so that
    this busy process's own delays are not counted as the server's.
    """

    def __init__(self, url: str, pause: float = 0.2):
        self.url, self.pause = url, pause
        self.seconds: dict[str, list[float]] = {path: [] for path in OTHER_REQUESTS}
        self.asked: dict[str, list[float]] = {path: [] for path in OTHER_REQUESTS}  # when (time.time())
        self.failures: Counter = Counter()

    def sample(self, count: int) -> None:
        """Ask for each path ``count`` times, now, in this process."""
        for _ in range(count):
            for path in OTHER_REQUESTS:
                self.ask(path)

    def ask(self, path: str) -> None:
        start, asked = time.perf_counter(), time.time()
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                response.read()
            self.seconds[path].append(time.perf_counter() - start)
            self.asked[path].append(asked)
        except OSError as error:
            self.failures[f"{path}: {type(error).__name__}: {error}"] += 1

    def start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.halt = context.Event()
        self.answers, child = context.Pipe(duplex=False)
        self.process = context.Process(target=ask_until_halted, args=(self.url, self.pause, self.halt, child),
                                       daemon=True)
        self.process.start()

    def stop(self) -> None:
        self.halt.set()
        self.seconds, self.asked, self.failures = self.answers.recv()
        self.process.join()


def ask_until_halted(url: str, pause: float, halt, answers) -> None:
    """The requesting process: ask in turn until halted, then send back what it measured."""
    others = OtherRequests(url, pause)
    while not halt.is_set():
        for path in OTHER_REQUESTS:
            others.ask(path)
        halt.wait(pause)
    answers.send((others.seconds, others.asked, others.failures))


async def loop_lag(samples: array, stop: asyncio.Event, period: float = 0.01) -> None:
    """How late this process's event loop wakes up: the part of each latency that is the client's own."""
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(period)
        samples.append(time.perf_counter() - start - period)


async def runs_ended(site: Site, runs: list[dict[str, Any]]) -> None:
    """Return once the server says every run has ended."""
    while True:
        try:
            states = await asyncio.gather(*(asyncio.to_thread(site.run, run) for run in runs))
            if all(state["status"] in FINAL for state in states):
                return
        except OSError as error:  # a slow or refused answer under load: ask again
            print(f"  could not read the runs' status ({error}); asking again")
        await asyncio.sleep(1.0)


async def stream(site: Site, runs: list[dict[str, Any]], per_run: int, timeout: float,
                 grace: float = 10.0) -> tuple[list[Client], array, float]:
    """Watch every run with per_run clients until each sees its run end, or grace seconds after the runs ended."""
    clients = [Client(run) for run in runs for _ in range(per_run)]
    lag, stop = array("d"), asyncio.Event()
    ticker = asyncio.create_task(loop_lag(lag, stop))
    started = time.time()
    watchers = asyncio.gather(*(watch(site, c) for c in clients))
    ended = asyncio.create_task(runs_ended(site, runs))
    done, _ = await asyncio.wait({watchers, ended}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if watchers not in done and ended in done:
        done, _ = await asyncio.wait({watchers}, timeout=grace)
    if watchers not in done:
        waiting = sum(1 for c in clients if not c.finished)
        why = f"{grace:.0f} s after every run ended" if ended.done() else f"after {timeout:.0f} s"
        print(f"  {waiting} clients were still waiting for their run's final status {why}; stopped them")
        watchers.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watchers
    ended.cancel()
    stop.set()
    await ticker
    return clients, lag, started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def check(client: Client, stored: list[int]) -> Counter:
    """Events the client should have had but did not, duplicates, and steps back in sequence."""
    got = list(client.seqs)
    return Counter(lost=len(set(stored) - set(got)), duplicated=len(got) - len(set(got)),
                   backwards=sum(1 for a, b in zip(got, got[1:]) if b <= a))


def report(site: Site, clients: list[Client], lag: array, started: float, cpu: dict[str, float],
           idle: OtherRequests, busy: OtherRequests) -> None:
    runs = {c.run["id"]: c.run for c in clients}
    stored = {run_id: [e["seq"] for e in site.stored_events(run)] for run_id, run in runs.items()}
    faults = sum((check(c, stored[c.run["id"]]) for c in clients), Counter())
    latencies = [x for c in clients for x in c.latencies]
    all_connected = max((c.first_connected for c in clients), default=started)
    steady = [x for c in clients for x, t in zip(c.latencies, c.emitted) if t > all_connected]
    handshakes = [h for c in clients for h in c.handshakes]
    failures = sum((c.failures for c in clients), Counter())
    refused = sum(c.refused for c in clients)
    seconds = max(max((c.last_receive for c in clients), default=started) - started, 1e-9)
    delivered = sum(len(c.seqs) for c in clients)

    def ms(fraction: float, values: list[float] = latencies) -> str:
        return f"{1000 * percentile(values, fraction):.0f} ms"

    print(f"\n  stored events: {sum(map(len, stored.values())):,} in {len(stored)} runs; "
          f"streamed for {seconds:.1f} s to {len(clients)} clients")
    print(f"  delivered: {delivered:,} events ({len(latencies):,} live) = {delivered / seconds:,.0f} events/s "
          f"in {sum(c.messages for c in clients) / seconds:,.0f} messages/s")
    print(f"  live latency: p50 {ms(0.5)}, p90 {ms(0.9)}, p99 {ms(0.99)}, max {ms(1.0)}")
    print(f"  of events emitted once all {len(clients)} clients had connected ({all_connected - started:.1f} s in; "
          f"{len(steady):,} events): p50 {ms(0.5, steady)}, p90 {ms(0.9, steady)}, p99 {ms(0.99, steady)}, "
          f"max {ms(1.0, steady)}")
    print(f"  client event loop late by: p50 {1000 * percentile(list(lag), 0.5):.1f} ms, "
          f"p99 {1000 * percentile(list(lag), 0.99):.1f} ms, max {1000 * percentile(list(lag), 1.0):.0f} ms")
    print(f"  CPU seconds while streaming: training processes {cpu['site'] - cpu['daphne']:.1f}, "
          f"daphne {cpu['daphne']:.1f}, this client {cpu['client']:.1f} (over {seconds:.1f} s of wall time)")
    print(f"  connections: {len(handshakes)} opened, handshake p50 {percentile(handshakes, 0.5):.2f} s, "
          f"max {percentile(handshakes, 1.0):.2f} s; {refused} handshakes failed, "
          f"{sum(failures.values()) - refused} connections closed early; "
          f"{sum(1 for c in clients if not c.handshakes)} clients never connected")
    for error, count in failures.most_common(3):
        print(f"    {count} x {error}")
    print(f"  events lost {faults['lost']:,}, duplicated {faults['duplicated']}, out of order {faults['backwards']}; "
          f"{sum(1 for c in clients if not c.finished)} clients never got their run's final status; "
          f"{site.log_tail(lines=1_000_000).count('Traceback')} tracebacks in the server's log")
    for path in OTHER_REQUESTS:
        before, during = idle.seconds[path], busy.seconds[path]
        print(f"  GET {path} while streaming: {len(during)} answered, p50 {ms(0.5, during)}, p99 {ms(0.99, during)}, "
              f"max {ms(1.0, during)} (on the idle site: p50 {ms(0.5, before)}, max {ms(1.0, before)})")
    for error, count in (idle.failures + busy.failures).most_common(3):
        print(f"    {count} x {error}")
    others = [x for path in OTHER_REQUESTS for x in busy.seconds[path]]
    settled = [x for path in OTHER_REQUESTS for x, t in zip(busy.seconds[path], busy.asked[path]) if t > all_connected]
    print(f"  other requests asked once all {len(clients)} clients had connected: {len(settled)}, "
          f"p50 {ms(0.5, settled)}, p99 {ms(0.99, settled)}, max {ms(1.0, settled)}")
    print(f"  p99 {ms(0.99)} (target <= {1000 * TARGET_P99:.0f} ms); events lost {faults['lost']} (target 0); "
          f"handshakes failed {refused} (target 0); "
          f"other requests p99 {ms(0.99, others)} (target <= {1000 * TARGET_OTHER_P99:.0f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--clients-per-run", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=250, help="epochs per run: 30 to 50 s with 10 runs on 2 cores")
    parser.add_argument("--grid-every", type=int, default=10, help="epochs between pictures")
    parser.add_argument("--device", default="auto", help="LAYERLAB_DEVICE of the site: auto, cpu, cuda ...")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait, at most, for every client to see its run end")
    args = parser.parse_args()
    config = {"epochs": args.epochs, "emit_every": 1, "grid_every": args.grid_every, "grid_size": 20}

    print(f"stream: {args.runs} Basics runs {config}, {args.clients_per_run} WebSocket clients each")
    with Site(slots=args.runs, device=args.device, env={"LAYERLAB_RUN_QUOTA_ANONYMOUS": "1000"}) as site:
        print(f"  site up at {site.url}; spares warm after {site.wait_idle():.0f} s")
        idle, busy = OtherRequests(site.url), OtherRequests(site.url)
        idle.sample(5)
        cpu = {"site": site.cpu_seconds(), "daphne": site.cpu_seconds(server_only=True), "client": time.process_time()}
        runs = [site.post_run(config) for _ in range(args.runs)]
        busy.start()
        try:
            clients, lag, started = asyncio.run(stream(site, runs, args.clients_per_run, args.timeout))
        finally:
            busy.stop()
        cpu = {"site": site.cpu_seconds() - cpu["site"], "daphne": site.cpu_seconds(server_only=True) - cpu["daphne"],
               "client": time.process_time() - cpu["client"]}
        report(site, clients, lag, started, cpu, idle, busy)


if __name__ == "__main__":
    main()
