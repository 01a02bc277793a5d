"""One reader of a run's events per process, shared by every socket that watches the run.

A feed joins the run's channel-layer group once, reads the store once, and
keeps every event it has seen as encoded JSON text, in sequence order. Each
socket keeps only a cursor (the last sequence number it sent) and is sent what
lies past it. So a class of 500 opening the same run costs one store read and
one channel message per batch, not 500 of each; a socket that joins late or
reconnects with ``?after=N`` is served from memory.

The store stays the truth: a live batch that starts past what the feed holds
(the layer dropped something) makes the feed read the gap back from the store,
and with no live message for ``QUIET_SECONDS`` an unfinished run's feed looks in
the store, since no later batch would reveal dropped last messages. Every
source of events is contiguous from the feed's last sequence number or before
it, and whatever the feed already holds is trimmed, so it never holds a gap or
a duplicate.
"""
from __future__ import annotations

import asyncio
import logging
from bisect import bisect_right
from dataclasses import dataclass
from typing import Awaitable, Callable

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from playground.runs import store
from playground.runs.models import Run, group_name

log = logging.getLogger(__name__)

PAGE = 1000  # events per store read, and at most per WebSocket message (LAYERLAB_EVENT_PAGE_BYTES caps both too)
# With no live message for this long, the feed of an unfinished run looks in the store: the
# layer may have dropped the run's last messages, after which no later batch reveals the gap.
QUIET_SECONDS = 1.0
FAN_OUT_STRIDE = 50  # sockets sent to between two turns of the event loop for everything else
# After sending to every socket, a feed rests this many times as long as that took (at most
# FAN_OUT_MAX_REST seconds) before it sends again; what comes meanwhile goes out together.
# Twenty watchers rest a few milliseconds; a class of 500 rests a few tenths of a second,
# in fewer, larger messages, so the other requests of the process are still answered.
FAN_OUT_REST = 3.0
FAN_OUT_MAX_REST = 0.5


@database_sync_to_async
def run_and_first_page(run_id: int) -> tuple[Run | None, list[dict], bool]:
    """The run (for access checks), its first stored page and whether more follow: one trip to the database thread."""
    run = Run.objects.filter(pk=run_id).first()
    return (run, *store.events_page(run_id, 0, PAGE)) if run is not None else (None, [], False)


@database_sync_to_async
def stored_events(run_id: int, after: int) -> tuple[list[dict], bool]:
    return store.events_page(run_id, after, PAGE)


@dataclass(eq=False)
class Watch:
    """One socket's place in a feed: ``sent`` is None until the socket has been accepted."""

    send: Callable[[str], Awaitable[None]]
    sent: int | None = None
    busy: bool = False
    # Whether the socket is its owner's, and how to close it: others' close when the run turns private.
    owner: bool = False
    close: Callable[[int], Awaitable[None]] | None = None


