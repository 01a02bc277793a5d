"""The emitter a running task talks to: numbers its events and hands them on at the next step.

The training process neither stores nor publishes. It encodes each event once and
passes it to ``deliver`` (the pipe to the web process, whose one writer stores
every run's events in shared transactions and publishes them after commit).

Events wait for the step boundary: the run's control calls ``send_pending`` at
every step, so what a report emits at once (train and test metrics, gradient
norms, pictures) leaves as one message, and one wake-up of the web process,
microseconds after the last of them. Nothing waits long: events also leave
when they have waited ``hold`` seconds and another comes, and when the run ends.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from playground.runs import store

Deliver = Callable[[int, list[str]], None]


class EventRecorder:
    """Callable emitter: ``recorder(type, data, step)``. Thread-safe: seqs leave in the order they are given."""

    def __init__(self, run_id: int, deliver: Deliver, first_seq: int, hold: float = 0.02):
        self.run_id = run_id
        self.deliver = deliver
        self.next_seq = first_seq
        self.hold = hold
        self._pending: list[str] = []
        self._since = 0.0
        self._lock = threading.Lock()

    def __call__(self, type: str, data: dict[str, Any], step: int | None = None) -> None:
        now = time.time()
        with self._lock:
            event = {"seq": self.next_seq, "type": type, "step": step, "data": data, "time": now}
            self._pending.append(store.encode_event(event))
            self.next_seq += 1
            if len(self._pending) == 1:
                self._since = now
            elif now - self._since >= self.hold:
                self._send()

    def send_pending(self) -> None:
        """Deliver what has been emitted since the last delivery, as one message."""
        if self._pending:
            with self._lock:
                self._send()

    def finish(self, status: str, **extra: Any) -> None:
        """The run's final status: the last event it emits, delivered with all before it."""
        self("status", {"status": status, **extra})
        self.send_pending()

    def _send(self) -> None:
        if self._pending:
            batch, self._pending = self._pending, []
            self.deliver(self.run_id, batch)
