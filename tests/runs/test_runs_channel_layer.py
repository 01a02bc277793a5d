"""The embedded channel layer sweeps expired messages now and then, not on every receive."""
from __future__ import annotations

import gc
import importlib

import pytest

from playground.runs import channel_layer as layer_module
from playground.runs.channel_layer import SweepingInMemoryLayer


async def test_expired_messages_are_still_swept():
    layer = SweepingInMemoryLayer(expiry=-1)  # every message has expired as it is sent
    await layer.send("watcher.inmemory!a", {"type": "run.events"})
    layer._clean_expired()
    assert layer.channels == {}
    await layer.send("watcher.inmemory!b", {"type": "run.events"})
    layer._clean_expired()  # within the second: left for the next sweep
    assert list(layer.channels) == ["watcher.inmemory!b"]
    layer._swept -= layer_module.SWEEP_SECONDS
    layer._clean_expired()
    assert layer.channels == {}


async def test_receives_between_sweeps_do_not_scan_every_channel(monkeypatch):
    layer = SweepingInMemoryLayer()
    for i in range(3):
        await layer.send(f"watcher.inmemory!{i}", {"type": "run.events"})
    layer._clean_expired()  # a sweep, now
    monkeypatch.setattr("channels.layers.InMemoryChannelLayer._clean_expired",
                        lambda self: pytest.fail("swept again within a second"))
    assert await layer.receive("watcher.inmemory!0") == {"type": "run.events"}


def test_the_server_freezes_what_start_up_loaded(monkeypatch):
    monkeypatch.setenv("LAYERLAB_AUTOSTART", "0")
    gc.unfreeze()
    importlib.reload(importlib.import_module("playground.asgi"))
    assert gc.get_freeze_count() > 10_000
