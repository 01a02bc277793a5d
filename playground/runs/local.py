"""The embedded executor: a few training processes spawned by the web server itself.

One thread in the web process does everything here: it starts queued runs on
free slots, stores the events that training processes send up their pipes and
relays them to the channel layer (relay.py; the in-memory layer cannot be
reached from another process), notices processes that die, and enforces cancel
deadlines and the time limit.
Each slot keeps a spare process warm so a run starts without importing PyTorch.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import wait

from django.conf import settings
from django.db import close_old_connections, connection

from playground.runs import scheduler, store
from playground.runs.executor import Executor
from playground.runs.models import Run
from playground.runs.publish import publish_events
from playground.runs.relay import EventRelay

log = logging.getLogger(__name__)

RESTART_REASON = "the server restarted while this run was in progress"


@dataclass
class Process:
    process: multiprocessing.process.BaseProcess
    conn: object
    ready: bool = False


@dataclass
class Slot:
    index: int
    spare: Process | None = None
    active: Process | None = None
    run_id: int | None = None
    owner_key: str = ""
    started_at: float = 0.0
    kill_at: float | None = None
    end_reason: str = ""


class LocalExecutor(Executor):
    def __init__(self, slots: int = 2, device: str = "auto", time_limit: float | None = None):
        self.slots = [Slot(i) for i in range(slots)]
        self.device = device
        self.threads = max(1, (os.cpu_count() or 1) // slots)
        self.time_limit = time_limit or settings.LAYERLAB_RUN_TIME_LIMIT
        self.grace = settings.LAYERLAB_CANCEL_GRACE
        self._mp = multiprocessing.get_context("spawn")
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self.relay = EventRelay()

    # --- called from the web process's request handlers -------------------------------------

    def attach_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """The server's event loop, which owns the in-memory channel layer."""
        self._loop = loop

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._database = connection.settings_dict["NAME"]
            failed = store.fail_interrupted_runs(RESTART_REASON)
            if failed:
                log.warning("marked %d interrupted runs as failed", len(failed))
            for slot in self.slots:
                slot.spare = self._spawn(slot)
            self._thread = threading.Thread(target=self._serve, name="local-executor", daemon=True)
            self._thread.start()

    def submit(self, run_id: int) -> None:
        self._poke()

    def cancel(self, run_id: int) -> None:
        for slot in self.slots:
            if slot.run_id == run_id and slot.kill_at is None:
                slot.kill_at = time.monotonic() + self.grace
                slot.end_reason = "cancelled"
        self._poke()

    def shutdown(self) -> None:
        self._stopping = True
        self._poke()
        if self._thread is not None:
            self._thread.join(timeout=10)
        for slot in self.slots:
            for proc in (slot.active, slot.spare):
                if proc is not None and proc.process.is_alive():
                    self._kill(proc)
        self._thread = None

    def busy(self) -> bool:
        return any(slot.run_id is not None for slot in self.slots)

    def _poke(self) -> None:
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    # --- the executor's own thread --------------------------------------------------------

    def _serve(self) -> None:
        last_dispatch = 0.0
        while not self._stopping:
            waitables = [self._wake_r]
            for slot in self.slots:
                for proc in (slot.active, slot.spare):
                    if proc is not None:
                        waitables += [proc.conn, proc.process.sentinel]
            ready = wait(waitables, timeout=0.1)
            woken = self._wake_r in ready
            if woken:
                try:
                    while self._wake_r.recv(4096):
                        pass
                except BlockingIOError:
                    pass
            try:
                # A process is looked at before its pipe is drained, so that everything it sent
                # before it died is stored before its end is recorded.
                ended = [slot for slot in self.slots if slot.active and not slot.active.process.is_alive()]
                for slot in self.slots:
                    self._read(slot, ready, slot in ended)
                self.relay.flush(self._loop)
                for slot in ended:
                    self._finish(slot)
                for slot in self.slots:
                    self._enforce_limits(slot)
                if woken or time.monotonic() - last_dispatch > 1.0:
                    self._dispatch()
                    last_dispatch = time.monotonic()
            except Exception:
                log.exception("local executor step failed")
                close_old_connections()
        close_old_connections()

    def _read(self, slot: Slot, ready: list, ended: bool) -> None:
        spare = slot.spare
        if spare is not None:
            if spare.conn in ready:
                self._read_spare(spare)
            if not spare.process.is_alive():
                log.warning("a spare training process exited (code %s); starting another", spare.process.exitcode)
                slot.spare = self._spawn(slot)
        active = slot.active
        if active is not None and (ended or active.conn in ready):
            try:
                while active.conn.poll():
                    kind, run_id, texts = active.conn.recv()
                    if kind == "events":
                        self.relay.add(run_id, texts)
            except (EOFError, OSError):
                pass

    def _enforce_limits(self, slot: Slot) -> None:
        active = slot.active
        if active is None:
            return
        now = time.monotonic()
        if slot.kill_at is None and now - slot.started_at > self.time_limit:
            slot.kill_at = now + self.grace
            slot.end_reason = f"the run was stopped after the time limit of {int(self.time_limit)} seconds"
            store.request_stop(slot.run_id, slot.end_reason)
        if slot.kill_at is not None and now > slot.kill_at and active.process.is_alive():
            self._kill(active)  # its end is recorded on the next turn, after its pipe is drained

    def _read_spare(self, spare: Process) -> None:
        try:
            while spare.conn.poll():
                message = spare.conn.recv()
                if message[0] == "ready":
                    spare.ready = True
        except (EOFError, OSError):
            pass

    def _finish(self, slot: Slot) -> None:
        active, run_id = slot.active, slot.run_id
        code = active.process.exitcode
        if slot.end_reason == "cancelled":
            event = store.append_status(run_id, "cancelled")
        elif slot.end_reason:
            event = store.append_status(run_id, "failed", error=slot.end_reason)
        else:
            event = store.append_status(run_id, "failed", error=death_cause(code))
        if event is not None:
            publish_events(run_id, [event], loop=self._loop)
        try:
            active.conn.close()
        except OSError:
            pass
        slot.active, slot.run_id, slot.kill_at, slot.end_reason = None, None, None, ""
        self._poke()  # a slot is free: look at the queue

    def _dispatch(self) -> None:
        for slot in self.slots:
            if slot.active is not None or slot.spare is None or not slot.spare.ready:
                continue
            running = [s.owner_key for s in self.slots if s.run_id is not None]
            run_id = scheduler.next_run_id(len(self.slots), running)
            if run_id is None:
                return
            if not store.claim_run(run_id, worker=f"local:{os.getpid()}:{slot.index}"):
                continue
            run = Run.objects.only("owner_id", "session_key").get(pk=run_id)
            proc, slot.spare = slot.spare, None
            try:
                proc.conn.send(run_id)
            except OSError:
                store.append_status(run_id, "failed", error="the training process could not be started")
                slot.spare = self._spawn(slot)
                continue
            slot.active, slot.run_id, slot.owner_key = proc, run_id, run.owner_key
            slot.started_at, slot.kill_at, slot.end_reason = time.monotonic(), None, ""
            slot.spare = self._spawn(slot)

    def _spawn(self, slot: Slot) -> Process:
        from playground.runs.worker import spare_main

        parent_conn, child_conn = self._mp.Pipe()
        overrides = {"DATABASE_NAME": str(self._database), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
        process = self._mp.Process(
            target=spare_main, args=(child_conn, slot.index, self.device, self.threads, overrides), daemon=True,
            name=f"layerlab-slot-{slot.index}",
        )
        process.start()
        child_conn.close()
        return Process(process=process, conn=parent_conn)

    def _kill(self, proc: Process) -> None:
        try:
            os.killpg(proc.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.process.kill()
        proc.process.join(timeout=5)


def death_cause(code: int | None) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        hint = " (often: the machine ran out of memory)" if -code == signal.SIGKILL else ""
        return f"the training process was killed by {name}{hint}"
    return f"the training process ended unexpectedly with exit code {code}"
