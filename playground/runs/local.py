"""The embedded executor: a few training processes spawned by the web server itself.

One thread in the web process does everything here: it starts queued runs on
free slots, stores the events that training processes send up their pipes and
relays them to the channel layer (relay.py; the in-memory layer cannot be
reached from another process), notices processes that die, and enforces cancel
deadlines and the time limit.
Each slot keeps a spare process warm so a run starts without importing PyTorch;
spares are forked from a fork server that imported it once (preload.py), so a
new one is ready in a fraction of a second. On shutdown the executor starts
nothing more and ends every process it started.
"""
from __future__ import annotations

import asyncio
import atexit
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

from playground.runs import abandoned, queue, quotas, scheduler, store
from playground.runs.executor_interface import Executor
from playground.runs.models import Run
from playground.runs.publish import publish_events
from playground.runs.relay import EventRelay
from playground.runs.worker import fork_context, kill_group

log = logging.getLogger(__name__)

RESTART_REASON = "the server restarted while this run was in progress"
STOP_REASON = "the server stopped while this run was in progress"
# A run the server stops itself (abandoned.py) is in no hurry: time to stop at a step and save
# its checkpoint before its process is killed.
ABANDONED_GRACE = 10.0


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
    time_limit: float = 0.0  # seconds this run may train: its owner's role's limit
    kill_at: float | None = None
    end_reason: str = ""
    # A spare that dies before it is ready is started again after a pause that doubles each time.
    failures: int = 0
    respawn_at: float = 0.0


