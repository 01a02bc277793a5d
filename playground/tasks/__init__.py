"""Training code for each page, as plain PyTorch that emits events; no Django.

Each page's task lives in a folder of its own (``basics/``, ``style/``); the modules here are
what every task shares: the interface to whatever runs it (``base.py``), the loop
(``loop.py``), training with reports and handlers (``fit.py``, ``handlers.py``),
optimisers and schedules (``optim.py``, ``schedules.py``), checkpoints and
pictures. A new page is a new folder and one entry in ``TASKS``, which the API
lists and the run engine looks tasks up in through ``get_task``.
"""
from __future__ import annotations

from playground.tasks.base import Task
from playground.tasks.basics import BasicsTask
from playground.tasks.style import StyleTask

TASKS: dict[str, type[Task]] = {"basics": BasicsTask, "style": StyleTask}


def get_task(name: str) -> type[Task]:
    """The task class called name; KeyError naming the known tasks when there is none."""
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"Unknown task {name!r}; known tasks: {', '.join(TASKS)}.") from None
