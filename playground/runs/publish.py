"""Put stored events on the wire: one channel-layer group per run."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from playground.runs.models import group_name

log = logging.getLogger(__name__)


def publish_events(run_id: int, events: list[dict[str, Any]], loop: asyncio.AbstractEventLoop | None = None) -> None:
    """Send events to the run's watchers; losing them is allowed, the store has them.

    ``loop`` is the server's event loop when the caller is a thread of the web
    process: the in-memory layer must only be used from that loop.
    """
    layer = get_channel_layer()
    if layer is None or not events:
        return
    message = {"type": "run.events", "events": events}
    if loop is not None:
        if loop.is_running():
            future = asyncio.run_coroutine_threadsafe(layer.group_send(group_name(run_id), message), loop)
            future.add_done_callback(_log_failure)
        return
    if isinstance(layer, InMemoryChannelLayer):
        return  # nobody in this process can be listening
    async_to_sync(layer.group_send)(group_name(run_id), message)


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("publishing events failed: %s", future.exception())
