"""A small world for task tests: an emitter that records (and checks) events, and a quick Basics runner."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from playground.tasks.base import Control, RunContext
from playground.tasks.basics import BasicsTask
from recording import Recorder

QUICK = {"epochs": 8, "n_points": 120, "grid_size": 20, "grid_every": 4}


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
