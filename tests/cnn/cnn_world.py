"""A small world for CNN tests: quick runs on a few built-in pictures, a trained checkpoint, job contexts."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from playground.tasks.base import JobContext, RunContext
from playground.tasks.cnn import CnnTask
from playground.tasks.cnn.lessons import NETS

TINY = {"train_examples": 64, "test_examples": 40, "epochs": 1, "batch_size": 32, "report_every": 1}


class Recorder:
    """Every event as (type, data, step), with the checks the run engine makes."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any], int | None]] = []

    def __call__(self, type: str, data: dict[str, Any], step: int | None = None) -> None:
        import json

        from playground.tasks.base import EVENT_TYPES

        assert type in EVENT_TYPES, type
        json.dumps(data, allow_nan=False)
        self.events.append((type, data, step))

    def metrics(self, split: str) -> list[dict[str, Any]]:
        return [data for type, data, _ in self.events if type == "metric" and data["split"] == split]

    def named(self, name: str) -> list[dict[str, Any]]:
        return [data for type, data, _ in self.events if type in ("table", "image") and data.get("name") == name]


def net(name: str) -> dict[str, Any]:
    return copy.deepcopy(NETS[name])


def train(checkpoint_dir: Path | None = None, **config: Any) -> tuple[Recorder, CnnTask.Config]:
    recorder = Recorder()
    places = _places(config)
    settings = CnnTask.Config(**{**TINY, **config})
    CnnTask().run(settings, RunContext(emit=recorder, checkpoint_dir=checkpoint_dir, **places))
    return recorder, settings


def _places(config: dict[str, Any]) -> dict[str, Any]:
    return {key: config.pop(key) for key in ("data_dir", "uploads_dir") if key in config}


def job(kind: str, checkpoint_dir: Path, config: Any, parts: list | None = None, **args: Any) -> dict[str, Any]:
    sent = parts if parts is not None else []
    ctx = JobContext(config=config, checkpoint_dir=checkpoint_dir, send=sent.append)
    return CnnTask().job(kind, CnnTask.Jobs[kind](**args), ctx)