class LocalExecutor(Executor):
    def __init__(self, slots: int = 2, device: str = "auto", time_limit: float | None = None):
        self.slots = [Slot(i) for i in range(slots)]
        self.device = device
        self.threads = max(1, (os.cpu_count() or 1) // slots)
        self.time_limit = time_limit or settings.LAYERLAB_RUN_TIME_LIMIT
        self.grace = settings.LAYERLAB_CANCEL_GRACE
        self.pause_limit = settings.LAYERLAB_PAUSE_LIMIT
        self.unwatched_grace = settings.LAYERLAB_UNWATCHED_GRACE
        self._mp = fork_context()
        self._spare_ready = threading.Event()
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

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The server's event loop, once a request has attached it: where to publish from a thread."""
        return self._loop

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._database = connection.settings_dict["NAME"]
            failed = store.fail_interrupted_runs(RESTART_REASON)
            if failed:
                log.warning("marked %d interrupted runs as failed", len(failed))
            # The thread starts the spares, so that the fork server imports PyTorch while the
            # web process goes on starting.
            self._thread = threading.Thread(target=self._serve, name="local-executor", daemon=True)
            self._poke()  # its first turn starts them
            self._thread.start()
            atexit.register(self.shutdown)  # runs before multiprocessing's own exit handler

    def wait_ready(self, timeout: float) -> bool:
        """Wait until a spare is ready, so that a run queued now starts at once; False if none was in time."""
        return self._spare_ready.wait(timeout)

    def submit(self, run_id: int) -> None:
        self._poke()

    def cancel(self, run_id: int, grace: float | None = None) -> None:
        for slot in self.slots:
            if slot.run_id == run_id and slot.kill_at is None:
                slot.kill_at = time.monotonic() + (self.grace if grace is None else grace)
                slot.end_reason = "cancelled"
        self._poke()

    def shutdown(self) -> None:
        """Start nothing more and end every training process, spares included; safe to call twice.

        The executor's thread ends the processes and records their runs as failed; if it
        does not finish in time, the processes are killed here all the same.
        """
        self._stopping = True
        self._poke()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=1.5)
        self._end_processes()

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
                if not self._stopping and (woken or time.monotonic() - last_dispatch > 1.0):
                    self._dispatch()
                    self._keep_spares()
                    self._tell_the_queue()
                    self._stop_abandoned()
                    last_dispatch = time.monotonic()
            except Exception:
                log.exception("local executor step failed")
                close_old_connections()
        self._end_processes()
        try:
            for slot in self.slots:
                if slot.run_id is not None:
                    event = store.append_status(slot.run_id, "failed", error=STOP_REASON)
                    if event is not None:
                        publish_events(slot.run_id, [event], loop=self._loop)
                    slot.run_id = None
        finally:
            close_old_connections()

    def _read(self, slot: Slot, ready: list, ended: bool) -> None:
        spare = slot.spare
        if spare is not None:
            if spare.conn in ready:
                self._read_spare(slot, spare)
            if not spare.process.is_alive():
                slot.failures += 1
                slot.respawn_at = time.monotonic() + min(30.0, 2.0 ** (slot.failures - 1))
                log.warning("a spare training process exited (code %s); starting another in %.0f s",
                            spare.process.exitcode, slot.respawn_at - time.monotonic())
                slot.spare = None
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
        if slot.kill_at is None and now - slot.started_at > slot.time_limit:
            slot.kill_at = now + self.grace
            slot.end_reason = f"the run was stopped after the time limit of {int(slot.time_limit)} seconds"
            store.request_stop(slot.run_id, slot.end_reason)
        if slot.kill_at is not None and now > slot.kill_at and active.process.is_alive():
            self._kill(active)  # its end is recorded on the next turn, after its pipe is drained

    def _read_spare(self, slot: Slot, spare: Process) -> None:
        try:
            while spare.conn.poll():
                message = spare.conn.recv()
                if message[0] == "ready":
                    spare.ready = True
                    slot.failures = 0
                    self._spare_ready.set()
                    self._poke()  # a run may be waiting for it
        except (EOFError, OSError):
            pass

    def _finish(self, slot: Slot) -> None:
        active, run_id = slot.active, slot.run_id
        code = active.process.exitcode
        if slot.end_reason == "cancelled":
            # Killed after its grace: it ends as whoever stopped it said (the owner: cancelled, no reason).
            reason, status = Run.objects.filter(pk=run_id).values_list("stop_reason", "stop_status").first() or ("", "")
            event = store.append_status(run_id, status or "cancelled", **({"error": reason} if reason else {}))
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
            run = Run.objects.select_related("owner").get(pk=run_id)
            proc, slot.spare = slot.spare, None
            try:
                proc.conn.send(run_id)
            except OSError:
                store.append_status(run_id, "failed", error="the training process could not be started")
                self._kill(proc)
                continue
            slot.active, slot.run_id, slot.owner_key = proc, run_id, run.owner_key
            slot.started_at, slot.kill_at, slot.end_reason = time.monotonic(), None, ""
            slot.time_limit = min(self.time_limit, quotas.run_seconds(run))

    def _keep_spares(self) -> None:
        """Give every slot a spare, unless its last one died young and its pause is not over."""
        for slot in self.slots:
            if slot.spare is None and not self._stopping and time.monotonic() >= slot.respawn_at:
                slot.spare = self._spawn(slot)

    def _tell_the_queue(self) -> None:
        """New positions, and why runs wait, for the visitors of queued runs (queue.py)."""
        preparing = sum(1 for s in self.slots if s.active is None and not (s.spare and s.spare.ready))
        for run_id, event in queue.announce(preparing).items():
            publish_events(run_id, [event], loop=self._loop)

    def _stop_abandoned(self) -> None:
        in_training, ended = abandoned.stop_abandoned(self.pause_limit, self.unwatched_grace)
        for run_id, event in ended.items():
            publish_events(run_id, [event], loop=self._loop)
        for run_id in in_training:
            self.cancel(run_id, grace=ABANDONED_GRACE)

    def _end_processes(self) -> None:
        """Kill every training process, spares included, and wait for them to go."""
        procs = [p for slot in self.slots for p in (slot.active, slot.spare) if p is not None]
        for proc in procs:
            self._signal(proc)
        for proc in procs:
            proc.process.join(timeout=1)

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
        self._signal(proc)
        proc.process.join(timeout=5)

    @staticmethod
    def _signal(proc: Process) -> None:
        kill_group(proc.process)


def death_cause(code: int | None) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        hint = " (often: the machine ran out of memory)" if -code == signal.SIGKILL else ""
        return f"the training process was killed by {name}{hint}"
    return f"the training process ended unexpectedly with exit code {code}"
