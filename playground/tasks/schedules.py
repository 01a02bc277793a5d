"""Learning-rate schedules, stepped once per optimiser step: constant, step, cosine and one-cycle.

Each is a closed-form factor of the number of steps taken, applied to every
group's base learning rate, so the rate at any step is known without replaying
the run: a run continued from a checkpoint follows the same curve. The values
are those of ``torch.optim.lr_scheduler``'s ``StepLR``, ``CosineAnnealingLR``
(``eta_min`` 0) and ``OneCycleLR`` (cosine annealing, no momentum cycling)
stepped once per optimiser step; past ``total_steps`` the rate stays at its last
value instead of cycling again or failing.

A new learning rate set while training (the page's control) becomes the base:
the schedule goes on scaling it.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Callable, Literal

import torch


@dataclass(frozen=True)
class ScheduleSettings:
    """Which schedule and its shape, in optimiser steps."""

    name: str = "constant"
    total_steps: int = 0  # cosine and one-cycle: the steps of the whole run
    step_size: int = 0  # step: the rate is multiplied by gamma every step_size steps
    gamma: float = 0.1
    warmup_fraction: float = 0.3  # one-cycle: the part of the run spent rising to the peak
    start_divisor: float = 25.0  # one-cycle: it starts at the peak / start_divisor ...
    end_divisor: float = 1e4  # ... and ends at the start / end_divisor

    def __post_init__(self) -> None:
        if self.name not in SCHEDULES:
            raise ValueError(f"Unknown schedule {self.name!r}; known: {', '.join(SCHEDULES)}.")
        if self.name in ("cosine", "one_cycle") and self.total_steps < 2:
            raise ValueError(f"The {self.name} schedule needs the run's total steps (at least 2).")
        if self.name == "step" and self.step_size < 1:
            raise ValueError("The step schedule needs a step size of at least 1.")
        if not 0 < self.warmup_fraction <= 1:
            raise ValueError("The one-cycle warm-up is a fraction of the run, above 0 and at most 1.")


def _constant(settings: ScheduleSettings, step: int) -> float:
    return 1.0


def _step(settings: ScheduleSettings, step: int) -> float:
    return settings.gamma ** (step // settings.step_size)


def _cosine(settings: ScheduleSettings, step: int) -> float:
    t = min(step, settings.total_steps)
    return (1 + math.cos(math.pi * t / settings.total_steps)) / 2


def _cosine_between(start: float, end: float, fraction: float) -> float:
    return end + (start - end) / 2 * (math.cos(math.pi * fraction) + 1)


def _one_cycle(settings: ScheduleSettings, step: int) -> float:
    start = 1 / settings.start_divisor
    end = start / settings.end_divisor
    peak_step = settings.warmup_fraction * settings.total_steps - 1
    last_step = settings.total_steps - 1
    t = min(step, last_step)
    if peak_step > 0 and t <= peak_step:  # with under one step of warm-up, there is none
        return _cosine_between(start, 1.0, t / peak_step)
    return _cosine_between(1.0, end, (t - peak_step) / (last_step - peak_step))


SCHEDULES: dict[str, tuple[Callable[[ScheduleSettings, int], float], str]] = {
    "constant": (_constant, "The same learning rate throughout."),
    "step": (_step, "The learning rate is cut by a factor at regular intervals."),
    "cosine": (_cosine, "The learning rate falls along half a cosine to zero by the end of the run."),
    "one_cycle": (_one_cycle, "The learning rate rises to its peak over the first part of the run, then falls far below where it began."),
}
ScheduleName = Literal["constant", "step", "cosine", "one_cycle"]  # pydantic field type for a task's configuration


def lr_factor(settings: ScheduleSettings, step: int) -> float:
    """The base learning rate's multiplier once ``step`` optimiser steps have been taken."""
    return SCHEDULES[settings.name][0](settings, step)


class LearningRateSchedule:
    """Sets every group's learning rate to its base times the schedule's factor, before each optimiser step."""

    def __init__(self, optimizer: torch.optim.Optimizer, settings: ScheduleSettings) -> None:
        self.optimizer = optimizer
        self.settings = settings
        self.base_lrs = [float(group["lr"]) for group in optimizer.param_groups]

    def apply(self, step: int) -> None:
        """The rates for the optimiser step that follows ``step`` steps taken."""
        factor = lr_factor(self.settings, step)
        for group, base in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = base * factor

    def set_base(self, lr: float) -> None:
        """A new base rate for every group, from the next step on."""
        self.base_lrs = [float(lr)] * len(self.base_lrs)

    def state_dict(self) -> dict[str, Any]:
        """Plain JSON: the settings and the base rates."""
        return {"settings": asdict(self.settings), "base_lrs": list(self.base_lrs)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.settings = ScheduleSettings(**state["settings"])
        self.base_lrs = [float(lr) for lr in state["base_lrs"]]
