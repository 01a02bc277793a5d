"""The WebSocket a browser watches a run through: stored events first, then live ones.

The socket takes its events from the process's feed of the run
(``runs/feed.py``), which reads the store and the channel layer once for every
socket watching that run. The socket remembers only the last sequence number it
sent, so a client gets every event exactly once, in order, however often it
reconnects with ``?after=N``.
"""
from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs

from channels.auth import get_user
from channels.db import database_sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

from playground.runs import access, feed, watching
from playground.runs.errors import ApiError
from playground.runs.jobs import JobError, get_job_pool, job_request
from playground.runs.models import Run


async def may_watch(scope, run, token: str) -> bool:
    """Whether this socket may watch the run.

    The session arrives with the socket, unread. A public run, or one shared by link
    with its token, lets the socket in without looking anyone up, so a class opening
    one shared run costs no trip to the database thread per socket; otherwise the
    signed-in user is looked up for the owner's and the classroom's checks.
    """
    if access.open_to(run, token):
        return True
    if run.owner_id is None and access.owns_scope(scope, run):
        return True
    scope["user"] = await get_user(scope)
    if access.owns_scope(scope, run):
        return True
    return await database_sync_to_async(access.others_may_view)(scope["user"], run, token)


class RunConsumer(AsyncWebsocketConsumer):
    # No channel of its own: the feed is the run's one member of its group in this process.
    channel_layer_alias = None

    async def connect(self):
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        run_id = int(self.scope["url_route"]["kwargs"]["run_id"])
        try:
            after = max(0, int(query.get("after", ["0"])[0]))
        except ValueError:
            after = 0
        token = query.get("token", [""])[0]
        self.feed, self.watch = feed.join(run_id, self.send_text)
        try:
            await self.feed.loaded
            allowed = self.feed.run is not None and await may_watch(self.scope, self.feed.run, token)
            await self.accept()
            if not allowed:
                await self.close(code=4404)
                return
            self.watch.owner = access.owns_scope(self.scope, self.feed.run)
            self.watch.close = self.close_with
            if watching.needs_owner(self.scope, self.feed.run):
                self.owner_watch = asyncio.create_task(watching.watch_as_owner(run_id))
            await self.feed.stream(self.watch, after)
        except BaseException:
            # A consumer that fails or is cancelled here never gets a disconnect: leave now.
            if hasattr(self, "owner_watch"):
                self.owner_watch.cancel()
            await feed.leave(self.feed, self.watch)
            raise

    async def dispatch(self, message):
        # Channels closes stale database connections before every handler: a hop to its one
        # database thread per message, which queues each socket's connect and disconnect
        # behind every other's. This consumer reaches the database only through
        # database_sync_to_async, which closes them itself, so its handlers run directly.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code):
        if hasattr(self, "owner_watch"):
            self.owner_watch.cancel()
        if hasattr(self, "watch"):
            await feed.leave(self.feed, self.watch)

    async def receive(self, text_data=None, bytes_data=None):
        pass  # watchers only listen; controls go through the HTTP API

    async def close_with(self, code: int) -> None:
        await self.close(code=code)

    async def send_text(self, text: str) -> None:
        await self.send(text_data=text)


class JobConsumer(AsyncWebsocketConsumer):
    """Short jobs over a socket of their own, for answers that stream (a sample's characters as they come).

    Whoever may watch the run may ask (``?token=`` for share-token holders). The client
    sends ``{"kind", "args"}``; the server sends ``{"type": "part", "data"}`` for each
    piece, then ``{"type": "result", "data"}`` or ``{"type": "error", "message"}``. One
    job at a time per socket; the socket stays open for the next.
    """

    channel_layer_alias = None

    async def connect(self):
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        self.run_id = int(self.scope["url_route"]["kwargs"]["run_id"])
        self.token = query.get("token", [""])[0]
        self.busy = False
        self.run = await database_sync_to_async(lambda: Run.objects.filter(pk=self.run_id).first())()
        allowed = self.run is not None and await may_watch(self.scope, self.run, self.token)
        await self.accept()
        if not allowed:
            await self.close(code=4404)

    async def receive(self, text_data=None, bytes_data=None):
        if self.busy:
            await self.send_json({"type": "error", "message": "one job at a time: wait for the last one's answer"})
            return
        try:
            message = json.loads(text_data or "")
        except ValueError:
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("kind"), str):
            await self.send_json({"type": "error", "message": 'send a job as JSON: {"kind": ..., "args": {...}}'})
            return
        self.busy = True
        try:
            await self.answer(message["kind"], message.get("args", {}))
        finally:
            self.busy = False

    async def answer(self, kind: str, args) -> None:
        try:
            job = await database_sync_to_async(job_request)(self.run, kind[:64], args)
        except ApiError as error:
            await self.send_json({"type": "error", "message": "; ".join(e["message"] for e in error.errors)})
            return
        loop = asyncio.get_running_loop()
        parts: asyncio.Queue = asyncio.Queue()

        def on_part(data) -> None:  # on the pool's thread
            loop.call_soon_threadsafe(parts.put_nowait, data)

        running = asyncio.ensure_future(asyncio.to_thread(get_job_pool().run, job, on_part))
        while True:
            getting = asyncio.ensure_future(parts.get())
            done, _ = await asyncio.wait({getting, running}, return_when=asyncio.FIRST_COMPLETED)
            if getting in done:
                await self.send_json({"type": "part", "data": getting.result()})
                continue
            getting.cancel()
            break
        while not parts.empty():  # parts sent before the answer came
            await self.send_json({"type": "part", "data": parts.get_nowait()})
        try:
            await self.send_json({"type": "result", "data": running.result()})
        except JobError as error:
            await self.send_json({"type": "error", "message": str(error)})
        except ValueError:  # a result JSON cannot carry (NaN): the task's mistake, said plainly
            await self.send_json({"type": "error", "message": "the job's answer could not be sent (it held a number JSON cannot carry)"})

    async def send_json(self, content) -> None:
        await self.send(text_data=json.dumps(content, allow_nan=False))
