"""How a task's run ends other than by finishing: asked to stop, or unable to go on (its sentence for the student)."""
from __future__ import annotations

import math


class Stopped(Exception):
    """Raised by Control.check when the run has been asked to stop; tasks let it propagate."""


class TaskFailure(Exception):
    """A run that cannot go on, for a reason the student can act on; its message is written for them."""


class Diverged(TaskFailure):
    """The loss stopped being a number: the run ends, saying when and what to try."""

    def __init__(self, step: int, value: float) -> None:
        self.step, self.value = step, value
        what = "NaN" if math.isnan(value) else "infinite"
        super().__init__(f"the loss became {what} at step {step}; try a lower learning rate")
