"""Short jobs on a run's checkpoint (a prediction, a sample, feature maps): a small warm pool beside training.

A job must answer within a second or stream, so it never waits for a training
slot: ``LAYERLAB_JOB_WORKERS`` processes (``job_worker.py``), forked from the same
fork server as the training spares, wait for jobs and answer one after another.
They keep the server's priority while training processes yield theirs, so a job
answers when every training slot is busy. Each job has ``LAYERLAB_JOB_SECONDS``
and its process ``LAYERLAB_JOB_MEMORY_MB`` of resident memory; a process that
passes either, or dies, is killed and replaced, and the job fails with a
sentence. At most ``LAYERLAB_JOB_QUEUE`` jobs wait for a free process; one more
is refused at once (``JobsBusy``), and so is one that waited a whole time limit.

``JobPool.run`` blocks its caller (a thread: the API and the socket call it
through ``asyncio.to_thread``) and hands each streamed part to ``on_part``.
The pool starts and stops with the server, beside the local executor (asgi.py).
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from django.conf import settings

from playground.runs.errors import ApiError, pydantic_errors
from playground.runs.worker import fork_context, kill_group

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05  # how often a running job's process is looked at (its memory, whether it lives)
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class JobError(Exception):
    """A job that gave no answer; its message is a sentence for the student, ``status`` the HTTP status."""

    status = 422


class JobFailed(JobError):
    """The task could not answer (its TaskFailure, or an error in its job)."""


class JobsBusy(JobError):
    status = 429


class JobsStarting(JobsBusy):
    """The process a job would run in has not finished starting (just after the server started)."""


class JobTimedOut(JobError):
    status = 504


class JobTooBig(JobError):
    """The job's process used more memory than a job may."""


class JobCrashed(JobError):
    """The job's process died while answering."""


class JobsUnavailable(JobError):
    status = 503


@dataclass
class JobProcess:
    process: Any
    conn: Any
    index: int
    ready: bool = False
    started: float = field(default_factory=time.monotonic)


