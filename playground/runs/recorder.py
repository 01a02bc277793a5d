"""The emitter a running task talks to: numbers its events and hands each one on at once.

The training process neither stores nor publishes. It encodes each event once and
passes it to ``deliver`` (the pipe to the web process, whose one writer stores
every run's events in shared transactions and publishes them after commit). So
emitting costs the training loop one JSON encoding and one pipe write, and no
event waits for a timer.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from playground.runs import store

Deliver = Callable[[int, list[str]], None]


class EventRecorder:
    """Callable emitter: ``recorder(type, data, step)``. Thread-safe: seqs leave in the order they are given."""

    def __init__(self, run_id: int, deliver: Deliver, first_seq: int):
        self.run_id = run_id
        self.deliver = deliver
        self.next_seq = first_seq
        self._lock = threading.Lock()

    def __call__(self, type: str, data: dict[str, Any], step: int | None = None) -> None:
        with self._lock:
            event = {"seq": self.next_seq, "type": type, "step": step, "data": data, "time": time.time()}
            self.deliver(self.run_id, [store.encode_event(event)])
            self.next_seq += 1

    def finish(self, status: str, **extra: Any) -> None:
        """The run's final status: the last event it emits."""
        self("status", {"status": status, **extra})
