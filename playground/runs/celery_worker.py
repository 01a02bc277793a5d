"""A Celery worker that trains runs (scale-out; ``./layerlab worker`` starts one per GPU).

Each message (``layerlab.train_next``) lets one slot of this worker claim the run
the application's scheduler starts next (reaper.claim_next), so the order stays
fair whatever order messages come in. The run trains as it does in the embedded
default: in a fresh process forked from a fork server that preloaded PyTorch and
Django (worker.py), started as a warm *spare* before the run came, so that its
memory, GPU memory included, returns to the system when the run ends and a new
spare is ready behind it. The worker reads the process's pipe, stores what it
sends with ``store.record_events`` and publishes it with ``group_send`` on the
Redis channel layer, as the local executor's relay does (relay.py).

Controls need nothing from here: the run's process polls its row (control.py).
The worker kills a run that has not stopped a grace period after its stop was
asked for (by its owner, the time limit of its owner's role, or as abandoned),
and records how a run that died ended. A thread writes the worker's heartbeat
and does the shared housekeeping (reaper.py), which ends the runs of workers that
stopped beating. The message is acknowledged only when the run has ended
(acks_late), and the worker takes one message per slot at a time.
"""
from __future__ import annotations

import asyncio
import logging
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from celery import signals
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import close_old_connections
from django.db.models import F

from playground.celery import TRAIN_NEXT, app
from playground.runs import quotas, reaper, store
from playground.runs.celery_executor import ask_for_slots, waiting_messages
from playground.runs.local import ABANDONED_GRACE, Process, death_cause
from playground.runs.models import TERMINAL, Run, Worker
from playground.runs.publish import events_message, send_all
from playground.runs.relay import EventRelay
from playground.runs.worker import fork_context, kill_group, start_fork_server

log = logging.getLogger(__name__)

STOP_REASON = "the worker training this run was stopped while it was in progress"
SPARE_TIMEOUT = 120.0  # a fresh machine imports PyTorch and creates a CUDA context first


