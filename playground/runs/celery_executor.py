"""The web side of the scale-out mode (LAYERLAB_EXECUTOR=celery): queue here, train on Celery workers.

``submit`` sends one message that lets a worker's slot claim the next run
(playground/celery.py); the run itself waits in the database, where the scheduler
orders it. Cancel, pause, resume and a new learning rate are already on the run's
row, which the run's own process polls (control.py); the worker kills a run that
does not stop in time. A thread here does the shared housekeeping (reaper.py) every
few seconds: lost runs, abandoned runs, queue places.
"""
from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

from playground.runs import reaper
from playground.runs.executor import Executor
from playground.runs.publish import publish_events

log = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 2.0


def waiting_messages() -> int:
    """Messages in the broker's queue that no worker has taken yet."""
    from playground.celery import app

    try:
        with app.connection_for_write() as conn:
            return conn.default_channel.client.llen(app.conf.task_default_queue)
    except Exception:
        log.warning("could not count the broker's messages", exc_info=True)
        return 0


def ask_for_slots(count: int = 1) -> None:
    from playground.celery import ask_for_slots as send

    try:
        send(count)
    except Exception:  # the broker is down: the run waits in the database, and housekeeping asks again
        log.warning("could not reach the broker to start a run; it stays queued", exc_info=True)


class CeleryExecutor(Executor):
    def __init__(self, interval: float = HOUSEKEEPING_SECONDS):
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        # No recovery of "interrupted" runs here: the runs in progress belong to the workers, and
        # the reaper ends those of workers that stopped beating.
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name="celery-housekeeping", daemon=True)
            self._thread.start()

    def submit(self, run_id: int) -> None:
        ask_for_slots(1)

    def cancel(self, run_id: int) -> None:
        """The stop flag is on the row: the run's process stops at its next step, its worker kills it after the grace."""

    def shutdown(self) -> None:
        self._stop.set()

    def _serve(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                reaper.housekeeping(publish_events, ask_for_slots, waiting_messages)
            except Exception:
                log.exception("housekeeping failed")
            finally:
                close_old_connections()