class JobPool:
    def __init__(self, workers: int | None = None, device: str | None = None, seconds: float | None = None,
                 memory_mb: int | None = None, queue: int | None = None):
        self.size = workers if workers is not None else settings.LAYERLAB_JOB_WORKERS
        self.device = device or settings.LAYERLAB_DEVICE
        self.seconds = float(seconds if seconds is not None else settings.LAYERLAB_JOB_SECONDS)
        self.memory_bytes = (memory_mb if memory_mb is not None else settings.LAYERLAB_JOB_MEMORY_MB) * 1024 * 1024
        self.queue = queue if queue is not None else settings.LAYERLAB_JOB_QUEUE
        self.threads = max(1, min(4, (os.cpu_count() or 1) // max(1, self.size)))
        self._mp = fork_context()
        self._lock = threading.Condition()
        self._idle: list[JobProcess] = []
        self._all: list[JobProcess] = []
        self._waiting = 0
        self._started = False
        self._stopping = False

    # --- life ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the processes, in a thread: the first fork waits for the fork server to import PyTorch."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._start_all, name="job-pool-start", daemon=True).start()
        atexit.register(self.shutdown)

    def _start_all(self) -> None:
        for index in range(self.size):
            proc = self._spawn(index)
            with self._lock:
                if self._stopping:
                    kill_group(proc.process)
                    return
                self._idle.append(proc)
                self._lock.notify()

    def wait_ready(self, timeout: float) -> bool:
        """Wait until every process has said it is ready (tests, benchmarks); False if not in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self._all) == self.size and all(self._ready(p, 0) for p in self._idle) and len(self._idle) == self.size:
                    return True
            time.sleep(0.05)
        return False

    def shutdown(self) -> None:
        """Start nothing more and kill every job process; safe to call twice."""
        with self._lock:
            self._stopping = True
            procs, self._idle = list(self._all), []
            self._lock.notify_all()
        for proc in procs:
            kill_group(proc.process)
        for proc in procs:
            proc.process.join(timeout=1)

    def processes(self) -> list[JobProcess]:
        with self._lock:
            return list(self._all)

    # --- a job -----------------------------------------------------------------------------

    def run(self, request: dict[str, Any], on_part: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
        """Answer one job: ``request`` is what job_worker.answer reads. Raises a JobError when there is no answer."""
        proc = self._acquire()
        healthy = False
        try:
            result = self._answer(proc, request, on_part or (lambda data: None))
            healthy = True
            return result
        except (JobFailed, JobsStarting):
            healthy = True
            raise
        finally:
            self._release(proc, healthy)

    def _acquire(self) -> JobProcess:
        deadline = time.monotonic() + self.seconds
        with self._lock:
            if not self._started or self._stopping:
                raise JobsUnavailable("short jobs are not available on this server right now; try again later")
            if not self._idle and self._waiting >= self.queue:
                raise JobsBusy(f"{self._waiting} jobs are already waiting for this server; try again in a few seconds")
            self._waiting += 1
            try:
                while not self._idle:
                    left = deadline - time.monotonic()
                    if left <= 0 or self._stopping:
                        raise JobsBusy("the server is busy with other jobs; try again in a few seconds")
                    self._lock.wait(left)
                return self._idle.pop()
            finally:
                self._waiting -= 1

    def _release(self, proc: JobProcess, healthy: bool) -> None:
        """Back to the idle list, or replaced: a process that died, ran late, or grew past the limit."""
        if healthy and proc.process.is_alive() and resident_bytes(proc.process.pid) <= self.memory_bytes:
            with self._lock:
                if not self._stopping:
                    self._idle.append(proc)
                    self._lock.notify()
                    return
        self._replace(proc)

    def _replace(self, proc: JobProcess) -> None:
        kill_group(proc.process)
        threading.Thread(target=proc.process.join, args=(5,), daemon=True).start()  # reaped without waiting
        with self._lock:
            if proc in self._all:
                self._all.remove(proc)
            if self._stopping:
                return
        fresh = self._spawn(proc.index)
        with self._lock:
            if self._stopping:
                kill_group(fresh.process)
                return
            self._idle.append(fresh)
            self._lock.notify()

    def _answer(self, proc: JobProcess, request: dict[str, Any], on_part: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        deadline = time.monotonic() + self.seconds
        # A process just started (a replacement) says it is ready first; that counts against the job's time.
        if not self._ready(proc, max(0.0, deadline - time.monotonic())):
            if proc.process.is_alive():
                raise JobsStarting("the server is still starting its job processes; try again in a few seconds")
            raise self._lost(proc, deadline)
        try:
            proc.conn.send(request)
        except OSError:
            raise JobCrashed("the job's process had ended; try again") from None
        looked_at = time.monotonic()
        while True:
            now = time.monotonic()
            left = deadline - now
            if left <= 0:
                raise JobTimedOut(f"the job took longer than its limit of {self.seconds:g} seconds")
            if now - looked_at >= POLL_SECONDS:  # also while parts stream in without a pause
                looked_at = now
                if resident_bytes(proc.process.pid) > self.memory_bytes:
                    raise JobTooBig(f"the job needed more than {self.memory_bytes // 2**20} MB of memory")
            try:
                has_message = proc.conn.poll(min(POLL_SECONDS, left))
                message = proc.conn.recv() if has_message else None
            except (EOFError, OSError):
                raise self._lost(proc, deadline) from None
            if message is None:
                if not proc.process.is_alive():
                    raise self._lost(proc, deadline)
                continue
            kind, data = message
            if kind == "part":
                on_part(data)
            elif kind == "result":
                return data
            elif kind == "failure":
                raise JobFailed(data)

    def _ready(self, proc: JobProcess, timeout: float) -> bool:
        """Whether the process has said it is ready, waiting up to ``timeout`` for it to say so."""
        if proc.ready:
            return True
        try:
            if proc.conn.poll(timeout):
                kind, _ = proc.conn.recv()
                proc.ready = kind == "ready"
        except (EOFError, OSError):
            return False
        return proc.ready

    def _lost(self, proc: JobProcess, deadline: float) -> JobError:
        proc.process.join(timeout=0.5)
        if proc.process.exitcode is None and time.monotonic() >= deadline:
            return JobTimedOut(f"the job took longer than its limit of {self.seconds:g} seconds")
        return JobCrashed("the job's process ended unexpectedly (often: it ran out of memory); try again or ask for less")

    def _spawn(self, index: int) -> JobProcess:
        from playground.runs.job_worker import job_main

        parent_conn, child_conn = self._mp.Pipe()
        process = self._mp.Process(target=job_main, args=(child_conn, index, self.device, self.threads),
                                   daemon=True, name=f"layerlab-job-{index}")
        process.start()
        child_conn.close()
        proc = JobProcess(process=process, conn=parent_conn, index=index)
        with self._lock:
            self._all.append(proc)
        return proc


def resident_bytes(pid: int | None) -> int:
    """The process's resident memory; 0 where it cannot be read (gone, or no /proc)."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def job_request(run, kind: str, args: Any) -> dict[str, Any]:
    """What a job process needs to answer ``kind`` on the run; ApiError (400, 409) when it cannot be asked.

    The arguments are checked here, against the task's model for that kind, so that a
    bad request never reaches a job process.
    """
    import pydantic

    from playground.files.uploads import upload_root
    from playground.runs.runner import checkpoint_dir
    from playground.tasks import get_task
    from playground.tasks.checkpoint import STATE_FILE

    try:
        task = get_task(run.task)
    except KeyError:
        raise ApiError(409, "", f"run {run.pk} is of a task this server no longer has") from None
    if kind not in task.Jobs:
        known = ", ".join(sorted(task.Jobs)) or "none"
        raise ApiError(400, "kind", f"a {task.name} run answers no job {str(kind)[:40]!r}; its jobs: {known}")
    if not isinstance(args, dict):
        raise ApiError(400, "args", "args must be a JSON object ({...})")
    try:
        checked = task.Jobs[kind].model_validate(args)
    except pydantic.ValidationError as exc:
        raise ApiError(400, errors=pydantic_errors(exc.errors(), prefix="args")) from None
    directory = checkpoint_dir(run.pk)
    if not (directory / STATE_FILE).is_file():
        raise ApiError(409, "", f"run {run.pk} has saved no checkpoint yet; ask again once it has trained a little")
    return {
        "task": task.name,
        "config": run.config,
        "checkpoint_dir": str(directory),
        "kind": kind,
        "args": checked.model_dump(mode="json"),
        "data_dir": str(settings.DATA_DIR),
        "uploads_dir": str(upload_root()),
    }


_pool: JobPool | None = None


def get_job_pool() -> JobPool:
    global _pool
    if _pool is None:
        _pool = JobPool()
    return _pool


def set_job_pool(pool: JobPool | None) -> None:
    """Install a pool (tests and benchmarks)."""
    global _pool
    _pool = pool