@dataclass
class WorkerSlot:
    index: int
    spare: Process | None = None
    active: Process | None = None
    run_id: int | None = None
    failures: int = 0
    in_use: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class Publisher:
    """Publishes on the Redis channel layer from one event loop that lives as long as the worker.

    ``async_to_sync`` would start a thread, an event loop and a Redis connection for each
    batch. Each call waits until its batch is sent, so a run's batches leave in order.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="publisher", daemon=True).start()

    def __call__(self, messages: list, _loop=None) -> None:
        layer = get_channel_layer()
        if layer is None or not messages:
            return
        try:
            asyncio.run_coroutine_threadsafe(send_all(layer, messages), self.loop).result(timeout=10)
        except Exception:  # the store has the events: watchers read them back from there
            log.warning("publishing events failed", exc_info=True)

    def events(self, run_id: int, events: list[dict]) -> None:
        if events:
            self([(run_id, events_message(events))])


class Trainer:
    """This worker process's training slots, each with a warm spare, and its heartbeat."""

    def __init__(self, nodename: str, slots: int | None = None, device: str | None = None):
        self.name = reaper.worker_name(nodename)
        self.slots = [WorkerSlot(i) for i in range(slots or settings.LAYERLAB_WORKER_SLOTS)]
        self.device = device or settings.LAYERLAB_DEVICE
        self.threads = settings.LAYERLAB_WORKER_THREADS or max(1, (os.cpu_count() or 1) // len(self.slots))
        self.grace = settings.LAYERLAB_CANCEL_GRACE
        self._mp = fork_context()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._beating: threading.Thread | None = None
        self.devices = ""
        self.publish = Publisher()

    # --- life ------------------------------------------------------------------------------

    def start(self) -> None:
        start_fork_server()  # it imports PyTorch while Celery connects to the broker
        self.devices = describe_devices(self.device)
        reaper.beat(self.name, slots=len(self.slots), busy=0, devices=self.devices)
        self._beating = threading.Thread(target=self._beat_loop, name="heartbeat", daemon=True)
        self._beating.start()
        # Starting the first spares waits for the fork server's imports: not in Celery's way.
        for slot in self.slots:
            slot.lock.acquire()
        threading.Thread(target=self._first_spares, name="first-spares", daemon=True).start()
        log.info("worker %s: %d slot(s) on %s", self.name, len(self.slots), self.devices)

    def _first_spares(self) -> None:
        for slot in self.slots:
            try:
                slot.spare = self._spawn(slot)
            except Exception:
                log.exception("the first training process of slot %d could not be started", slot.index)
            finally:
                slot.lock.release()

    def stop(self) -> None:
        """End every process this worker started; runs still training end failed, saying so."""
        self._stopping.set()
        for slot in self.slots:
            for proc in (slot.active, slot.spare):
                if proc is not None:
                    kill(proc)
            if slot.run_id is not None:
                event = store.append_status(slot.run_id, "failed", error=STOP_REASON)
                if event is not None:
                    self.publish.events(slot.run_id, [event])
        reaper.sign_off(self.name)
        close_old_connections()

    def busy(self) -> int:
        return sum(1 for slot in self.slots if slot.run_id is not None)

    def _beat_loop(self) -> None:
        interval = settings.LAYERLAB_HEARTBEAT_SECONDS
        while not self._stopping.wait(interval):
            try:
                reaper.beat(self.name, slots=len(self.slots), busy=self.busy(), devices=self.devices)
                reaper.housekeeping(self.publish.events, ask_for_slots, waiting_messages)
            except Exception:
                log.exception("heartbeat or housekeeping failed")
            finally:
                close_old_connections()

    # --- one message: train the next run -----------------------------------------------------

    def train_next(self) -> str:
        slot = self._take_slot()
        if slot is None:
            return "no free slot"
        try:
            spare = self._ready_spare(slot)
            if spare is None:
                ask_for_slots(1)  # another worker may take it
                return "no training process could be started"
            run_id = reaper.claim_next(self.name)
            if run_id is None:
                return "nothing to train"
            slot.spare, slot.active, slot.run_id = None, spare, run_id
            reaper.beat(self.name, slots=len(self.slots), busy=self.busy())
            try:
                spare.conn.send(run_id)
            except OSError:
                self._end(slot, "failed", "the training process could not be started")
                return "failed to start"
            slot.spare = self._spawn(slot)  # the next run's process gets ready while this one trains
            status = self._watch(slot)
            Worker.objects.filter(name=self.name).update(runs_done=F("runs_done") + 1)
            return f"run {run_id}: {status}"
        finally:
            slot.active, slot.run_id = None, None
            slot.in_use = False
            try:
                reaper.beat(self.name, slots=len(self.slots), busy=self.busy())
                slots, busy = reaper.capacity()
                reaper.nudge(slots, busy, ask_for_slots, waiting_messages)
            except Exception:
                log.warning("could not look at the queue after a run", exc_info=True)
            close_old_connections()

    def _take_slot(self) -> WorkerSlot | None:
        with self._lock:
            for slot in self.slots:
                if not slot.in_use:
                    slot.in_use = True
                    return slot
        return None

    def _ready_spare(self, slot: WorkerSlot) -> Process | None:
        """The slot's spare once it says it is ready; a spare that died is started again (a few times)."""
        with slot.lock:  # the first spare is being started
            pass
        deadline = time.monotonic() + SPARE_TIMEOUT
        while time.monotonic() < deadline and not self._stopping.is_set():
            spare = slot.spare
            if spare is None or (not spare.process.is_alive() and not spare.conn.poll()):
                if spare is not None:
                    slot.failures += 1
                    log.warning("a spare training process exited (code %s)", spare.process.exitcode)
                if slot.failures > 3:
                    slot.failures = 0
                    slot.spare = None
                    return None
                time.sleep(min(8.0, 2.0 ** slot.failures) if slot.failures else 0)
                slot.spare = spare = self._spawn(slot)
            if spare.ready:
                return spare
            wait([spare.conn, spare.process.sentinel], timeout=1.0)
            try:
                while spare.conn.poll():
                    if spare.conn.recv()[0] == "ready":
                        spare.ready, slot.failures = True, 0
            except (EOFError, OSError):
                pass
        return None

    def _watch(self, slot: WorkerSlot) -> str:
        """Relay the run's events until its process ends; enforce stops and the time limit; record its end."""
        proc, run_id = slot.active, slot.run_id
        relay = EventRelay(send=self.publish)
        run = Run.objects.select_related("owner").get(pk=run_id)
        time_limit = quotas.run_seconds(run)
        started = time.monotonic()
        kill_at: float | None = None
        killed = False
        next_look = started + 1.0
        while True:
            wait([proc.conn, proc.process.sentinel], timeout=0.25)
            ended = not proc.process.is_alive()  # looked at before the pipe is drained: nothing it sent is lost
            try:
                while proc.conn.poll():
                    kind, sender, texts = proc.conn.recv()
                    if kind == "events":
                        relay.add(sender, texts)
            except (EOFError, OSError):
                pass
            relay.flush()
            if ended:
                break
            now = time.monotonic()
            if now >= next_look:
                next_look = now + 1.0
                row = Run.objects.filter(pk=run_id).values("status", "stop_requested", "stop_reason").first()
                if kill_at is None and (row is None or row["status"] in TERMINAL):
                    kill_at = now + self.grace  # ended elsewhere (the reaper took this worker for dead)
                elif kill_at is None and row["stop_requested"]:
                    kill_at = now + (ABANDONED_GRACE if row["stop_reason"] else self.grace)
                elif kill_at is None and now - started > time_limit:
                    store.request_stop(run_id, f"the run was stopped after the time limit of {time_limit} seconds")
                    kill_at = now + self.grace
            if kill_at is not None and now > kill_at and not killed:
                kill(proc)
                killed = True
        return self._end(slot, None, None, killed=killed)

    def _end(self, slot: WorkerSlot, status: str | None, error: str | None, killed: bool = False) -> str:
        """Record how a run whose process is gone ended, unless it recorded that itself."""
        proc, run_id = slot.active, slot.run_id
        code = proc.process.exitcode
        if status is None:
            if killed:
                reason, stop_status = (Run.objects.filter(pk=run_id).values_list("stop_reason", "stop_status").first()
                                       or ("", ""))
                status, error = stop_status or "cancelled", reason or None
            else:
                status, error = "failed", death_cause(code)
        event = store.append_status(run_id, status, **({"error": error} if error else {}))
        if event is not None:
            self.publish.events(run_id, [event])
        try:
            proc.conn.close()
        except OSError:
            pass
        if proc.process.is_alive():
            kill(proc)
        return Run.objects.values_list("status", flat=True).get(pk=run_id)

    def _spawn(self, slot: WorkerSlot) -> Process:
        from playground.runs.worker import spare_main

        parent_conn, child_conn = self._mp.Pipe()
        process = self._mp.Process(
            target=spare_main, args=(child_conn, slot.index, self.device, self.threads,
                                     {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}),
            daemon=True, name=f"layerlab-worker-slot-{slot.index}",
        )
        process.start()
        child_conn.close()
        return Process(process=process, conn=parent_conn)


def kill(proc: Process) -> None:
    """Kill a training process with its group (it leads one: worker.spare_main) and wait for it."""
    kill_group(proc.process)
    proc.process.join(timeout=5)


def describe_devices(device: str) -> str:
    """What this worker trains on, for the operator's page, without starting CUDA in this process."""
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if device == "cpu" or visible in ("", "-1"):
        return "cpu"
    if shutil.which("nvidia-smi"):
        try:
            names = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True,
                                   text=True, timeout=5).stdout.split("\n")
            names = [name.strip() for name in names if name.strip()]
            if names:
                return ", ".join(f"cuda:{i} ({name})" for i, name in enumerate(names)) + (
                    f" [CUDA_VISIBLE_DEVICES={visible}]" if visible else "")
        except (OSError, subprocess.SubprocessError):
            pass
    return f"{device} [CUDA_VISIBLE_DEVICES={visible}]" if visible else ("cpu" if device == "auto" else device)


trainer: Trainer | None = None


@signals.worker_init.connect
def start_trainer(sender=None, **_) -> None:
    global trainer
    trainer = Trainer(getattr(sender, "hostname", None) or os.uname().nodename)
    trainer.start()


@signals.worker_shutdown.connect
def stop_trainer(**_) -> None:
    if trainer is not None:
        trainer.stop()


@app.task(name=TRAIN_NEXT, ignore_result=True)
def train_next() -> str:
    if trainer is None:  # a process that is not a worker (a test calling the task directly)
        raise RuntimeError("no trainer in this process: start it with ./layerlab worker")
    return trainer.train_next()
