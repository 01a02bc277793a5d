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

from django.db import OperationalError, close_old_connections

from playground.runs import store
from playground.runs.publish import publish, run_message

log = logging.getLogger(__name__)


class EventRelay:
    def __init__(self, send=None) -> None:
        self.pending: dict[int, list[str]] = {}
        # How stored batches go on the wire: publish.publish, or a Celery worker's own sender.
        self.send = send or publish

    def add(self, run_id: int, texts: list[str]) -> None:
        self.pending.setdefault(run_id, []).extend(texts)

    def flush(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Store and publish everything pending.

        If the database is busy or gone, everything stays pending for the next try.
        If one run's events cannot be stored at all, that run alone ends failed,
        and the others' are stored as usual.
        """
        if not self.pending:
            return
        texts = self.pending
        events = {run_id: [json.loads(text) for text in batch] for run_id, batch in texts.items()}
        try:
            kept = store.record_events(events)
        except OperationalError:
            log.exception("storing events failed; keeping them for the next try")
            close_old_connections()
            return
        except Exception:
            kept = {run_id: self._record_alone(run_id, batch) for run_id, batch in events.items()}
        self.pending = {}
        messages = []
        for run_id, recorded in kept.items():
            batch = events[run_id][:recorded.kept] + recorded.added
            if batch:
                sent = texts[run_id][:recorded.kept] + [store.encode_event(e) for e in recorded.added]
                messages.append((run_id, run_message(batch[0]["seq"], sent, store.is_end(batch[-1]))))
        self.send(messages, loop)

    def _record_alone(self, run_id: int, events: list[dict]) -> store.Recorded:
        try:
            return store.record_events({run_id: events})[run_id]
        except OperationalError:
            raise
        except Exception as error:
            log.exception("the events of run %s could not be stored; ending it", run_id)
            reason = f"its events could not be stored ({type(error).__name__})"
            store.request_stop(run_id, reason)
            end = store.append_status(run_id, "failed", error=reason)
            return store.Recorded(added=[end] if end else [])
