"""The emitter a running task talks to: numbers events, stores them in batches, then publishes them.

Events are published only after they are committed, so a client that sees a gap
on the wire always finds the missing events in the store.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from django.db import close_old_connections

from playground.runs import store

log = logging.getLogger(__name__)

Publish = Callable[[int, list[dict[str, Any]]], None]


class EventRecorder:
    """Callable emitter: ``recorder(type, data, step)``. Thread-safe; flushes in a background thread."""

    def __init__(self, run_id: int, publish: Publish, flush_interval: float = 0.05, max_batch: int = 500):
        self.run_id = run_id
        self.publish = publish
        self.flush_interval = flush_interval
        self.max_batch = max_batch
        self._next_seq = store.last_seq(run_id) + 1
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._flush_loop, name=f"events-{run_id}", daemon=True)
        self._thread.start()

    def __call__(self, type: str, data: dict[str, Any], step: int | None = None) -> None:
        with self._lock:
            event = {"seq": self._next_seq, "type": type, "step": step, "data": store.event_data(data), "time": time.time()}
            self._next_seq += 1
            self._pending.append(event)
            full = len(self._pending) >= self.max_batch
        if full:
            self._wake.set()

    def flush(self) -> None:
        # One flusher at a time keeps batches in sequence order in the store and on the wire.
        with self._flush_lock:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                store.append_events(self.run_id, batch)
            except Exception:
                with self._lock:  # keep them for the next try rather than lose them
                    self._pending[:0] = batch
                raise
            try:
                self.publish(self.run_id, batch)
            except Exception:  # the wire may fail; the store already has the events
                log.warning("could not publish events of run %s", self.run_id, exc_info=True)

    def finish(self, status: str, **extra: Any) -> None:
        """Store what is pending, then the final status, and stop the flusher."""
        self._closed = True
        self._wake.set()
        self._thread.join(timeout=5)
        self.flush()
        event = store.append_status(self.run_id, status, **extra)
        if event is not None:
            try:
                self.publish(self.run_id, [event])
            except Exception:
                log.warning("could not publish the final status of run %s", self.run_id, exc_info=True)

    def _flush_loop(self) -> None:
        while not self._closed:
            self._wake.wait(self.flush_interval)
            self._wake.clear()
            try:
                self.flush()
            except Exception:
                log.exception("storing events of run %s failed; retrying", self.run_id)
                close_old_connections()
