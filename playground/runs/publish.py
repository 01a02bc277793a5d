"""Put stored events on the wire: one channel-layer group per run.

A message carries a run's consecutive events already encoded as JSON text, so a
batch is encoded once however many browsers watch it.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from playground.runs import store
from playground.runs.models import group_name

log = logging.getLogger(__name__)


def run_message(first: int, texts: list[str], ended: bool) -> dict[str, Any]:
    """Events first, first + 1, ... as encoded text; ``ended`` when the last is the run's final status."""
    return {"type": "run.events", "first": first, "texts": texts, "ended": ended}


def events_message(events: list[dict[str, Any]]) -> dict[str, Any]:
    return run_message(events[0]["seq"], [store.encode_event(e) for e in events], store.is_end(events[-1]))


def publish_events(run_id: int, events: list[dict[str, Any]], loop: asyncio.AbstractEventLoop | None = None) -> None:
    if events:
        publish([(run_id, events_message(events))], loop)


def publish(messages: list[tuple[int, dict[str, Any]]], loop: asyncio.AbstractEventLoop | None = None) -> None:
    """Send each run's message to its watchers; losing one is allowed, the store has its events.

    ``loop`` is the server's event loop when the caller is a thread of the web
    process: the in-memory layer must only be used from that loop, and one hop
    to it carries every message.
    """
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    if loop is not None:
        if loop.is_running():
            future = asyncio.run_coroutine_threadsafe(send_all(layer, messages), loop)
            future.add_done_callback(_log_failure)
        return
    if isinstance(layer, InMemoryChannelLayer):
        return  # nobody in this process can be listening
    try:
        async_to_sync(send_all)(layer, messages)
    except Exception:
        log.warning("publishing events failed", exc_info=True)


async def send_all(layer, messages: list[tuple[int, dict[str, Any]]]) -> None:
    for run_id, message in messages:
        await layer.group_send(group_name(run_id), message)


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("publishing events failed: %s", future.exception())
