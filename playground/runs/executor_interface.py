"""The executor interface: how the web layer hands runs to whatever trains them.

The local executor (``local.py``) trains in processes this server spawns; the
Celery executor (``celery_executor.py``) hands the same ``execute_run`` to
workers on other machines. This base trains nothing: it is the executor of a web node that only
queues runs (``LAYERLAB_EXECUTOR=none``). Views and consumers only call
``executor.get_executor()``.
"""
from __future__ import annotations


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
