"""Training code for each page, as plain PyTorch that emits events; no Django.

``TASKS`` maps a task's name to its class; the API lists it and the run engine
looks tasks up through ``get_task``.
"""
from __future__ import annotations

from playground.tasks.base import Task
from playground.tasks.basics import BasicsTask

TASKS: dict[str, type[Task]] = {"basics": BasicsTask}


def get_task(name: str) -> type[Task]:
    """The task class called name; KeyError naming the known tasks when there is none."""
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"Unknown task {name!r}; known tasks: {', '.join(TASKS)}.") from None
