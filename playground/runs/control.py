"""Control of a running run from outside: stop, pause and resume, and the task's live controls.

The web process writes requests on the run's row; a thread in the run's process
polls the row and the task's per-step ``check()`` only reads local flags, so a
request takes effect at the next step without a database query per step.
"""
from __future__ import annotations

import logging
import os
import threading
from typing import Any

from django.db import close_old_connections

from playground.runs.models import Run
from playground.runs.recorder import EventRecorder
from playground.tasks.base import Control, Stopped

log = logging.getLogger(__name__)


class RunControl(Control):
    def __init__(self, run_id: int, recorder: EventRecorder, poll_interval: float = 0.25):
        self.run_id = run_id
        self.recorder = recorder
        self.poll_interval = poll_interval
        self.stop_requested = False
        self.stop_reason = ""  # why, when the server stopped the run rather than its owner
        self.stop_status = ""  # and how it then ends: failed or cancelled
        self.pause_requested = False
        # The controls the task has been handed; those asked for before the run started count as
        # changes at its first step.
        self._seen: dict[str, Any] = {}
        self._changes: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._closed = threading.Event()
        self._parent_pid = os.getppid()
        self._thread = threading.Thread(target=self._poll_loop, name=f"control-{run_id}", daemon=True)
        self._thread.start()

    def check(self) -> dict[str, Any]:
        if self.stop_requested:
            raise Stopped()
        if self.pause_requested:
            self._wait_while_paused()
        if not self._changes:
            return {}
        with self._lock:
            changes, self._changes = self._changes, {}
        return changes

    def close(self) -> None:
        self._closed.set()
        with self._changed:
            self._changed.notify_all()

    def _wait_while_paused(self) -> None:
        self._set_status("paused")
        with self._changed:
            while self.pause_requested and not self.stop_requested and not self._closed.is_set():
                self._changed.wait(1.0)
        if self.stop_requested:
            raise Stopped()
        self._set_status("running")

    def _set_status(self, status: str) -> None:
        self.recorder("status", {"status": status})  # storing it moves the run's row too

    def _poll_loop(self) -> None:
        while not self._closed.wait(self.poll_interval):
            if os.getppid() != self._parent_pid and self._parent_pid != 1:
                # The server that started this run is gone; it marks the run failed when it comes back.
                os._exit(3)
            try:
                self._poll()
            except Exception:
                log.warning("polling controls of run %s failed", self.run_id, exc_info=True)
                close_old_connections()

    def _poll(self) -> None:
        row = Run.objects.filter(pk=self.run_id).values(
            "stop_requested", "stop_reason", "stop_status", "pause_requested", "controls"
        ).first()
        if row is None:
            self.stop_requested = True
            return
        with self._changed:
            controls = row["controls"] or {}
            changed = {name: value for name, value in controls.items() if self._seen.get(name, object()) != value}
            if changed:
                self._seen = dict(controls)
                self._changes.update(changed)
            # Before the flag: whoever sees the flag sees the reason.
            self.stop_reason, self.stop_status = row["stop_reason"], row["stop_status"]
            self.stop_requested = row["stop_requested"]
            self.pause_requested = row["pause_requested"]
            self._changed.notify_all()
