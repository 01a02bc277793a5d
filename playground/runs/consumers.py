"""The WebSocket a browser watches a run through: stored events first, then live ones.

The consumer remembers the last sequence number it sent. Live batches that
overlap are trimmed; a batch that starts past a gap (the channel layer dropped
something) makes it read the gap back from the store. So a client gets every
event exactly once, in order, however often it reconnects.
"""
from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

from playground.runs import access, store, watching
from playground.runs.models import TERMINAL, Run, group_name

PAGE = 1000
# With no live message for this long, a watcher of an unfinished run looks in the store: the
# layer may have dropped the run's last messages, after which no later batch reveals the gap.
QUIET_SECONDS = 1.0


@database_sync_to_async
def open_stream(scope, run_id: int, token: str, after: int) -> tuple[bool, bool, list[dict]]:
    """Whether this visitor may watch the run, whether it has ended, and its first stored page after ``after``.

    One trip to the database thread: when a class of browsers connects at once,
    each connection waits for that thread once, not three times.
    """
    run = Run.objects.filter(pk=run_id).first()
    if run is None or not access.may_view_scope(scope, run, token):
        return False, False, []
    return True, run.status in TERMINAL, store.events_after(run_id, after, PAGE)


@database_sync_to_async
def stored_events(run_id: int, after: int) -> list[dict]:
    return store.events_after(run_id, after, PAGE)


class RunConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        query = parse_qs(self.scope.get("query_string", b"").decode())
        self.run_id = int(self.scope["url_route"]["kwargs"]["run_id"])
        try:
            self.sent = max(0, int(query.get("after", ["0"])[0]))
        except ValueError:
            self.sent = 0
        token = query.get("token", [""])[0]
        self.ended = False
        self.last_live = asyncio.get_running_loop().time()
        # Join before reading the store, so that nothing published in between is missed.
        self.group = group_name(self.run_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        allowed, self.ended, events = await open_stream(self.scope, self.run_id, token, self.sent)
        await self.accept()
        if not allowed:
            await self.close(code=4404)
            return
        if await self.send_page(events):
            await self.send_stored()
        if not self.ended:
            self.watchdog = asyncio.create_task(self.look_in_store_when_quiet())
            self.owner_watch = asyncio.create_task(watching.watch_as_owner(self.scope, self.run_id))

    async def dispatch(self, message):
        # Channels closes stale database connections before every handler: a hop to its one
        # database thread per message, which queues each live batch behind every other
        # watcher's. This consumer reaches the database only through database_sync_to_async,
        # which closes them itself, so its handlers run directly.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code):
        if hasattr(self, "watchdog"):
            self.watchdog.cancel()
        if hasattr(self, "owner_watch"):
            self.owner_watch.cancel()
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def look_in_store_when_quiet(self) -> None:
        loop = asyncio.get_running_loop()
        while not self.ended:
            await asyncio.sleep(QUIET_SECONDS)
            if loop.time() - self.last_live >= QUIET_SECONDS:
                # Hand the read to the consumer's own queue so it never interleaves with a live batch.
                await self.channel_layer.send(self.channel_name, {"type": "run.catch_up"})

    async def run_catch_up(self, message):
        await self.send_stored()

    async def receive(self, text_data=None, bytes_data=None):
        pass  # watchers only listen; controls go through the HTTP API

    async def run_events(self, message):
        self.last_live = asyncio.get_running_loop().time()
        first, texts = message["first"], message["texts"]
        last = first + len(texts) - 1
        if not texts or last <= self.sent:
            return
        if first > self.sent + 1:
            await self.send_stored(up_to=first - 1)
        fresh = texts[max(0, self.sent + 1 - first):]
        if fresh:
            await self.send_texts(last, fresh, message["ended"])

    async def send_stored(self, up_to: int | None = None) -> None:
        more = True
        while more:
            events = await stored_events(self.run_id, self.sent)
            if up_to is not None:
                events = [e for e in events if e["seq"] <= up_to]
            more = await self.send_page(events)

    async def send_page(self, events: list[dict]) -> bool:
        """Send a page of stored events; True when it was full, so the store may hold more."""
        if events:
            await self.send_texts(events[-1]["seq"], [store.encode_event(e) for e in events], store.is_end(events[-1]))
        return len(events) == PAGE

    async def send_texts(self, last: int, texts: list[str], ended: bool) -> None:
        """Events up to seq ``last``, already encoded: one alone, several as a JSON list."""
        self.sent = last
        self.ended = self.ended or ended
        await self.send(text_data=texts[0] if len(texts) == 1 else "[" + ",".join(texts) + "]")
