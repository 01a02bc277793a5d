"""The emitter a running task talks to: numbers its events and hands them on as they come.

The training process neither stores nor publishes. It encodes each event once and
passes it to ``deliver`` (the pipe to the web process, whose one writer stores
every run's events in shared transactions and publishes them after commit). An
event leaves when it is emitted, except inside ``together()``, which a task uses
around a burst (``tasks.base.emitted_together``): the burst then leaves as one
message, one wake-up of the web process.
"""
from __future__ import annotations

import contextlib
import threading
import time
from typing import Any, Callable, Iterator

from playground.runs import store
from playground.tasks.base import EVENT_TYPES

Deliver = Callable[[int, list[str]], None]


class EventRecorder:
    """Callable emitter: ``recorder(type, data, step)``. Thread-safe: seqs leave in the order they are given."""

    def __init__(self, run_id: int, deliver: Deliver, first_seq: int):
        self.run_id = run_id
        self.deliver = deliver
        self.next_seq = first_seq
        self._pending: list[str] = []
        self._holding = 0
        self._lock = threading.Lock()

    def __call__(self, type: str, data: dict[str, Any], step: int | None = None) -> None:
        if type not in EVENT_TYPES:  # checked where it is made, so the store never holds another
            raise ValueError(f"{type!r} is not an event type; the types are {', '.join(EVENT_TYPES)}")
        with self._lock:
            event = {"seq": self.next_seq, "type": type, "step": step, "data": data, "time": time.time()}
            self._pending.append(store.encode_event(event))
            self.next_seq += 1
            if not self._holding:
                self._send()

    @contextlib.contextmanager
    def together(self) -> Iterator[None]:
        """Hold what is emitted inside, and deliver it as one batch at the end."""
        with self._lock:
            self._holding += 1
        try:
            yield
        finally:
            with self._lock:
                self._holding -= 1
                if not self._holding:
                    self._send()

    def finish(self, status: str, **extra: Any) -> None:
        """The run's final status: the last event it emits."""
        self("status", {"status": status, **extra})

    def _send(self) -> None:
        if self._pending:
            batch, self._pending = self._pending, []
            self.deliver(self.run_id, batch)