class RunFeed:
    """What this process knows of one run's events, and the sockets it sends them to."""

    def __init__(self, run_id: int, layer) -> None:
        self.run_id = run_id
        self.layer = layer
        self.loop = asyncio.get_running_loop()
        self.run: Run | None = None
        self.seqs: list[int] = []
        self.texts: list[str] = []  # texts[i] is event seqs[i] as JSON
        self.ends: list[int] = []  # ends[i] is the length of texts[0..i] together, to cut messages by size
        self.ended = False
        self.watches: set[Watch] = set()
        self.last_live = self.loop.time()
        self.channel: str | None = None
        self._reading = asyncio.Lock()
        self._news = asyncio.Event()  # events came that the sockets have not been sent
        self._messages: dict[tuple[int, int], str] = {}
        self._tasks: list[asyncio.Task] = []
        self.loaded = asyncio.ensure_future(self._load())

    @property
    def failed(self) -> bool:
        """Its first read failed (the database busy or gone): the next socket starts a new feed."""
        return self.loaded.done() and not self.loaded.cancelled() and self.loaded.exception() is not None

    @property
    def last_seq(self) -> int:
        return self.seqs[-1] if self.seqs else 0

    async def _load(self) -> None:
        self.channel = await self.layer.new_channel()
        # Join before reading the store, so that nothing published in between is missed.
        await self.layer.group_add(group_name(self.run_id), self.channel)
        self.run, events, more = await run_and_first_page(self.run_id)
        if self.run is None:
            return
        self._append_events(events)
        if more:
            await self.read_store()
        self._tasks = [asyncio.create_task(self._listen()), asyncio.create_task(self._send_news())]
        if not self.ended:
            self._tasks.append(asyncio.create_task(self._look_in_store_when_quiet()))

    # --- what the feed holds -------------------------------------------------------------------

    def _append(self, seqs: list[int] | range, texts: list[str], ended: bool) -> None:
        """Events in sequence order; those the feed already holds are skipped."""
        skip = bisect_right(seqs, self.last_seq)
        if skip == len(texts):
            return
        self.seqs.extend(seqs[skip:])
        self.texts.extend(texts[skip:])
        total = self.ends[-1] if self.ends else 0
        for text in texts[skip:]:
            total += len(text)
            self.ends.append(total)
        self.ended = self.ended or ended
        self._messages.clear()

    def _append_events(self, events: list[dict]) -> None:
        fresh = [event for event in events if event["seq"] > self.last_seq]
        if fresh:
            self._append([e["seq"] for e in fresh], [store.encode_event(e) for e in fresh], store.is_end(fresh[-1]))

    async def read_store(self) -> None:
        """Take in whatever the store holds past the feed's last event; one read at a time."""
        async with self._reading:
            while True:
                events, more = await stored_events(self.run_id, self.last_seq)
                self._append_events(events)
                if not more:
                    return

    async def _listen(self) -> None:
        while True:
            message = await self.layer.receive(self.channel)
            if message.get("type") == "run.events":
                try:
                    await self.take(message["first"], message["texts"], message["ended"])
                except Exception:
                    # A store read failed (the database busy or gone): the next batch or the
                    # quiet check reads the gap again.
                    log.exception("taking in a batch of run %s failed", self.run_id)
            elif message.get("type") == "run.visibility":
                await self.change_visibility(str(message.get("visibility")))

    async def change_visibility(self, visibility: str) -> None:
        """The owner chose who sees the run: sockets join by the new choice, and a private run's
        other watchers are closed with 4404, as a new socket of theirs would be."""
        if self.run is not None:
            self.run.visibility = visibility
        if visibility != "private":
            return
        for watch in [w for w in self.watches if not w.owner and w.close is not None]:
            try:
                await watch.close(4404)
            except Exception:  # already closing: it leaves the feed when it has gone
                pass

    async def take(self, first: int, texts: list[str], ended: bool) -> None:
        """A live batch; one that starts past the feed's last event makes it read the gap from the store."""
        self.last_live = self.loop.time()
        if not texts or first + len(texts) - 1 <= self.last_seq:
            return
        if first > self.last_seq + 1:
            # Events are published only after they are stored, so the gap is there to read.
            await self.read_store()
        self._append(range(first, first + len(texts)), texts, ended)
        self._news.set()

    async def _look_in_store_when_quiet(self) -> None:
        while not self.ended:
            await asyncio.sleep(QUIET_SECONDS)
            if self.loop.time() - self.last_live >= QUIET_SECONDS:
                try:
                    await self.read_store()
                except Exception:
                    log.exception("looking in the store for run %s failed", self.run_id)
                self._news.set()

    # --- the sockets ---------------------------------------------------------------------------

    def message(self, start: int, end: int) -> str:
        """texts[start:end] as one WebSocket message (one event alone, several as a JSON list), made once for all."""
        key = (start, end)
        if key not in self._messages:
            self._messages[key] = self.texts[start] if end - start == 1 else "[" + ",".join(self.texts[start:end]) + "]"
        return self._messages[key]

    async def stream(self, watch: Watch, after: int) -> None:
        """Start sending to an accepted socket what the feed holds past ``after``, then everything that comes."""
        watch.sent = after
        await self.flush(watch)

    async def _send_news(self) -> None:
        while True:
            await self._news.wait()
            self._news.clear()
            started = self.loop.time()
            await self.fan_out()
            await asyncio.sleep(min(FAN_OUT_MAX_REST, FAN_OUT_REST * (self.loop.time() - started)))

    async def fan_out(self) -> None:
        for count, watch in enumerate(list(self.watches), 1):
            if watch.sent is not None:
                await self.flush(watch)
            if count % FAN_OUT_STRIDE == 0:
                # Daphne's sends never wait, so without this a class's fan-out holds the event
                # loop whole, and every other request's next step waits behind it.
                await asyncio.sleep(0)

    async def flush(self, watch: Watch) -> None:
        """Send a socket what it has not had yet, a page at a time; a socket that cannot take it leaves."""
        if watch.busy:
            return  # the send under way loops until the socket has everything
        watch.busy = True
        try:
            while watch in self.watches:
                start = bisect_right(self.seqs, watch.sent)
                if start == len(self.seqs):
                    return
                end = self.page_end(start)
                watch.sent = self.seqs[end - 1]
                await watch.send(self.message(start, end))
        except Exception:
            # The socket closed under us (Daphne raises on a send to a closing protocol): one
            # socket's failure must not stop the others' events.
            log.debug("a watcher of run %s could not be sent to", self.run_id, exc_info=True)
            await leave(self, watch)
        finally:
            watch.busy = False

    def page_end(self, start: int) -> int:
        """Where a message that starts at texts[start] ends: PAGE events, or the page's bytes, whichever comes first."""
        before = self.ends[start - 1] if start else 0
        by_size = bisect_right(self.ends, before + settings.LAYERLAB_EVENT_PAGE_BYTES, lo=start)
        return max(start + 1, min(len(self.seqs), start + PAGE, by_size))

    async def close(self) -> None:
        # Leave the group first: the last socket may leave from inside the listener, which this cancels.
        if self.channel is not None:
            await self.layer.group_discard(group_name(self.run_id), self.channel)
        for task in [self.loaded, *self._tasks]:
            task.cancel()


_feeds: dict[int, RunFeed] = {}


def join(run_id: int, send: Callable[[str], Awaitable[None]]) -> tuple[RunFeed, Watch]:
    """This process's feed of the run (started by the first socket) and a place in it for a socket."""
    feed = _feeds.get(run_id)
    if feed is None or feed.loop is not asyncio.get_running_loop() or feed.failed:
        feed = _feeds[run_id] = RunFeed(run_id, get_channel_layer())
    watch = Watch(send)
    feed.watches.add(watch)
    return feed, watch


async def leave(feed: RunFeed, watch: Watch) -> None:
    """A socket has gone; the last one out closes the feed."""
    if watch not in feed.watches:
        return
    feed.watches.discard(watch)
    if not feed.watches:
        if _feeds.get(feed.run_id) is feed:
            del _feeds[feed.run_id]
        await feed.close()
