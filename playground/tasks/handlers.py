"""What a task hangs on the training: handlers keyed by event, after PyTorch Ignite's ``Events``.

    handlers = Handlers()
    handlers.on(Event.STEP, draw_sample, every=500)   # every 500th optimiser step
    handlers.on(Event.REPORT, send_confusion)         # after each report's metrics
    handlers.on(Event.EPOCH, draw_filters)            # after each epoch (and its report)
    handlers.on(Event.END, save_pictures)             # once, when training ends on its own

A handler takes the run's ``Progress`` (the loop, the epoch, the latest metrics)
and may call ``progress.terminate()`` to end training at the next point it can.
Handlers of one event run in the order they were added. A step handler runs on
every step it is due: it must not read from the device unless it is rare.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from torch import Tensor

if TYPE_CHECKING:
    from playground.tasks.loop import SupervisedLoop


class Event(enum.Enum):
    STEP = "step"  # after each optimiser step
    REPORT = "report"  # after a report's metrics are emitted
    EPOCH = "epoch"  # after each finished epoch, after its report if it had one
    END = "end"  # once, when training ends without an error or a stop


@dataclass
class Progress:
    """Where a training run is, for handlers; ``fit`` returns it when training ends."""

    loop: SupervisedLoop
    epoch: int  # the epoch being trained, or the last one finished
    metrics: list[dict[str, Any]] = field(default_factory=list)  # the latest report's metric events
    reports: int = 0  # reports so far in this run
    final: bool = False  # this is the epoch training ends on (set before its EPOCH handlers) or END
    reached_target: float | None = None  # the test loss, when it met the plan's target
    predictions: Tensor | None = None  # the latest evaluation's predicted class per test example (Plan.predictions)
    terminated: bool = False

    @property
    def step(self) -> int:
        return self.loop.step

    def terminate(self) -> None:
        """End training at the next point: after this step's or this epoch's handlers."""
        self.terminated = True


Handler = Callable[[Progress], None]


class Handlers:
    """Handlers by event, each with an ``every``: every n-th step, epoch or report (END ignores it)."""

    def __init__(self) -> None:
        self._by_event: dict[Event, list[tuple[Handler, int]]] = {event: [] for event in Event}

    def on(self, event: Event, handler: Handler, *, every: int = 1) -> Handlers:
        if every < 1:
            raise ValueError("every counts steps, epochs or reports: 1 or more.")
        self._by_event[event].append((handler, every))
        return self

    def has(self, event: Event) -> bool:
        return bool(self._by_event[event])

    def fire(self, event: Event, progress: Progress) -> None:
        """Run event's handlers that are due, in the order they were added.

        Steps and epochs count from the start of the whole run (a continued run
        keeps its numbering), so a run and its continuation fire at the same steps.
        """
        handlers = self._by_event[event]
        if not handlers:
            return  # the common case on every step: nothing to do
        count = progress.step if event is Event.STEP else progress.epoch if event is Event.EPOCH else progress.reports
        for handler, every in handlers:
            if every == 1 or count % every == 0:
                handler(progress)
