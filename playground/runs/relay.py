"""The web process's one event writer: stores what training processes emit, then publishes it.

Training processes send each event up their pipe as soon as it happens. The
local executor's thread hands everything that has arrived from every slot to
``EventRelay.flush``, which stores it in one transaction and then publishes each
run's new events as one message. One writer means no training process ever waits
for the database lock, and a busy second costs a few commits, not one per event.
"""
from __future__ import annotations

import asyncio
import json
import logging

from django.db import close_old_connections

from playground.runs import store
from playground.runs.publish import publish, run_message

log = logging.getLogger(__name__)


class EventRelay:
    def __init__(self) -> None:
        self.pending: dict[int, list[str]] = {}

    def add(self, run_id: int, texts: list[str]) -> None:
        self.pending.setdefault(run_id, []).extend(texts)

    def flush(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Store and publish everything pending; if the store fails, keep it all for the next try."""
        if not self.pending:
            return
        texts = self.pending
        events = {run_id: [json.loads(text) for text in batch] for run_id, batch in texts.items()}
        try:
            kept = store.record_events(events)
        except Exception:
            log.exception("storing events failed; keeping them for the next try")
            close_old_connections()
            return
        self.pending = {}
        messages = []
        for run_id, count in kept.items():
            if count:
                batch = events[run_id][:count]
                messages.append((run_id, run_message(batch[0]["seq"], texts[run_id][:count], store.is_end(batch[-1]))))
        publish(messages, loop)
