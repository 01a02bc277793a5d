"""The executor in use: ``get_executor()``, chosen by ``LAYERLAB_EXECUTOR`` (``executor_interface.py``
says what an executor does): the local one trains in processes this server spawns; the Celery executor
(celery_executor.py, celery_worker.py) hands the same ``execute_run`` to workers on other machines. Views
and consumers only call ``get_executor()``.
"""
from __future__ import annotations

from django.conf import settings

from playground.runs.executor_interface import Executor
from playground.runs.local import LocalExecutor

_executor: Executor | None = None


def get_executor() -> Executor:
    global _executor
    if _executor is None:
        if settings.LAYERLAB_EXECUTOR == "local":
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
