"""A class watching one run through real sockets: every handshake answered, every event to each, once, in order."""
from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import connect

from served import call, served_site

pytestmark = pytest.mark.slow

WATCHERS = 80
FINAL = ("succeeded", "failed", "cancelled")


async def watch(url: str, run: dict) -> list[dict]:
    """One watcher's whole stream, from the first event to the run's final status; any failure fails the test."""
    address = url.replace("http://", "ws://") + f"/ws/runs/{run['id']}/?after=0&token={run['share_token']}"
    events: list[dict] = []
    async with connect(address, origin=url, open_timeout=120, ping_interval=None, max_size=None, proxy=None) as socket:
        async for message in socket:
            batch = json.loads(message)
            events += batch if isinstance(batch, list) else [batch]
            if events[-1]["type"] == "status" and events[-1]["data"]["status"] in FINAL:
                return events
    raise AssertionError(f"the socket closed after {len(events)} events, before the run's final status")


async def watch_together(url: str, run: dict) -> list[list[dict]]:
    return await asyncio.wait_for(asyncio.gather(*(watch(url, run) for _ in range(WATCHERS))), timeout=600)


def test_eighty_watchers_of_one_running_run_each_get_every_event(tmp_path):
    # A cap far below the watchers: the loopback address is not capped (LAYERLAB_UNCAPPED_ADDRESSES).
    settings = {"LAYERLAB_SLOTS": "1", "LAYERLAB_DEVICE": "cpu", "LAYERLAB_MAX_CONNECTIONS_PER_ADDRESS": "10"}
    with served_site(tmp_path, **settings) as url:
        run = call(f"{url}/api/runs", {"task": "basics", "config": {"epochs": 60, "emit_every": 1, "grid_every": 5}})
        streams = asyncio.run(watch_together(url, run))
        stored = call(f"{url}/api/runs/{run['id']}/events?after=0&limit=5000&token={run['share_token']}")["events"]
    assert stored[-1]["data"]["status"] == "succeeded"
    for events in streams:
        assert events == stored
