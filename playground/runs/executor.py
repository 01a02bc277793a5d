"""The executor interface: how the web layer hands runs to whatever trains them.

The local executor trains in processes this server spawns; the Celery executor
(celery_executor.py, celery_worker.py) hands the same ``execute_run`` to workers on other machines. Views and
consumers only call ``get_executor()``.
"""
from __future__ import annotations

from django.conf import settings


class Executor:
    def start(self) -> None:
        """Begin taking queued runs (and recover what a previous server left behind)."""

    def submit(self, run_id: int) -> None:
        """A run was queued."""

    def cancel(self, run_id: int) -> None:
        """The run's stop flag was set; make sure it ends soon."""

    def shutdown(self) -> None:
        """Stop taking runs and end the ones in progress."""

    def wait_ready(self, timeout: float) -> bool:
        """Wait until a run queued now would start at once; False if that took longer than ``timeout``."""
        return True


_executor: Executor | None = None


def get_executor() -> Executor:
    global _executor
    if _executor is None:
        if settings.LAYERLAB_EXECUTOR == "local":
            from playground.runs.local import LocalExecutor

            _executor = LocalExecutor(slots=settings.LAYERLAB_SLOTS, device=settings.LAYERLAB_DEVICE)
        elif settings.LAYERLAB_EXECUTOR == "celery":
            from playground.runs.celery_executor import CeleryExecutor

            _executor = CeleryExecutor()
        else:
            _executor = Executor()
    return _executor


def set_executor(executor: Executor | None) -> None:
    """Install an executor (tests and management commands)."""
    global _executor
    _executor = executor
