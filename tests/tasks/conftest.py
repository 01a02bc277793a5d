"""A small world for task tests: an emitter that records (and checks) events, and a quick Basics runner."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from playground.tasks.base import EVENT_TYPES, Control, RunContext
from playground.tasks.basics import BasicsTask

QUICK = {"epochs": 8, "n_points": 120, "grid_size": 20, "grid_every": 4}


class Recorder:
    """Collects events as the run engine would, refusing any that JSON could not carry."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def __call__(self, type: str, data: dict[str, Any], step: int | None = None) -> None:
        assert type in EVENT_TYPES, type
        json.dumps(data, allow_nan=False)  # NaN or infinity would raise here
        self.events.append({"type": type, "data": data, "step": step})

    def kinds(self) -> list[str]:
        """One word per event: the metric's split or the picture's/table's name."""
        return [e["data"].get("split") or e["data"].get("name") or e["type"] for e in self.events]

    def named(self, name: str) -> list[dict[str, Any]]:
        return [e["data"] for e in self.events if e["data"].get("name") == name]

    def metrics(self, split: str) -> list[dict[str, Any]]:
        return [e["data"] for e in self.events if e["type"] == "metric" and e["data"]["split"] == split]


def run_basics_now(
    control: Control | None = None,
    checkpoint_dir: Path | None = None,
    resume_dir: Path | None = None,
    recorder: Recorder | None = None,
    **config: Any,
) -> Recorder:
    """Run Basics with this configuration on the CPU and return what it emitted (into ``recorder`` if given)."""
    recorder = recorder if recorder is not None else Recorder()
    ctx = RunContext(emit=recorder, control=control or Control(), checkpoint_dir=checkpoint_dir, resume_dir=resume_dir)
    BasicsTask().run(BasicsTask.Config(**config), ctx)
    return recorder


@pytest.fixture
def run_basics() -> Callable[..., Recorder]:
    """``run_basics(control=None, checkpoint_dir=None, resume_dir=None, recorder=None, **config) -> Recorder``."""
    return run_basics_now


@pytest.fixture
def recorder() -> Recorder:
    """An empty Recorder, for runs that end by raising."""
    return Recorder()


@pytest.fixture
def quick() -> dict[str, Any]:
    """Settings for a run that takes a fraction of a second."""
    return dict(QUICK)
