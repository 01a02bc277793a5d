"""A task made only for the tests (registered through LAYERLAB_EXTRA_TASKS, never shipped in TASKS).

Its run emits every kind of event a page shows: metrics at a step interval, a
text, a table and a ~200 KB picture (which becomes a file URL). It has a live
control other than the learning rate (``step_seconds``, ``level``), and short
jobs that misbehave on purpose, for the job pool's tests.
"""
from __future__ import annotations

import os
import time
from typing import Any, Literal

import numpy as np
import pydantic
import torch

from playground.tasks import checkpoint
from playground.tasks.base import JobContext, RunContext, Task, TaskConfig, TaskFailure

PICTURE = np.random.default_rng(0).integers(0, 256, (256, 256, 3), dtype=np.uint8)  # ~200 KB as a PNG


class ProbeConfig(TaskConfig):
    steps: int = pydantic.Field(40, ge=1, le=1_000_000)
    report_every: int = pydantic.Field(10, ge=1)
    step_seconds: float = pydantic.Field(0.02, ge=0, le=5)
    level: int = pydantic.Field(0, ge=0, le=100)


class ProbeControls(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    step_seconds: float | None = pydantic.Field(None, ge=0, le=5)
    level: int | None = pydantic.Field(None, ge=0, le=100)


class EchoArgs(TaskConfig):
    text: str = pydantic.Field("", max_length=1000)
    parts: int = pydantic.Field(0, ge=0, le=100)


class MisbehaveArgs(TaskConfig):
    how: Literal["sleep", "crash", "hog", "fail", "error"]
    seconds: float = pydantic.Field(0, ge=0, le=60)
    megabytes: int = pydantic.Field(0, ge=0, le=4096)


class ProbeTask(Task):
    name = "probe"
    title = "Probe (tests only)"
    Config = ProbeConfig
    Controls = ProbeControls
    Jobs = {"echo": EchoArgs, "misbehave": MisbehaveArgs}

    def run(self, config: ProbeConfig, ctx: RunContext) -> None:
        config = self.Config.model_validate(config)
        model = torch.nn.Linear(2, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        if ctx.checkpoint_dir is not None:
            checkpoint.save_checkpoint(ctx.checkpoint_dir, model, optimizer, config.model_dump(mode="json"), {"step": 0})
        ctx.emit("text", {"name": "greeting", "text": "hello from the probe"}, 0)
        ctx.emit("table", {"name": "numbers", "columns": ["n", "square"], "rows": [[n, n * n] for n in range(1, 5)]}, 0)
        ctx.picture("noise", PICTURE, step=0)
        seconds, level = config.step_seconds, config.level
        for step in range(1, config.steps + 1):
            changes = ctx.control.check()
            if "step_seconds" in changes:
                seconds = changes["step_seconds"]
            if "level" in changes:
                level = changes["level"]
                ctx.emit("log", {"level": "info", "message": f"level {level} at step {step}"}, step)
            if step % config.report_every == 0 or step == config.steps:
                ctx.emit("metric", {"split": "train", "loss": 1.0 / step, "level": level}, step)
            time.sleep(seconds)

    def job(self, kind: str, args: Any, ctx: JobContext) -> dict[str, Any]:
        if kind == "echo":
            for n in range(args.parts):
                ctx.part({"n": n})
            return {"text": args.text, "pid": os.getpid(), "step": checkpoint.read_state(ctx.checkpoint_dir)["step"]}
        if args.how == "sleep":
            time.sleep(args.seconds)
            return {"slept": args.seconds}
        if args.how == "crash":
            os._exit(7)
        if args.how == "hog":
            block = np.ones(args.megabytes * 1024 * 1024, np.uint8)  # touched: resident
            time.sleep(args.seconds)
            return {"held": int(block.sum() // (1024 * 1024))}
        if args.how == "fail":
            raise TaskFailure("the probe cannot answer that")
        raise ValueError("a bug in the probe's job")
