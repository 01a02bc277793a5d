"""Training code for each page, as plain PyTorch that emits events; no Django.

Each page's task lives in a folder of its own (``basics/``, ``style/``); the modules here are
what every task shares: the interface to whatever runs it (``base.py``), the loop
(``loop.py``), training with reports and handlers (``fit.py``, ``handlers.py``),
optimisers and schedules (``optim.py``, ``schedules.py``), checkpoints and
pictures. A new page is a new folder and one entry in ``TASKS``, which the API
lists and the run engine looks tasks up in through ``get_task``.
"""
from __future__ import annotations

import importlib
import os

from playground.tasks.base import Task
from playground.tasks.basics import BasicsTask
from playground.tasks.cnn import CnnTask
from playground.tasks.style import StyleTask
from playground.tasks.text import TextTask

TASKS: dict[str, type[Task]] = {"basics": BasicsTask, "cnn": CnnTask, "text": TextTask, "style": StyleTask}


def extra_tasks(names: str) -> dict[str, type[Task]]:
    """Tasks named ``"module:Class, ..."`` (the tests' own, in ``LAYERLAB_EXTRA_TASKS``), by their names.

    Read from the environment, not Django's settings: this package never imports
    Django, and the training and job processes see the same variable.
    """
    found: dict[str, type[Task]] = {}
    for name in filter(None, (part.strip() for part in names.split(","))):
        module, _, attribute = name.partition(":")
        task = getattr(importlib.import_module(module), attribute)
        found[task.name] = task
    return found


TASKS.update(extra_tasks(os.environ.get("LAYERLAB_EXTRA_TASKS", "")))


def get_task(name: str) -> type[Task]:
    """The task class called name; KeyError naming the known tasks when there is none."""
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"Unknown task {name!r}; known tasks: {', '.join(TASKS)}.") from None
